import Hummingbird

/// What gateway nodes ask of each other over HTTP (issue 20), each request signed with the key
/// every node of the cluster derives from the gateway's identity key. Nothing here is for people.
struct ClusterController {
    let hub: SessionHub
    let forwarding: NodeForwarding

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
    }
}
