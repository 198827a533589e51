#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One technician's view of one session: its state and the timers that move it.
/// Events are methods that return the transition; the caller does the I/O.
public struct SessionMachine: Equatable, Sendable {
    public enum Role: String, Codable, Sendable {
        case lead
        case collaborator
    }

    public private(set) var state: SessionState
    public private(set) var role: Role
    /// Where reconnecting, offline and rebooting sessions go back to when the customer returns.
    public private(set) var resumeState: SessionState?
    public private(set) var createdAt: Date
    public private(set) var stateEnteredAt: Date
    public private(set) var heldSince: Date?
    public private(set) var lastActivityAt: Date

    /// A new private session: Connecting until the applet arrives.
    public init(createdAt: Date) {
        self.init(restoring: .connecting, role: .lead, resumeState: nil, createdAt: createdAt,
                  stateEnteredAt: createdAt, heldSince: nil, lastActivityAt: createdAt)
    }

    /// A machine rebuilt from what the store kept.
    public init(
        restoring state: SessionState, role: Role, resumeState: SessionState?, createdAt: Date,
        stateEnteredAt: Date, heldSince: Date?, lastActivityAt: Date
    ) {
        self.state = state
        self.role = role
        self.resumeState = resumeState
        self.createdAt = createdAt
        self.stateEnteredAt = stateEnteredAt
        self.heldSince = heldSince
        self.lastActivityAt = lastActivityAt
    }

    /// An invited technician's view before they accept.
    public static func invitation(at now: Date) -> SessionMachine {
        SessionMachine(restoring: .invitation, role: .collaborator, resumeState: nil, createdAt: now,
                       stateEnteredAt: now, heldSince: nil, lastActivityAt: now)
    }

    /// The recipient's view of a session transferred to them, before they start it.
    public static func incomingTransfer(at now: Date) -> SessionMachine {
        SessionMachine(restoring: .incoming, role: .lead, resumeState: nil, createdAt: now,
                       stateEnteredAt: now, heldSince: nil, lastActivityAt: now)
    }

    /// Applies `event`. Throws when the manual has no such transition from the current state.
    @discardableResult
    public mutating func handle(
        _ event: SessionEvent, at now: Date, timers: SessionTimers = .standard
    ) throws(TransitionRefused) -> Transition {
        guard let next = nextState(for: event, at: now, timers: timers) else {
            throw TransitionRefused(state: state, event: event)
        }
        let from = state
        enter(next, from: from, event: event, at: now)
        return Transition(from: from, to: next, event: event)
    }

    /// Notes technician or customer activity, which restarts the idle timer.
    public mutating func recordActivity(at now: Date) {
        lastActivityAt = now
    }

    /// The timer-driven event due at `now`, if any. The caller passes it to `handle`.
    public func dueTimerEvent(at now: Date, timers: SessionTimers) -> SessionEvent? {
        func passed(_ since: Date, _ limit: TimeInterval?) -> Bool {
            guard let limit else { return false }
            return now.timeIntervalSince(since) >= limit
        }
        switch state {
        case .connecting:
            return passed(createdAt, timers.connecting) ? .queueTimeoutPassed : nil
        case .waiting:
            if passed(stateEnteredAt, timers.waiting) { return .queueTimeoutPassed }
            return passed(createdAt, timers.system) ? .idleTimeoutPassed : nil
        case .reconnecting:
            if passed(stateEnteredAt, timers.reconnectingToOffline) { return .reconnectLimitPassed }
            return passed(lastActivityAt, timers.idle) || passed(createdAt, timers.system) ? .idleTimeoutPassed : nil
        case .onHold:
            if passed(heldSince ?? stateEnteredAt, timers.maximumHold) { return .idleTimeoutPassed }
            return passed(createdAt, timers.system) ? .idleTimeoutPassed : nil
        case .active, .offline, .incoming, .outgoing, .collaboration:
            return passed(lastActivityAt, timers.idle) || passed(createdAt, timers.system) ? .idleTimeoutPassed : nil
        case .rebooting:
            // A machine not back within the limit is Offline (the appendix's Offline row).
            return passed(stateEnteredAt, timers.reconnectingToOffline) ? .reconnectLimitPassed : nil
        case .invitation, .timedOut, .closedByCustomer, .closedByCustomerWaiting, .closed:
            return nil
        }
    }

    private mutating func enter(_ next: SessionState, from: SessionState, event: SessionEvent, at now: Date) {
        switch next {
        case .reconnecting, .rebooting:
            // Keep the first real state when a drop follows a drop.
            if from != .reconnecting && from != .offline && from != .rebooting { resumeState = from }
        case .offline:
            if from != .reconnecting && from != .rebooting { resumeState = from }
        default:
            resumeState = nil
        }
        switch event {
        case .leadHandedOver: role = .collaborator
        case .leadAccepted: role = .lead
        default: break
        }
        if next == .onHold {
            if heldSince == nil || from != .reconnecting && from != .offline && from != .rebooting { heldSince = now }
        } else if !(next == .reconnecting || next == .offline || next == .rebooting) {
            heldSince = nil
        }
        if next != from { stateEnteredAt = now }
        lastActivityAt = now
        state = next
    }

