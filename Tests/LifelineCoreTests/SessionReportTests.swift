import Foundation
import Testing
@testable import LifelineCore

@Suite("Sessions report times: waiting, handling, how it ended; technician averages")
struct SessionReportTests {
    static let t0 = Date(timeIntervalSince1970: 1_000)
    static func at(_ seconds: Double, _ state: SessionState) -> SessionTiming.Change {
        SessionTiming.Change(at: t0.addingTimeInterval(seconds), state: state)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let changes: [SessionTiming.Change]
        let waiting: TimeInterval?
        let handling: TimeInterval?
        let end: SessionState?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "picked up and closed", changes: [at(0, .connecting), at(10, .waiting), at(70, .active), at(370, .closed)],
             waiting: 60, handling: 300, end: .closed),
        Case(name: "customer left while waiting", changes: [at(0, .connecting), at(10, .waiting), at(40, .closedByCustomerWaiting)],
             waiting: 30, handling: nil, end: .closedByCustomerWaiting),
        Case(name: "PIN never used", changes: [at(0, .connecting), at(1200, .timedOut)], waiting: nil, handling: nil, end: .timedOut),
        Case(name: "held and resumed counts as handling", changes: [at(0, .waiting), at(5, .active), at(20, .onHold), at(50, .active), at(65, .closedByCustomer)],
             waiting: 5, handling: 60, end: .closedByCustomer),
        Case(name: "still open: measured to now", changes: [at(0, .waiting), at(100, .active)], waiting: 100, handling: 900, end: nil),
    ]

    @Test("timing of one session", arguments: cases)
    func timing(_ c: Case) {
        let timing = SessionTiming.measure(c.changes, now: Self.t0.addingTimeInterval(1_000))
        #expect(timing.waiting == c.waiting)
        #expect(timing.handling == c.handling)
        #expect(timing.endState == c.end)
    }

    @Test("per technician: sessions, picked up, average pick-up and handling")
    func performance() {
        let now = Self.t0.addingTimeInterval(10_000)
        let rows = TechnicianPerformance.summarise([
            ("ann", SessionTiming.measure([Self.at(0, .waiting), Self.at(30, .active), Self.at(330, .closed)], now: now)),
            ("ann", SessionTiming.measure([Self.at(0, .waiting), Self.at(90, .active), Self.at(190, .closed)], now: now)),
            ("ann", SessionTiming.measure([Self.at(0, .connecting), Self.at(60, .timedOut)], now: now)),
            ("bob", SessionTiming.measure([Self.at(0, .waiting), Self.at(10, .active), Self.at(70, .closed)], now: now)),
        ])
        #expect(rows == [
            TechnicianPerformance(technicianId: "ann", sessions: 3, handled: 2, averagePickUp: 60, averageHandling: 200),
            TechnicianPerformance(technicianId: "bob", sessions: 1, handled: 1, averagePickUp: 10, averageHandling: 60),
        ])
        #expect(DurationText.make(3_909) == "1:05:09")
        #expect(DurationText.make(242) == "4:02")
        #expect(DurationText.make(nil) == "")
    }
}
