import Foundation
import Testing
@testable import LifelineCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// How one path-table row of the appendix is driven: the state, the technician's role, where a
/// reconnecting/rebooting session would return to, and the event named after the row's trigger.
struct PathRowDriver: CustomStringConvertible, Sendable {
    let from: SessionState
    let to: SessionState
    let event: SessionEvent
    var role: SessionMachine.Role = .lead
    var resume: SessionState? = nil
    var description: String { "\(from.rawValue) → \(to.rawValue) by \(event)" }

    func machine() -> SessionMachine {
        SessionMachine(restoring: from, role: role, resumeState: resume, createdAt: t0,
                       stateEnteredAt: t0, heldSince: from == .onHold ? t0 : nil, lastActivityAt: t0)
    }
}

/// One driver per row of the appendix's path tables, in the JSON's order.
let pathRowDrivers: [PathRowDriver] = [
    .init(from: .connecting, to: .waiting, event: .appletConnected),
    .init(from: .connecting, to: .closed, event: .queueTimeoutPassed),
    .init(from: .waiting, to: .active, event: .start),
    .init(from: .waiting, to: .outgoing, event: .transferOut),
    .init(from: .waiting, to: .closed, event: .queueTimeoutPassed),
    .init(from: .waiting, to: .reconnecting, event: .connectionLost(since: t0)),
    .init(from: .waiting, to: .rebooting, event: .rebootStarted),
    .init(from: .active, to: .closedByCustomer, event: .customerClosed(stillWaitingForTechnician: false)),
    .init(from: .active, to: .timedOut, event: .idleTimeoutPassed),
    .init(from: .active, to: .closed, event: .end),
    .init(from: .active, to: .rebooting, event: .rebootStarted),
    .init(from: .active, to: .reconnecting, event: .connectionLost(since: t0)),
    .init(from: .active, to: .collaboration, event: .leadHandedOver),
    .init(from: .active, to: .onHold, event: .hold),
    .init(from: .active, to: .outgoing, event: .transferOut),
    .init(from: .onHold, to: .active, event: .start),
    .init(from: .onHold, to: .outgoing, event: .transferOut),
    .init(from: .onHold, to: .rebooting, event: .rebootStarted),
    .init(from: .onHold, to: .collaboration, event: .start, role: .collaborator),
    .init(from: .onHold, to: .closedByCustomer, event: .customerClosed(stillWaitingForTechnician: false)),
    .init(from: .onHold, to: .reconnecting, event: .connectionLost(since: t0)),
    .init(from: .reconnecting, to: .active, event: .connectionRestored, resume: .active),
    .init(from: .reconnecting, to: .onHold, event: .connectionRestored, resume: .onHold),
    .init(from: .reconnecting, to: .timedOut, event: .idleTimeoutPassed, resume: .active),
    .init(from: .reconnecting, to: .closed, event: .end, resume: .active),
    .init(from: .reconnecting, to: .waiting, event: .connectionRestored, resume: .waiting),
    .init(from: .reconnecting, to: .incoming, event: .connectionRestored, resume: .incoming),
    .init(from: .reconnecting, to: .offline, event: .reconnectLimitPassed, resume: .active),
    .init(from: .offline, to: .active, event: .connectionRestored, resume: .active),
    .init(from: .offline, to: .timedOut, event: .idleTimeoutPassed, resume: .active),
    .init(from: .offline, to: .closed, event: .end, resume: .active),
    .init(from: .offline, to: .onHold, event: .connectionRestored, resume: .onHold),
    .init(from: .offline, to: .waiting, event: .connectionRestored, resume: .waiting),
    .init(from: .incoming, to: .outgoing, event: .transferOut),
    .init(from: .incoming, to: .reconnecting, event: .connectionLost(since: t0)),
    .init(from: .incoming, to: .rebooting, event: .rebootStarted),
    .init(from: .incoming, to: .closed, event: .droppedFromQueue),
    .init(from: .incoming, to: .active, event: .start),
    .init(from: .outgoing, to: .active, event: .start),
    .init(from: .outgoing, to: .incoming, event: .transferIn),
    .init(from: .outgoing, to: .rebooting, event: .rebootStarted),
    .init(from: .outgoing, to: .closedByCustomer, event: .customerClosed(stillWaitingForTechnician: false)),
    .init(from: .outgoing, to: .closed, event: .transferTakenOver),
    .init(from: .invitation, to: .collaboration, event: .start, role: .collaborator),
    .init(from: .invitation, to: .closed, event: .removedByLead, role: .collaborator),
    .init(from: .collaboration, to: .rebooting, event: .rebootStarted, role: .collaborator),
    .init(from: .collaboration, to: .closed, event: .idleTimeoutPassed, role: .collaborator),
    .init(from: .collaboration, to: .closedByCustomer, event: .closedByLead, role: .collaborator),
    .init(from: .collaboration, to: .onHold, event: .hold, role: .collaborator),
    .init(from: .collaboration, to: .closed, event: .removedByLead, role: .collaborator),
    .init(from: .collaboration, to: .active, event: .leadAccepted, role: .collaborator),
    .init(from: .rebooting, to: .active, event: .rebootFinished, resume: .active),
    .init(from: .rebooting, to: .closedByCustomer, event: .closedByLead, role: .collaborator, resume: .collaboration),
    .init(from: .rebooting, to: .closed, event: .removedByLead, role: .collaborator, resume: .collaboration),
    .init(from: .rebooting, to: .outgoing, event: .rebootFinished, resume: .outgoing),
    .init(from: .rebooting, to: .onHold, event: .rebootFinished, resume: .onHold),
    .init(from: .rebooting, to: .incoming, event: .rebootFinished, resume: .incoming),
    .init(from: .rebooting, to: .collaboration, event: .rebootFinished, role: .collaborator, resume: .collaboration),
    .init(from: .rebooting, to: .waiting, event: .rebootFinished, resume: .waiting),
    .init(from: .closedByCustomer, to: .closed, event: .end),
    .init(from: .timedOut, to: .timedOut, event: .idleTimeoutPassed),
    .init(from: .timedOut, to: .closed, event: .end),
]

