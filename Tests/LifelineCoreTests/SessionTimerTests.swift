import Foundation
import Testing
@testable import LifelineCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private let minute: TimeInterval = 60

@Suite("Session timers move the clock, never sleep")
struct SessionTimerTests {
    @Test("an unused PIN closes after the connecting timeout (20 minutes by default)")
    func connectingTimeout() throws {
        let machine = SessionMachine(createdAt: t0)
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(19 * minute), timers: .standard) == nil)
        var late = machine
        let event = try #require(late.dueTimerEvent(at: t0.addingTimeInterval(20 * minute), timers: .standard))
        try late.handle(event, at: t0.addingTimeInterval(20 * minute))
        #expect(late.state == .closed)
    }

    @Test("Reconnecting becomes Offline after five minutes and returns to On hold when the applet is back")
    func reconnectingToOfflineAndBack() throws {
        var machine = SessionMachine(createdAt: t0)
        try machine.handle(.appletConnected, at: t0)
        try machine.handle(.start, at: t0)
        try machine.handle(.hold, at: t0)
        try machine.handle(.connectionLost(since: t0.addingTimeInterval(minute)), at: t0.addingTimeInterval(minute))
        #expect(machine.state == .reconnecting)
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(5 * minute), timers: .standard) == nil)
        let due = try #require(machine.dueTimerEvent(at: t0.addingTimeInterval(6 * minute), timers: .standard))
        try machine.handle(due, at: t0.addingTimeInterval(6 * minute))
        #expect(machine.state == .offline)
        try machine.handle(.connectionRestored, at: t0.addingTimeInterval(7 * minute))
        #expect(machine.state == .onHold)
        #expect(machine.heldSince == t0, "the hold timer keeps counting through a network loss")
    }

    @Test("a drop noticed only after five minutes puts an active session straight to Offline")
    func lateNoticedDrop() throws {
        var machine = PathRowDriver(from: .active, to: .offline, event: .end).machine()
        try machine.handle(.connectionLost(since: t0), at: t0.addingTimeInterval(10 * minute))
        #expect(machine.state == .offline)
        try machine.handle(.connectionRestored, at: t0.addingTimeInterval(11 * minute))
        #expect(machine.state == .active)
    }

    @Test("a hold lasts at most fourteen days")
    func holdLimit() throws {
        var machine = PathRowDriver(from: .active, to: .onHold, event: .hold).machine()
        try machine.handle(.hold, at: t0)
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(13 * SessionTimers.day), timers: .standard) == nil)
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(14 * SessionTimers.day), timers: .standard) == .idleTimeoutPassed)
    }

    @Test("the administrator's idle timeout times out an active session; activity restarts it")
    func idleTimeout() throws {
        var timers = SessionTimers.standard
        timers.idle = 30 * minute
        var machine = PathRowDriver(from: .active, to: .timedOut, event: .end).machine()
        machine.recordActivity(at: t0.addingTimeInterval(20 * minute))
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(40 * minute), timers: timers) == nil)
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(50 * minute), timers: timers) == .idleTimeoutPassed)
    }

    @Test("the system timeout of two weeks ends any waiting session")
    func systemTimeout() {
        let machine = PathRowDriver(from: .waiting, to: .timedOut, event: .end).machine()
        #expect(machine.dueTimerEvent(at: t0.addingTimeInterval(14 * SessionTimers.day), timers: .standard) == .idleTimeoutPassed)
    }

    @Test("a refused event says which state and event")
    func refusalMessage() {
        var machine = PathRowDriver(from: .onHold, to: .closed, event: .end).machine()
        #expect(throws: TransitionRefused(state: .onHold, event: .end)) { try machine.handle(.end, at: t0) }
    }
}
