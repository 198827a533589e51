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
        // LAN connections (F4).
        group.get("lan-connectors", use: lanConnectors)
        group.put("computers/{id}/lan-connector", use: makeLanConnector)
        group.delete("computers/{id}/lan-connector", use: stopLanConnector)
        group.get("computers/{id}/lan/machines", use: lanMachines)
        group.post("computers/{id}/lan/connect", use: lanConnect)
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
        // No body when the computer's rules ask for no credentials.
        let body = (request.headers[.contentLength].flatMap(Int.init) ?? 0) > 0
            ? try await request.decodeJSON(as: UnattendedConnectRequest.self, context: context) : UnattendedConnectRequest()
        let connection = try await hub.connectUnattended(context.parameters.get("id") ?? "", credentials: body, by: try context.requireActor(),
                                                         source: context.remoteAddress)
        return try JSONResponse.make(connection, status: .created)
    }

    @Sendable func lanConnectors(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.lanConnectors(for: try context.requireActor()))
    }

    @Sendable func makeLanConnector(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LanConnectorSettings.self, context: context)
        try await hub.setLanConnector(context.parameters.get("id") ?? "", subnets: body.subnets, by: try context.requireActor(),
                                      source: context.remoteAddress)
        return Response(status: .noContent)
    }

    @Sendable func stopLanConnector(request: Request, context: GatewayRequestContext) async throws -> Response {
        try await hub.setLanConnector(context.parameters.get("id") ?? "", subnets: nil, by: try context.requireActor(), source: context.remoteAddress)
        return Response(status: .noContent)
    }

    /// Waits for the connector's listing (45 s at most: an SSH check of a /22 takes about 13 s).
    @Sendable func lanMachines(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.listLan(through: context.parameters.get("id") ?? "", by: try context.requireActor()))
    }

    /// Waits for the connector (120 s at most, a copy of the applet included): 201 with the session, or why not.
    /// The body's password is read into memory only: never logged, never stored.
    @Sendable func lanConnect(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LanConnectRequest.self, context: context)
        let connection = try await hub.connectLan(through: context.parameters.get("id") ?? "", body, by: try context.requireActor(),
                                                  source: context.remoteAddress)
        return try JSONResponse.make(connection, status: .created)
    }

    @Sendable func enrol(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: AgentEnrolment.self, context: context)
        return try JSONResponse.make(try await hub.enrol(body, from: context.remoteAddress), status: .created)
    }
}
