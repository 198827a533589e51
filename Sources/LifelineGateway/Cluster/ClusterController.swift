import Hummingbird

/// What gateway nodes ask of each other over HTTP (issue 20), each request signed with the key
/// every node of the cluster derives from the gateway's identity key. Nothing here is for people.
struct ClusterController {
    let hub: SessionHub
    let forwarding: NodeForwarding
    let accounts: Accounts

    /// E2 across nodes: the monitoring's node checked the administrator watches the session's lead.
    struct MonitorJoin: Codable, Sendable {
        let tokenHash: String
        let viaCookie: Bool
        let technicianId: String
    }

    func addRoutes(to router: Router<GatewayRequestContext>) {
        // Another node took a session (its customer came through it): stop serving it here, now.
        router.post("cluster/v1/sessions/{id}/let-go") { request, context in
            guard let node = forwarding.vouchedNode(in: request) else {
                throw GatewayError(.unauthenticated, "Only a gateway node of this cluster may ask this.")
            }
            let id = try context.parameters.require("id")
            await hub.letGo(id, heldBy: node, reason: "its customer came through another node")
            return Response(status: .noContent)
        }
        // An administrator monitoring on another node joins a session served here (E2): they are
        // who their login says, and the session is the watched technician's.
        router.post("cluster/v1/sessions/{id}/monitor-join") { request, context in
            guard forwarding.vouchedNode(in: request) != nil else {
                throw GatewayError(.unauthenticated, "Only a gateway node of this cluster may ask this.")
            }
            let join = try await request.decodeJSON(as: MonitorJoin.self, context: context)
            guard let actor = try await accounts.actor(forTokenHash: join.tokenHash, viaCookie: join.viaCookie) else {
                throw GatewayError.unauthenticated
            }
            return try JSONResponse.make(try await hub.joinAsMonitorHere(try context.parameters.require("id"), watching: join.technicianId,
                                                                         by: actor))
        }
    }
}
