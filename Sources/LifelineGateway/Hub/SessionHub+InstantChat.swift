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
        try await serialised(id) { try await inviteToAppletNow(on: id, by: actor) }
    }

    private func inviteToAppletNow(on id: String, by actor: Actor) async throws {
        var record = try await ownedActiveSession(id, by: actor, activeOnly: "The customer can be invited to download the app")
        let browser = try connectedCustomer(of: id)
        guard record.customer?.chatOnly == true else {
            throw GatewayError(.appletRunning, "The customer already runs the Lifeline app.")
        }
        // A new invitation replaces the previous one: only the latest link works.
        let token = Secrets.token()
        record.linkTokenHash = Secrets.hash(token)
        live[id]?.linkTokenHash = record.linkTokenHash
        record = try await persist(live[id] ?? record, viewsChanged: false)
        browser.send(WireCodec.encode(GatewayToApplet.appletInvitation(linkToken: token, technicianName: actor.technician.name)))
        try await logEvent(.appletInvited(technician: actor.technician.name), in: record)
    }

    /// "Not now": the technician learns it in the log; the link stays valid in case they change their mind.
    func customerDeclinedApplet(sessionId: String, outletId: UUID) async throws {
        guard sockets.isApplet(outletId, of: sessionId), let record = live[sessionId], record.customer?.chatOnly == true else { return }
        try await logEvent(.appletDeclined, in: record)
    }
}
