import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Sending a session's link to the customer (F1): by the gateway's mail server, or as a draft for
/// the technician's own mail client.
struct InvitationsController {
    let hub: SessionHub
    let mailer: (any Mailer)?
    let from: String?
    let sms: (any SMSSender)?

    struct EmailRequest: Decodable {
        let to: String
    }

    struct InvitationSent: Encodable {
        let sent: Bool
        let to: String
    }

    struct SMSRequest: Decodable {
        let to: String
    }

    struct EmailDraft: Encodable {
        let subject: String
        let body: String
        let mailto: String
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/invitations/email", use: sendEmail)
        group.get("sessions/{id}/invitations/email-draft", use: draft)
        group.post("sessions/{id}/invitations/sms", use: sendSMS)
    }

    private func invitation(_ context: GatewayRequestContext, by method: Permission = .connectByEmail)
        async throws -> (Actor, InvitationText, SessionRecord, link: String)
    {
        let actor = try context.requireActor()
        try actor.require(method)
        let (record, link) = try await hub.pendingLink(of: try SessionsController.id(context), by: actor)
        let text = InvitationText.make(hub.settings.emailTemplate, customerName: record.name,
                                       technicianName: actor.technician.name, organisation: actor.organisationName, link: link)
        return (actor, text, record, link)
    }

    @Sendable func sendSMS(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: SMSRequest.self, context: context)
        guard let phone = PhoneNumber.validated(body.to) else { throw GatewayError.badRequest("\"\(body.to)\" is not a phone number.") }
        let (actor, _, session, link) = try await invitation(context, by: .connectBySms)
        guard let sms else {
            throw GatewayError(.smsNotConfigured, "This gateway has no SMS provider. Ask the administrator to set one up.")
        }
        do {
            try await sms.send(to: phone, text: InvitationText.short(technicianName: actor.technician.name,
                                                                    organisation: actor.organisationName, link: link))
        } catch {
            context.logger.error("SMS invitation failed", metadata: ["error": "\(error)"])
            throw GatewayError(.smsFailed, "The SMS was not sent: \(error)")
        }
        try await hub.logEvent(.invitationSMS(technician: actor.technician.name, phone: phone), in: session)
        return try JSONResponse.make(InvitationSent(sent: true, to: phone), status: .accepted)
    }

    @Sendable func sendEmail(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: EmailRequest.self, context: context)
        guard let to = EmailAddress.validated(body.to) else { throw GatewayError.badRequest("\"\(body.to)\" is not an email address.") }
        let (actor, text, session, _) = try await invitation(context)
        guard let mailer, let from else {
            throw GatewayError(.emailNotConfigured,
                               "This gateway has no mail server. Use your own mail client, or ask the administrator to set LIFELINE_SMTP_HOST.")
        }
        do {
            try await mailer.send(MailMessage(from: from, to: to, subject: text.subject, body: text.body))
        } catch {
            context.logger.error("Email invitation failed", metadata: ["error": "\(error)"])
            throw GatewayError(.emailFailed, "The mail server did not accept the invitation: \(error)")
        }
        try await hub.logEvent(.invitationEmail(technician: actor.technician.name, to: to), in: session)
        return try JSONResponse.make(InvitationSent(sent: true, to: to), status: .accepted)
    }

    @Sendable func draft(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (_, text, _, _) = try await invitation(context)
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))
        let subject = text.subject.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let body = text.body.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return try JSONResponse.make(EmailDraft(subject: text.subject, body: text.body, mailto: "mailto:?subject=\(subject)&body=\(body)"))
    }
}
