import Foundation
import Hummingbird
import LifelineProtocol

/// Unattended computers (F5, C1): the Computers list of a technician, and the agent's enrolment
/// (open: the one-time token is the agent's only credential then).
struct ComputersController {
    let hub: SessionHub

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("computers", use: list)
        group.delete("computers/{id}", use: delete)
        group.post("computers/{id}/connect", use: connect)
        group.post("agents/enroll", use: enrol)
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.computers(for: try context.requireActor()))
    }

    @Sendable func delete(request: Request, context: GatewayRequestContext) async throws -> Response {
        try await hub.deleteComputer(context.parameters.get("id") ?? "", by: try context.requireActor())
        return Response(status: .noContent)
    }

    /// Waits for the computer's agent (15 s at most): 201 with the session it joins, or why not.
    @Sendable func connect(request: Request, context: GatewayRequestContext) async throws -> Response {
        let connection = try await hub.connectUnattended(context.parameters.get("id") ?? "", by: try context.requireActor(),
                                                         source: context.remoteAddress)
        return try JSONResponse.make(connection, status: .created)
    }

    @Sendable func enrol(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: AgentEnrolment.self, context: context)
        return try JSONResponse.make(try await hub.enrol(body, from: context.remoteAddress), status: .created)
    }
}
