import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Start, Hold and End as a colleague invited into the session (I1, the appendix's Invitation and
/// Collaboration rows): Start accepts the invitation (or comes back from their own hold), Hold
/// holds the session for them only, End declines the invitation or leaves — the session goes on.
extension LiveSession {
    func performAsColleague(_ command: SessionCommand, on current: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        guard var view = current.otherViews[actor.id] else { throw GatewayError.sessionNotFound }
        let now = environment.now()
        let name = actor.technician.name
        var leaving: [String: SessionMachine] = [:]
        let event: SessionLogEvent
        switch (command, view.state) {
        case (.start, .invitation):
            _ = try hub.move(&view, by: .start, at: now)
            event = .colleagueJoined(technician: name)
        case (.start, .onHold):
            // The lead's hold holds everyone: only the lead's start ends it.
            guard current.machine.state != .onHold else { throw GatewayError.collaboration(.leadOnHold) }
            _ = try hub.move(&view, by: .start, at: now)
            event = .colleagueResumed(technician: name)
        case (.hold, _):
            try actor.require(.holdSessions)
            guard hub.sessionPermissions(of: actor, in: current).contains(.holdSessions) else {
                throw GatewayError.collaboration(.notPermitted(.holdSessions))
            }
            _ = try hub.move(&view, by: .hold, at: now)
            event = .colleagueHeld(technician: name)
        case (.end, .invitation):
            _ = try hub.move(&view, by: .end, at: now)
            leaving[actor.id] = view
            event = .colleagueDeclined(technician: name)
        case (.end, _):
            // On hold there is no End in the appendix: back to Collaboration, then out.
            if view.state == .onHold { _ = try hub.move(&view, by: .start, at: now) }
            _ = try hub.move(&view, by: .end, at: now)
            leaving[actor.id] = view
            event = .colleagueLeft(technician: name)
        case (.start, _):
            throw GatewayError.refused(TransitionRefused(state: view.state, event: .start))
        }
        var changed = current
        if leaving.isEmpty { changed.otherViews[actor.id] = view }
        let stored = try await commit(changed, ownerTransition: nil, leavingViews: leaving)
        try await hub.logEvent(event, in: stored)
        switch event {
        case .colleagueJoined:
            tellCustomer(colleague: name, joined: true)
            try await hub.audit.record(.colleagueJoined, by: actor, objectType: "session", objectId: id)
        case .colleagueLeft:
            tellCustomer(colleague: name, joined: false)
        default:
            break
        }
        return await hub.summary(of: stored, view: view)
    }

    /// The idle timeout passed for a colleague (checked again in the session's turn: they may have
    /// acted meanwhile): their view closes, the customer is told who left, the session goes on.
    func endIdleCollaboration(of technicianId: String, at now: Date, idle: TimeInterval?) async throws {
        try await serialised {
            guard isLive, var view = record.otherViews[technicianId], record.collaborations[technicianId] != nil,
                  InternalCollaboration.idledOut(view, lastConsoleActivity: hub.presence(of: technicianId).lastActivityAt, now: now, idle: idle)
            else { return }
            _ = try hub.move(&view, by: .idleTimeoutPassed, at: now)
            let stored = try await commit(record, ownerTransition: nil, leavingViews: [technicianId: view])
            let name = await hub.technicianName(technicianId)
            try await hub.logEvent(.colleagueTimedOut(technician: name), in: stored)
            tellCustomer(colleague: name, joined: false)
        }
    }
}
