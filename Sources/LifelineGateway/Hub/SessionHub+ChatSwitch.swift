import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The per-session chat switch (D1): with toggle_chat the session's technician turns the chat with
/// the customer off and on; while off the gateway refuses chat lines from both sides.
extension SessionHub {
    func switchChat(on id: String, enabled: Bool, by actor: Actor) async throws -> SessionSummary {
        try await serialised(id) { try await switchChatNow(on: id, enabled: enabled, by: actor) }
    }

    private func switchChatNow(on id: String, enabled: Bool, by actor: Actor) async throws -> SessionSummary {
        var record = try await ownedLiveSession(id, by: actor)
        try actor.require(.toggleChat)
        guard record.chatDisabled == enabled else { return await summary(of: record) }
        record.chatDisabled = !enabled
        live[id]?.chatDisabled = !enabled
        record = try await persist(live[id] ?? record, viewsChanged: false)
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.chatSwitched(enabled: enabled)))
        try await logEvent((enabled ? .chatOn(technician: actor.technician.name) : .chatOff(technician: actor.technician.name)), in: record)
        await publish(record)
        return await summary(of: record)
    }
}
