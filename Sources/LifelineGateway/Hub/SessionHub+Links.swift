import Foundation
import LifelineCore
import LifelineProtocol

/// Send URL (D3): the applet shows the link and opens it in the customer's default browser.
extension SessionHub {
    func sendURL(_ url: String, on id: String, by actor: Actor) async throws {
        let record = try await ownedActiveSession(id, by: actor, permission: .sendUrls, activeOnly: "Links can be sent")
        let link = url.trimmingCharacters(in: .whitespacesAndNewlines)
        do throws(ReplyRules.Problem) { try ReplyRules.checkURL(link) } catch { throw GatewayError.badRequest(ReplyRules.describe(error)) }
        try connectedCustomer(of: id).send(WireCodec.encode(GatewayToApplet.openURL(.init(url: link, technicianName: actor.technician.name))))
        try await logEvent(.linkSent(technician: actor.technician.name, link: link), in: record)
    }
}
