import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The per-session chat switch (D1): with toggle_chat the session's technician turns the chat with
/// the customer off and on; while off the gateway refuses chat lines from both sides.
extension SessionHub {
    func switchChat(on id: String, enabled: Bool, by actor: Actor) async throws -> SessionSummary {
        try await liveSession(id, for: actor).switchChat(enabled: enabled, by: actor)
    }
}

extension LiveSession {
    func switchChat(enabled: Bool, by actor: Actor) async throws -> SessionSummary {
        try await serialised { try await switchChatNow(enabled: enabled, by: actor) }
    }

    private func switchChatNow(enabled: Bool, by actor: Actor) async throws -> SessionSummary {
        let current = try await hub.ownedLiveSession(id, by: actor)
        try actor.require(.toggleChat)
        guard current.chatDisabled == enabled else { return await hub.summary(of: current) }
        changeRecord { $0.chatDisabled = !enabled }
        let stored = try await persist(record, viewsChanged: false)
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.chatSwitched(.init(enabled: enabled))))
        try await hub.logEvent((enabled ? .chatOn(technician: actor.technician.name) : .chatOff(technician: actor.technician.name)), in: stored)
        await hub.publish(stored)
        return await hub.summary(of: stored)
    }
}
