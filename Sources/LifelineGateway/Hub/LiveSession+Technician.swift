import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// What a technician does to one session: Start, Hold, End and chat, each checked against their
/// group and ownership in the session's turn.
extension LiveSession {
    func perform(_ command: SessionCommand, by actor: Actor) async throws -> SessionSummary {
        try await serialised { try await performNow(command, by: actor) }
    }

    private func performNow(_ command: SessionCommand, by actor: Actor) async throws -> SessionSummary {
        let current = try await hub.visibleSession(id, by: actor)
        await hub.recordTechnicianActivity(actor.id)
        awaitingTechnician = false
        guard isLive else { throw GatewayError.refused(TransitionRefused(state: current.machine.state, event: .end)) }
        if current.technicianId == nil {
            switch command {
            case .start: return try await takeFromQueue(current, by: actor)
            case .end: return try await removeFromQueue(current, by: actor)
            case .hold: throw GatewayError.refused(TransitionRefused(state: current.machine.state, event: .hold))
            }
        }
        if current.technicianId != actor.id, current.collaborations[actor.id] != nil {
            return try await performAsColleague(command, on: current, by: actor)
        }
        guard current.technicianId == actor.id else { return try await performAsRecipient(command, on: current, by: actor) }
        switch command {
        case .start:
            try hub.activeLimitAllows(actor.id, excluding: id)
            if current.machine.state == .outgoing { return try await cancelTransfer(of: current, by: actor) }
            return await hub.summary(of: try await apply(.start, claimingActiveSlotOf: actor.id))
        case .hold:
            try actor.require(.holdSessions)
            return await hub.summary(of: try await apply(.hold))
        case .end:
            // A transfer waits for its recipient, unless the customer is gone: then End is the only way out.
            guard current.transfer == nil || !current.machine.state.expectsCustomerConnection else { throw GatewayError.transferPending }
            return await hub.summary(of: try await apply(.end))
        }
    }

    func sendChat(_ text: String, by actor: Actor) async throws -> LogEntry {
        let current = try await hub.visibleSession(id, by: actor)
        await hub.recordTechnicianActivity(actor.id)
        awaitingTechnician = false
        // The lead in an active session, or a colleague collaborating in it whom the lead lets chat.
        let colleagueCollaborating = current.collaborations[actor.id] != nil && current.otherViews[actor.id]?.state == .collaboration
        guard isLive, current.technicianId == actor.id || colleagueCollaborating,
              current.machine.state == .active || current.machine.state == .collaboration else {
            throw SessionHub.chatUnavailable
        }
        if colleagueCollaborating, !hub.sessionPermissions(of: actor, in: current).contains(.chat) {
            throw GatewayError.collaboration(.notPermitted(.chat))
        }
        if current.chatDisabled { throw GatewayError.chatDisabled }
        let clean: String
        do { clean = try ChatText.validated(text) } catch { throw GatewayError.badRequest(SessionHub.describe(error)) }
        let now = environment.now()
        recordActivity(at: now)
        let entry = try await store.appendLog(sessionId: id, at: now, kind: .chat, authorRole: .technician,
                                              author: actor.technician.name, text: clean, state: nil)
        // The customer's side first: the consoles' share (and the other nodes') takes longer.
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.chat(entry)))
        await hub.publish(entry, to: current)
        return entry
    }
}