/// Every event the machine knows, with each payload variant that matters.
private let everyEvent: [SessionEvent] = [
    .appletConnected, .start, .hold, .end, .transferOut, .transferIn, .transferTakenOver,
    .droppedFromQueue, .customerClosed(stillWaitingForTechnician: false),
    .customerClosed(stillWaitingForTechnician: true), .connectionLost(since: t0),
    .connectionLost(since: t0.addingTimeInterval(-3_600)), .reconnectLimitPassed, .connectionRestored,
    .rebootStarted, .rebootFinished, .idleTimeoutPassed, .queueTimeoutPassed, .leadHandedOver,
    .leadAccepted, .removedByLead, .closedByLead,
]

@Suite("Session state machine against the manual's appendix")
struct SessionMachineTableTests {
    @Test("the spec names exactly the states the machine knows")
    func statesMatch() {
        #expect(Set(SessionSpec.shared.states.map(\.id)) == Set(SessionState.allCases.map(\.rawValue)))
    }

    @Test("every path-table row of the appendix has a driver in this table")
    func everyRowHasADriver() {
        let rows = SessionSpec.shared.transitions.map { "\($0.from) → \($0.to)" }
        let drivers = pathRowDrivers.map { "\($0.from.rawValue) → \($0.to.rawValue)" }
        #expect(rows == drivers)
    }

    @Test("each path-table row moves the session as the manual says", arguments: pathRowDrivers)
    func pathRow(_ driver: PathRowDriver) throws {
        var machine = driver.machine()
        let transition = try machine.handle(driver.event, at: t0.addingTimeInterval(1))
        #expect(transition.from == driver.from)
        #expect(transition.to == driver.to)
        #expect(machine.state == driver.to)
    }

