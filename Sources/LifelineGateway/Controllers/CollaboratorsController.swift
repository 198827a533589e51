import Foundation
import Hummingbird
import LifelineCore

/// External technicians invited into a session (I2): the lead invites, lists and removes them;
/// the external technician checks the invitation and joins without an account. Wrong links and
/// PINs are rate-limited per address by the hub.
struct CollaboratorsController {
    let hub: SessionHub

    struct InviteRequest: Decodable {
        let name: String
        let email: String?
    }

    struct JoinRequest: Decodable {
        let pin: String?
        let link: String?
        /// The name the external technician gives themself (the invitation's when absent).
        let name: String?
    }

    struct PinRequest: Decodable {
        let pin: String
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/collaborators", use: invite)
        group.get("sessions/{id}/collaborators", use: list)
        group.delete("sessions/{id}/collaborators/{collaboratorId}", use: remove)
        group.get("collaborators/invitations/{token}", use: linkCheck)
        group.post("collaborators/pin-check", use: pinCheck)
        group.post("collaborators/join", use: join)
    }

    @Sendable func invite(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = context.parameters.get("id") ?? ""
        let body = try await request.decodeJSON(as: InviteRequest.self, context: context)
        return try JSONResponse.make(try await hub.inviteExternal(to: id, name: body.name, email: body.email, by: actor,
                                                                  from: context.remoteAddress), status: .created)
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.externalCollaborators(of: context.parameters.get("id") ?? "", by: actor))
    }

    @Sendable func remove(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try await hub.removeExternal(context.parameters.get("collaboratorId") ?? "", from: context.parameters.get("id") ?? "", by: actor)
        return Response(status: .noContent)
    }

    @Sendable func linkCheck(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.collaboratorInvitation(.link(context.parameters.get("token") ?? ""), from: context.remoteAddress))
    }

    @Sendable func pinCheck(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: PinRequest.self, context: context)
        return try JSONResponse.make(try await hub.collaboratorInvitation(.pin(body.pin), from: context.remoteAddress))
    }

    @Sendable func join(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: JoinRequest.self, context: context)
        let credential: SessionHub.CollaboratorCredential
        switch (body.pin, body.link) {
        case (let pin?, nil): credential = .pin(pin)
        case (nil, let link?): credential = .link(link.split(separator: "/").last.map(String.init) ?? link)
        default: throw GatewayError.badRequest("Send either \"pin\" or \"link\".")
        }
        return try JSONResponse.make(try await hub.joinAsCollaborator(credential, name: body.name, from: context.remoteAddress))
    }
}
