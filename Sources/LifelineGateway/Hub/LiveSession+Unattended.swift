import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Asking the customer for unattended access (F5): the owner of an active session, with
/// `unattended_access`, sends rules the gateway checks; the applet shows them to the customer with
/// a one-time enrolment token (15 minutes, its hash kept) that the agent presents once they approve.
extension LiveSession {
    static let enrolmentLifetime: TimeInterval = 15 * 60

    func unattendedRequest(_ message: UnattendedRequestMessage, by actor: Actor) async throws {
        try await serialised {
            let record = try await hub.ownedActiveSession(id, by: actor, permission: .unattendedAccess,
                                                          activeOnly: "Unattended access can be asked for")
            if let requestId = message.requestId { try Self.checkRequestId(requestId) }
            let now = environment.now()
            if let problem = message.rules.problem(approvedAt: now, zone: FoundationZone(message.rules.timeZone)) { throw GatewayError.badRequest(problem) }
            _ = try hub.connectedApplet(of: id)
            // A new question replaces one the customer has not answered.
            try await store.dropEnrolments(sessionId: id)
            let token = Secrets.token()
            try await store.saveEnrolment(tokenHash: Secrets.hash(token), DeviceEnrolment(
                sessionId: id, technicianId: actor.id, rules: message.rules, expiresAt: now.addingTimeInterval(Self.enrolmentLifetime)))
            sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.unattendedOffer(.init(
                technician: actor.technician.name, rules: message.rules, enrolmentToken: token, gatewayKey: hub.gatewayIdentity.publicKey))))
            try await hub.logEvent(.unattendedRequested(technician: actor.technician.name), in: record)
        }
    }

    /// The customer's no ends the question (its token dies); a yes waits for the agent to enrol.
    func appletUnattendedAnswer(accepted: Bool, outletId: UUID) async {
        guard !accepted, sockets.isApplet(outletId, of: id), isLive else { return }
        do {
            try await store.dropEnrolments(sessionId: id)
            try await hub.logEvent(.unattendedRefused, in: record)
            if let technicianId = record.technicianId {
                sockets.sendToConsoles(of: technicianId, WireCodec.encode(GatewayToConsole.unattendedResult(.init(sessionId: id, outcome: .refused))))
            }
        } catch {
            logger.error("Could not record the customer's refusal of unattended access", metadata: ["session.id": "\(id)", "error": "\(error)"])
        }
    }
}