    @Test("the machine reaches exactly the allowed (from, to) pairs and refuses every other move")
    func exactlyTheAllowedPairs() {
        let allowed = SessionSpec.shared.allowedPairs
        var reached = Set<Pair>()
        let resumes: [SessionState?] = [nil] + SessionState.allCases
        for state in SessionState.allCases {
            for role in [SessionMachine.Role.lead, .collaborator] {
                for resume in resumes where resume == nil || canResume(resume!, from: state) {
                    for event in everyEvent {
                        var machine = SessionMachine(
                            restoring: state, role: role, resumeState: resume, createdAt: t0,
                            stateEnteredAt: t0, heldSince: nil, lastActivityAt: t0)
                        guard let transition = try? machine.handle(event, at: t0.addingTimeInterval(1)) else {
                            #expect(machine.state == state, "a refused event must not change the state")
                            continue
                        }
                        let pair = Pair(from: transition.from, to: transition.to)
                        #expect(allowed.contains(pair), "\(pair) by \(event) is not in the manual")
                        reached.insert(pair)
                    }
                }
            }
        }
        #expect(allowed.subtracting(reached).isEmpty, "never reached: \(allowed.subtracting(reached))")
    }

    /// A session can only wait to return to a state it could have dropped from.
    private func canResume(_ resume: SessionState, from state: SessionState) -> Bool {
        let allowed = SessionSpec.shared.allowedPairs
        switch state {
        case .reconnecting, .rebooting: return allowed.contains(Pair(from: resume, to: state))
        case .offline:
            return resume != .reconnecting && resume != .rebooting && (allowed.contains(Pair(from: resume, to: .reconnecting)) || allowed.contains(Pair(from: resume, to: .offline)))
        default: return false
        }
    }

    @Test("a machine not back five minutes after a restart goes Offline, then returns to the state it restarted in")
    func rebootTooLong() throws {
        for resume in [SessionState.active, .onHold, .waiting, .outgoing] {
            var machine = SessionMachine(restoring: resume, role: .lead, resumeState: nil, createdAt: t0, stateEnteredAt: t0,
                                         heldSince: resume == .onHold ? t0 : nil, lastActivityAt: t0)
            try machine.handle(.rebootStarted, at: t0)
            #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(299), timers: .standard) == nil)
            let due = try #require(machine.dueTimerEvent(at: t0.addingTimeInterval(300), timers: .standard))
            #expect(due == .reconnectLimitPassed)
            try machine.handle(due, at: t0.addingTimeInterval(300))
            #expect(machine.state == .offline)
            try machine.handle(.connectionRestored, at: t0.addingTimeInterval(900))
            #expect(machine.state == resume)
        }
    }

    @Test("every 'next' of the appendix's state table is an allowed move")
    func stateTableNextIsAllowed() {
        let allowed = SessionSpec.shared.allowedPairs
        for row in SessionSpec.shared.state_table {
            for next in row.next {
                #expect(allowed.contains(Pair(from: SessionState(rawValue: row.state)!, to: SessionState(rawValue: next)!)))
            }
        }
    }

    @Test("the monitoring rows are moves the machine makes")
    func monitoringRows() throws {
        let drivers: [String: SessionEvent] = [
            "connecting→waiting": .appletConnected, "waiting→active": .start,
            "active→closed_by_customer": .customerClosed(stillWaitingForTechnician: false),
            "active→closed": .end, "closed_by_customer→closed": .end,
        ]
        for row in SessionSpec.shared.monitoring_transitions {
            let event = try #require(drivers["\(row.from)→\(row.to)"])
            var machine = PathRowDriver(from: SessionState(rawValue: row.from)!, to: .closed, event: event).machine()
            try machine.handle(event, at: t0)
            #expect(machine.state.rawValue == row.to)
        }
    }
}
