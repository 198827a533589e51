import Foundation
import LifelineCore
import LifelineProtocol

/// Send URL (D3): the applet shows the link and opens it in the customer's default browser.
extension SessionHub {
    func sendURL(_ url: String, on id: String, by actor: Actor) async throws {
        let record = try await visibleSession(id, by: actor)
        guard live[id] != nil, record.technicianId == actor.id else { throw GatewayError.sessionNotFound }
        try actor.require(.sendUrls)
        guard record.machine.state == .active || record.machine.state == .collaboration else {
            throw GatewayError(.conflict, "session_not_active", "Links can be sent in an active session only.")
        }
        let link = url.trimmingCharacters(in: .whitespacesAndNewlines)
        do throws(ReplyRules.Problem) { try ReplyRules.checkURL(link) } catch { throw GatewayError.badRequest(ReplyRules.describe(error)) }
        guard let applet = applets[id] else {
            throw GatewayError(.conflict, "customer_not_connected", "The customer's applet is not connected right now.")
        }
        applet.send(WireCodec.encode(GatewayToApplet.openURL(link, technicianName: actor.technician.name)))
        try await logInvitation("\(actor.technician.name) sent the link \(link)", in: record)
    }
}
