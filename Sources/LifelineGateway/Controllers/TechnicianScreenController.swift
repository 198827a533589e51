import Hummingbird

/// The technician shows their own screen to the customer (H1): POST starts (the pictures then go
/// up the console socket as binary frames), DELETE stops. Both answer 204.
struct TechnicianScreenController {
    let hub: SessionHub

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/technician-screen", use: start)
        group.delete("sessions/{id}/technician-screen", use: stop)
    }

    @Sendable func start(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try await hub.liveSession(try SessionsController.id(context), for: actor).startTechnicianScreen(by: actor)
        return Response(status: .noContent)
    }

    @Sendable func stop(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try await hub.liveSession(try SessionsController.id(context), for: actor).stopTechnicianScreen(by: actor)
        return Response(status: .noContent)
    }
}
