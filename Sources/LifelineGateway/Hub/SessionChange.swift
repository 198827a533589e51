import Foundation
import LifelineCore
import LifelineStore

/// What one change to a live session means, worked out without I/O: the record as it must be
/// stored and, in order, what must follow. The hub changes its memory, then one interpreter
/// (`SessionHub.perform`) runs the effects; `SessionChangeTests` check the rules by tables.
struct SessionChange: Equatable, Sendable {
    var record: SessionRecord
    var effects: [SessionEffect]
}

enum SessionEffect: Equatable, Sendable {
    /// Write the record (memory already holds it; a refusal puts memory back and ends the change).
    case persist
    /// A line for operators: the owner's view moved.
    case logTransition(from: SessionState, to: SessionState)
    /// Another technician's view could not follow (it stays as it was); operators should know.
    case logViewLeftBehind(technicianId: String, reason: String)
    /// The remote desktop, if one runs, stops: the new state does not keep it.
    case stopRemoteDesktop(reason: String, state: SessionState)
    /// Every viewer gets the session as they see it.
    case publishToViewers
    /// A view that left its technician's queue with this change, sent once more as it left.
    case publishView(SessionMachine, to: String)
    /// Who saw the session through a queue before (channel, group) and no longer does is told it left.
    case tellQueueLeavers(before: SessionRecord)
    /// The previous owner sees their view; the customer learns the new technician's name.
    case handOver(previousOwnerId: String, view: SessionMachine)
    /// Statuses (Busy) follow the number of active sessions: these technicians and the queue's audience.
    case refreshPresence(of: [String])
    /// A status line in the log, shown to viewers, collaborators and the customer.
    case logStatus(SessionState)
    case sendSurvey
    /// The applet is told the session ended and its socket closes.
    case endApplet(reason: String)
    /// External collaborators' views follow the lead's.
    case followCollaborators(SessionEvent)
}

extension SessionChange {
    /// The owner's view takes `event`; other views (a transfer's recipient) follow where the event
    /// concerns them too (a lost connection, a reboot, a customer who left before anyone answered).
    static func applying(_ event: SessionEvent, to current: SessionRecord, before: SessionRecord?, at now: Date,
                         timers: SessionTimers) throws(TransitionRefused) -> SessionChange {
        var record = current
        let transition = try record.machine.handle(event, at: now, timers: timers)
        var leaving: [String: SessionMachine] = [:]
        var leftBehind: [SessionEffect] = []
        for (technicianId, view) in record.otherViews.sorted(by: { $0.key < $1.key }) {
            // A colleague invited or collaborating follows the lead (their hold too).
            let followed = view.role == .collaborator
                ? InternalCollaboration.viewEvent(forLead: event, leadBefore: current.machine, leadAfter: record.machine, view: view)
                : viewEvent(for: event, in: view.state)
            guard let viewEvent = followed else { continue }
            var moved = view
            do {
                try moved.handle(viewEvent, at: now, timers: timers)
            } catch {
                leftBehind.append(.logViewLeftBehind(technicianId: technicianId, reason: error.description))
                continue
            }
            record.otherViews[technicianId] = moved
            if moved.state.isRemovedFromQueue { leaving[technicianId] = moved }
        }
        if transition.to.isClosed { leaving.merge(record.otherViews) { first, _ in first } }
        var change = committing(record, before: before, transition: transition, leavingViews: leaving, at: now)
        change.effects.insert(contentsOf: leftBehind, at: 1)
        return change
    }

    /// The event another technician's view takes when the owner's view takes `event`.
    static func viewEvent(for event: SessionEvent, in state: SessionState) -> SessionEvent? {
        switch event {
        case .connectionLost, .connectionRestored, .reconnectLimitPassed, .rebootStarted, .rebootFinished: event
        case .customerClosed where state == .incoming: .droppedFromQueue
        // The owner ended it (a transfer whose customer was gone): every other view leaves too.
        case .end: state == .incoming ? .droppedFromQueue : .end
        default: nil
        }
    }

    /// The record as it must be stored after a change already made to `changed` (`transition` for
    /// the owner's view, nil for an edit), and what follows. `leavingViews` left their technicians'
    /// queues with it and are dropped from the record.
    static func committing(_ changed: SessionRecord, before: SessionRecord?, transition: Transition?,
                           leavingViews: [String: SessionMachine] = [:],
                           previousOwner: (id: String, machine: SessionMachine)? = nil, at now: Date) -> SessionChange {
        var record = tidied(changed, dropping: Array(leavingViews.keys), at: now)
        if let transition, let end = SessionEnd(from: transition.from, to: transition.to, event: transition.event) { record.endReason = end }
        let state = record.machine.state
        var effects: [SessionEffect] = [.persist]
        if let transition { effects.append(.logTransition(from: transition.from, to: state)) }
        if !RemoteDesktopState.survives(state) { effects.append(.stopRemoteDesktop(reason: StatusText.entering(state), state: state)) }
        effects.append(.publishToViewers)
        effects += leavingViews.sorted { $0.key < $1.key }.map { .publishView($0.value, to: $0.key) }
        if let before { effects.append(.tellQueueLeavers(before: before)) }
        if let previousOwner { effects.append(.handOver(previousOwnerId: previousOwner.id, view: previousOwner.machine)) }
        let concerned = [record.technicianId].compactMap { $0 } + record.otherViews.keys.sorted()
            + leavingViews.keys.sorted() + [previousOwner?.id].compactMap { $0 }
        effects.append(.refreshPresence(of: concerned.uniqued()))
        if let transition, transition.from != state {
            effects.append(.logStatus(state))
            if state.isClosed {
                if SurveyRules.asksAtEnd(closedIn: state) { effects.append(.sendSurvey) }
                effects.append(.endApplet(reason: StatusText.entering(state)))
            }
        }
        if let transition { effects.append(.followCollaborators(transition.event)) }
        return SessionChange(record: record, effects: effects)
    }

    /// A closed session's secrets die with it; a transfer whose recipient's view left goes too.
    private static func tidied(_ changed: SessionRecord, dropping leaving: [String], at now: Date) -> SessionRecord {
        var record = changed
        let state = record.machine.state
        for technicianId in leaving {
            record.otherViews[technicianId] = nil
            record.collaborations[technicianId] = nil
        }
        if let transfer = record.transfer {
            switch transfer.to {
            case .technician(let recipient): if record.otherViews[recipient] == nil { record.transfer = nil }
            case .group, .channel: if state.isClosed { record.transfer = nil }
            }
        }
        if state.isClosed {
            record.pin = nil
            record.linkTokenHash = nil
            record.appletTokenHash = nil
        }
        if state.isRemovedFromQueue { record.closedAt = now }
        return record
    }
}

private extension Array where Element: Hashable {
    /// The elements in their first order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