    // The manual's transitions, state by state. A nil answer is a refusal.
    private func nextState(for event: SessionEvent, at now: Date, timers: SessionTimers) -> SessionState? {
        switch state {
        case .connecting, .waiting, .incoming, .outgoing: nextStateInQueue(for: event)
        case .active, .onHold, .invitation, .collaboration: nextStateAtWork(for: event, at: now, timers: timers)
        case .rebooting, .reconnecting, .offline, .timedOut, .closedByCustomer, .closedByCustomerWaiting, .closed: nextStateAway(for: event)
        }
    }

    /// Before a technician works on it, or while it passes between technicians.
    private func nextStateInQueue(for event: SessionEvent) -> SessionState? {
        switch state {
        case .connecting:
            switch event {
            case .appletConnected: return .waiting
            case .queueTimeoutPassed, .end: return .closed
            default: return nil
            }
        case .waiting:
            switch event {
            case .start: return .active
            case .transferOut: return .outgoing
            case .transferIn: return .incoming
            case .queueTimeoutPassed, .end: return .closed
            case .customerClosed: return .closedByCustomerWaiting
            case .connectionLost: return .reconnecting
            case .rebootStarted: return .rebooting
            case .idleTimeoutPassed: return .timedOut
            default: return nil
            }
        case .incoming:
            switch event {
            case .start: return .active
            case .transferOut: return .outgoing
            case .connectionLost: return .reconnecting
            case .rebootStarted: return .rebooting
            case .droppedFromQueue, .end: return .closed
            case .customerClosed(let stillWaiting): return stillWaiting ? .closedByCustomerWaiting : .closedByCustomer
            case .idleTimeoutPassed: return .timedOut
            default: return nil
            }
        case .outgoing:
            switch event {
            case .start: return .active
            case .transferIn: return .incoming
            case .rebootStarted: return .rebooting
            case .customerClosed(let stillWaiting): return stillWaiting ? .closedByCustomerWaiting : .closedByCustomer
            case .transferTakenOver, .end: return .closed
            case .connectionLost: return .reconnecting
            case .idleTimeoutPassed: return .timedOut
            default: return nil
            }
        default:
            return nil
        }
    }

    /// While a technician (lead or collaborator) works on it.
    private func nextStateAtWork(for event: SessionEvent, at now: Date, timers: SessionTimers) -> SessionState? {
        switch state {
        case .active:
            switch event {
            case .end: return .closed
            case .customerClosed(let stillWaiting): return stillWaiting ? .closedByCustomerWaiting : .closedByCustomer
            case .idleTimeoutPassed: return .timedOut
            case .rebootStarted: return .rebooting
            case .connectionLost(let since):
                // Noticed only after the reconnect limit (gateway was down): straight to Offline.
                return now.timeIntervalSince(since) >= timers.reconnectingToOffline ? .offline : .reconnecting
            case .leadHandedOver: return .collaboration
            case .hold: return .onHold
            case .transferOut: return .outgoing
            case .transferIn: return .incoming
            default: return nil
            }
        case .onHold:
            switch event {
            case .start: return role == .lead ? .active : .collaboration
            case .transferOut: return .outgoing
            case .rebootStarted: return .rebooting
            // A colleague who held for themselves sees the lead's close as the customer's (as from Collaboration).
            case .customerClosed, .closedByLead: return .closedByCustomer
            case .connectionLost: return .reconnecting
            case .idleTimeoutPassed: return .timedOut
            default: return nil
            }
        case .invitation:
            switch event {
            case .start: return .collaboration
            case .removedByLead, .end: return .closed
            default: return nil
            }
        case .collaboration:
            switch event {
            case .rebootStarted: return .rebooting
            case .idleTimeoutPassed, .removedByLead, .end: return .closed
            case .closedByLead, .customerClosed: return .closedByCustomer
            case .hold: return .onHold
            case .leadAccepted: return .active
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The customer's machine is away (rebooting, a lost connection), or the session is ending.
    private func nextStateAway(for event: SessionEvent) -> SessionState? {
        switch state {
        case .rebooting:
            switch event {
            case .rebootFinished: return resumeState ?? (role == .lead ? .active : .collaboration)
            case .reconnectLimitPassed: return .offline
            case .closedByLead, .customerClosed: return .closedByCustomer
            case .removedByLead, .end: return .closed
            default: return nil
            }
        case .reconnecting:
            switch event {
            case .connectionRestored: return resumeState ?? .active
            case .reconnectLimitPassed: return .offline
            case .idleTimeoutPassed: return .timedOut
            case .end: return .closed
            case .customerClosed: return .closedByCustomer
            default: return nil
            }
        case .offline:
            switch event {
            case .connectionRestored: return resumeState ?? .active
            case .idleTimeoutPassed: return .timedOut
            case .end: return .closed
            case .customerClosed: return .closedByCustomer
            default: return nil
            }
        case .timedOut:
            switch event {
            case .end: return .closed
            case .idleTimeoutPassed: return .timedOut
            default: return nil
            }
        case .closedByCustomer:
            return event == .end ? .closed : nil
        case .closedByCustomerWaiting, .closed:
            return nil
        default:
            return nil
        }
    }
}

/// A state change that happened.
public struct Transition: Equatable, Sendable {
    public let from: SessionState
    public let to: SessionState
    public let event: SessionEvent
}

/// The manual has no transition for this event in this state.
public struct TransitionRefused: Error, Equatable, Sendable, CustomStringConvertible {
    public let state: SessionState
    public let event: SessionEvent

    public init(state: SessionState, event: SessionEvent) {
        self.state = state
        self.event = event
    }

    public var description: String { "A session that is \(state.rawValue) cannot take \(event)." }
}
