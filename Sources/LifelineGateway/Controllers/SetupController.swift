import Foundation
import Hummingbird

/// The one-time setup page's API: creates the organisation and master administrator.
struct SetupController {
    let bootstrap: Bootstrap

    struct SetupRequest: Decodable {
        let token: String
        let organisation: String
        let name: String
        let email: String
        let password: String
    }

    struct SetupStatus: Encodable {
        let needed: Bool
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("setup", use: status)
        group.post("setup", use: complete)
    }

    @Sendable func status(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(SetupStatus(needed: try await bootstrap.setupNeeded()))
    }

    @Sendable func complete(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: SetupRequest.self, context: context)
        try await bootstrap.completeSetup(token: body.token, organisation: body.organisation, name: body.name,
                                          email: body.email, password: body.password)
        return Response(status: .noContent)
    }
}
