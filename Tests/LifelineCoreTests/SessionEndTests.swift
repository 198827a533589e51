import Foundation
import Testing
@testable import LifelineCore

@Suite("How a session ended (history, issue 15 item 8)")
struct SessionEndTests {
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("each way out of the queue has its end", arguments: [
        (SessionState.active, SessionState.closed, SessionEvent.end, SessionEnd.technician),
        (.onHold, .closed, .end, .technician),
        (.waiting, .closed, .end, .technician),
        (.waiting, .closed, .queueTimeoutPassed, .timedOut),
        (.connecting, .closed, .queueTimeoutPassed, .expired),
        (.connecting, .closed, .end, .technician),
        (.closedByCustomer, .closed, .end, .customer),
        (.waiting, .closedByCustomerWaiting, .customerClosed(stillWaitingForTechnician: true), .customerWhileWaiting),
        (.active, .closedByCustomerWaiting, .customerClosed(stillWaitingForTechnician: true), .customerWhileWaiting),
        (.timedOut, .closed, .end, .timedOut),
        (.offline, .closed, .end, .connectionLost),
        (.reconnecting, .closed, .end, .technician),
        (.outgoing, .closed, .transferTakenOver, .handedOver),
        (.incoming, .closed, .droppedFromQueue, .handedOver),
        (.collaboration, .closed, .removedByLead, .handedOver),
        (.collaboration, .closed, .idleTimeoutPassed, .timedOut),
    ] as [(SessionState, SessionState, SessionEvent, SessionEnd)])
    func ends(from: SessionState, to: SessionState, event: SessionEvent, expected: SessionEnd) {
        #expect(SessionEnd(from: from, to: to, event: event) == expected)
    }

    @Test("a session still in the queue has not ended", arguments: [
        (SessionState.active, SessionState.closedByCustomer, SessionEvent.customerClosed(stillWaitingForTechnician: false)),
        (.active, .timedOut, .idleTimeoutPassed),
        (.reconnecting, .offline, .reconnectLimitPassed),
        (.waiting, .active, .start),
    ] as [(SessionState, SessionState, SessionEvent)])
    func notEnded(from: SessionState, to: SessionState, event: SessionEvent) {
        #expect(SessionEnd(from: from, to: to, event: event) == nil)
    }

    @Test("every transition of the manual that leaves the queue, driven through the machine, has an end")
    func machineEndsHaveReasons() throws {
        let timers = SessionTimers.standard
        let paths: [[SessionEvent]] = [
            [.appletConnected, .start, .end],
            [.appletConnected, .start, .customerClosed(stillWaitingForTechnician: false), .end],
            [.appletConnected, .customerClosed(stillWaitingForTechnician: true)],
            [.queueTimeoutPassed],
        ]
        for path in paths {
            var machine = SessionMachine(createdAt: Self.at)
            var last: Transition?
            for event in path { last = try machine.handle(event, at: Self.at, timers: timers) }
            let transition = try #require(last)
            #expect(SessionEnd(from: transition.from, to: transition.to, event: transition.event) != nil, "\(path)")
        }
    }
}
