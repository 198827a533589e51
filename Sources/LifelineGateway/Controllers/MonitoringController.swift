import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol

/// Technician monitoring (E1, E2): an administrator with monitor_technicians lists whom they may
/// watch, starts and ends a monitoring, and joins a watched technician's session as a colleague.
/// The mirror itself comes over the administrator's console socket (`monitoring`, `monitored`).
struct MonitoringController {
    let hub: SessionHub

    struct StartRequest: Decodable {
        let technicianId: String
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("monitorings", use: list)
        group.post("monitorings", use: start)
        group.get("monitorings/technicians", use: technicians)
        group.delete("monitorings/{monitoringId}", use: end)
        group.post("monitorings/{monitoringId}/sessions/{id}/join", use: join)
        group.get("monitorings/{monitoringId}/sessions/{id}/log", use: log)
        group.post("monitorings/{monitoringId}/screen", use: askScreen)
        group.delete("monitorings/{monitoringId}/screen", use: stopScreen)
    }

    /// E1: ask to see the technician's screen; their console asks them. Stop watching it.
    @Sendable func askScreen(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try hub.askMonitoredScreen(context.parameters.get("monitoringId") ?? "", by: try context.requireActor()))
    }

    @Sendable func stopScreen(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try hub.stopMonitoredScreen(context.parameters.get("monitoringId") ?? "", by: try context.requireActor()))
    }

    @Sendable func log(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.monitoredLog(try SessionsController.id(context),
                                                                monitoring: context.parameters.get("monitoringId") ?? "", by: actor))
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try hub.monitorings(of: try context.requireActor()))
    }

    @Sendable func start(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: StartRequest.self, context: context)
        return try JSONResponse.make(try await hub.startMonitoring(body.technicianId, by: actor), status: .created)
    }

    @Sendable func technicians(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.monitorableTechnicians(by: try context.requireActor()))
    }

    @Sendable func end(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.endMonitoring(context.parameters.get("monitoringId") ?? "", by: actor))
    }

    @Sendable func join(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.joinMonitoredSession(try SessionsController.id(context),
                                                                        monitoring: context.parameters.get("monitoringId") ?? "", by: actor))
    }
}
