import Foundation
import LifelineCore
import LifelineProtocol

/// Restarting the customer's machine (M1–M3), each request passed to its session (`LiveSession+Reboot`).
extension SessionHub {
    func reboot(_ message: RebootRequestMessage, by actor: Actor) async throws {
        try await liveSession(message.sessionId, for: actor).rebootRequest(message, by: actor)
    }

    func appletRebootResult(_ message: RebootResultMessage, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletRebootResult(message, outletId: outletId)
    }

    func customerRestart(_ phase: CustomerRestartMessage.Phase, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.customerRestart(phase, outletId: outletId)
    }

    static let unknownResumeTicket = GatewayError(.unknownAppletToken, "This restart ticket is unknown, used or expired. Ask your technician for a new PIN.")

    /// The applet started by the resume entry after a restart: its ticket is used up in the store
    /// (of two presenting it, on any gateway, one wins) and it gets the session back.
    func resume(ticket: String, from source: String) async throws -> JoinedSession {
        guard (20...100).contains(ticket.utf8.count) else { throw Self.unknownResumeTicket }
        guard let sessionId = try await store.useResumeTicket(hash: Secrets.hash(ticket), now: environment.now()),
              let session = registry.session(sessionId) else { throw Self.unknownResumeTicket }
        let (record, appletToken) = try await session.resumeAfterRestart()
        logger.info("A restarted machine's applet resumed its session", metadata: ["session.id": "\(sessionId)", "customer.address": "\(source)"])
        try await audit.record(.customerJoined, organisationId: record.organisationId, actorId: nil, actorName: "customer",
                               objectType: "session", objectId: sessionId, after: AuditTrail.json(["credential": "resume_ticket"]), source: source)
        return JoinedSession(sessionId: sessionId, appletToken: appletToken, technicianName: await technicianName(record.technicianId),
                             organisation: await organisationName(record.organisationId))
    }
}
