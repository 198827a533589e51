import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Instant Chat (G2): the customer chats from the browser; the technician's "invite to download"
/// gives them a one-time link that joins the applet to the same session, with every tool.
extension SessionHub {
    /// A running Instant Chat session whose customer was invited to download the applet.
    static func awaitsApplet(_ record: SessionRecord) -> Bool {
        record.customer?.chatOnly == true && !record.machine.state.isClosed
    }

    func inviteToApplet(on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).inviteToApplet(by: actor)
    }

    /// "Not now": the technician learns it in the log; the link stays valid in case they change their mind.
    func customerDeclinedApplet(sessionId: String, outletId: UUID) async throws {
        guard sockets.isApplet(outletId, of: sessionId), let record = registry.record(sessionId), record.customer?.chatOnly == true else { return }
        try await logEvent(.appletDeclined, in: record)
    }
}

extension LiveSession {
    func inviteToApplet(by actor: Actor) async throws {
        try await serialised { try await inviteToAppletNow(by: actor) }
    }

    private func inviteToAppletNow(by actor: Actor) async throws {
        _ = try await hub.ownedActiveSession(id, by: actor, activeOnly: "The customer can be invited to download the app")
        let browser = try hub.connectedCustomer(of: id)
        guard record.customer?.chatOnly == true else {
            throw GatewayError(.appletRunning, "The customer already runs the Lifeline app.")
        }
        // A new invitation replaces the previous one: only the latest link works.
        let token = Secrets.token()
        changeRecord { $0.linkTokenHash = Secrets.hash(token) }
        let stored = try await persist(record, viewsChanged: false)
        browser.send(WireCodec.encode(GatewayToApplet.appletInvitation(.init(linkToken: token, technicianName: actor.technician.name))))
        try await hub.logEvent(.appletInvited(technician: actor.technician.name), in: stored)
    }
}
