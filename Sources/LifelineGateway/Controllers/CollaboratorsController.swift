import Foundation
import Hummingbird
import LifelineCore

/// External technicians invited into a session (I2): the lead invites, lists and removes them;
/// the external technician checks the invitation and joins without an account. Wrong links and
/// PINs are rate-limited per address by the hub.
struct CollaboratorsController {
    let hub: SessionHub
    let mailer: (any Mailer)?
    let from: String?
    let publicURL: String

    struct InviteRequest: Decodable {
        let name: String
        let email: String?
        /// The gateway emails the link and PIN to `email`.
        let sendEmail: Bool?
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
        let sendEmail = body.sendEmail == true
        // Checked before inviting, so a refusal leaves nothing behind.
        if sendEmail {
            guard let email = body.email, !email.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw GatewayError.badRequest("Give the email address to send the invitation to.")
            }
            guard mailer != nil, from != nil else {
                throw GatewayError(.emailNotConfigured,
                                   "This gateway has no mail server. Give the link or the PIN yourself, or ask the administrator to set LIFELINE_SMTP_HOST.")
            }
        }
        var invited = try await hub.inviteExternal(to: id, name: body.name, email: body.email, by: actor, from: context.remoteAddress)
        if sendEmail, let mailer, let from, let to = invited.email, let link = invited.link, let pin = invited.pin {
            let text = ExternalCollaboration.invitationEmail(
                name: invited.name, inviter: actor.technician.name, organisation: actor.organisationName, link: link, pin: pin,
                pinPage: "\(publicURL)/collaborate", validMinutes: hub.settings.connectingTimeoutMinutes)
            do {
                try await mailer.send(MailMessage(from: from, to: to, subject: text.subject, body: text.body))
            } catch {
                context.logger.error("External invitation email failed", metadata: ["error": "\(error)"])
                await hub.withdrawExternal(invited.id)
                throw GatewayError(.emailFailed, "The mail server did not accept the invitation: \(error)")
            }
            invited.emailed = true
        }
        return try JSONResponse.make(invited, status: .created)
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
