import Foundation
import LifelineCore
import LifelineProtocol

/// System information (L1–L8): the owner of an active session with the `system_info` permission,
/// or a colleague collaborating in it with the permission allowed, asks for one view at a time; the
/// applet reads it and the answer goes back to that technician alone. Reading changes nothing on the customer's machine; the applet tells the customer.
extension LiveSession {
    /// Views asked for and not answered yet, at most this many at a time.
    static let maximumPendingSystemInfoRequests = 8

    func systemInfoRequest(_ message: SystemInfoRequestMessage, by actor: Actor) async throws {
        _ = try await hub.workedSession(id, by: actor, permission: .systemInfo, activeOnly: "System information can be read")
        try Self.checkRequestId(message.requestId)
        if message.view == .events {
            guard let query = message.events, query.isValid else {
                throw GatewayError.badRequest("The event viewer needs events: a log, a priority 0–7, at most 200 bytes of words and 1–500 entries.")
            }
        }
        _ = try hub.connectedApplet(of: id)
        // Checked and written with no await between: two requests cannot both pass the limit.
        guard !systemInfoRequests.isWaiting(message.requestId, of: actor.id) else {
            throw GatewayError.badRequest("This requestId is already waiting for its answer.")
        }
        guard systemInfoRequests.count < Self.maximumPendingSystemInfoRequests else {
            throw GatewayError.badRequest("Too many system information requests are waiting for the customer's computer; wait for their answers.")
        }
        let appletId = systemInfoRequests.add(message.requestId, of: actor.id, ())
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.systemInfoRequest(
            .init(sessionId: nil, requestId: appletId, view: message.view, events: message.view == .events ? message.events : nil))))
    }

    /// The applet's answer goes to the consoles of the technician who asked, under their id, while
    /// they still work on the session; the request waits on until its last part.
    func appletSystemInfoReply(_ message: SystemInfoReplyMessage, outletId: UUID) {
        let more = message.more == true
        guard sockets.isApplet(outletId, of: id),
              let asked = more ? systemInfoRequests[message.requestId] : systemInfoRequests.remove(message.requestId),
              worksOn(asked.technicianId) else { return }
        // Written as `WireCodec.encode` writes the console's message, the long lists' rows directly (DirectJSON).
        sockets.sendToConsoles(of: asked.technicianId, SystemInfoReplyMessage.text(
            sessionId: id, requestId: asked.requestId, encodedPart: message.reply.encoded(), more: more))
    }
}
