import Foundation
import Testing
@testable import LifelineCore

@Suite("Channel rules (F2)")
struct ChannelRulesTests {
    /// Monday to Friday, 9:00–17:30 in Paris.
    let office = WorkingHours(timeZone: "Europe/Paris", spans: (1...5).map { .init(weekday: $0, opens: 540, closes: 1_050) })

    func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    @Test("working hours follow the channel's time zone and weekdays", arguments: [
        ("2026-11-30T08:00:00Z", true),   // Monday 9:00 in Paris
        ("2026-11-30T07:59:00Z", false),  // Monday 8:59 in Paris
        ("2026-11-30T16:29:00Z", true),   // Monday 17:29 in Paris
        ("2026-11-30T16:30:00Z", false),  // Monday 17:30 in Paris: closed
        ("2026-11-28T10:00:00Z", false),  // Saturday
        ("2026-12-04T12:00:00Z", true),   // Friday
        ("2026-11-29T12:00:00Z", false),  // Sunday
    ])
    func hours(_ iso: String, open: Bool) {
        #expect(office.isOpen(at: date(iso)) == open)
    }

    @Test("bad working hours are refused")
    func validation() {
        #expect(throws: WorkingHours.Problem.unknownTimeZone("Mars/Olympus")) {
            try WorkingHours(timeZone: "Mars/Olympus", spans: []).validated()
        }
        let backwards = WorkingHours.Span(weekday: 1, opens: 600, closes: 500)
        #expect(throws: WorkingHours.Problem.badSpan(backwards)) { try WorkingHours(timeZone: "UTC", spans: [backwards]).validated() }
        #expect(throws: WorkingHours.Problem.badSpan(.init(weekday: 8, opens: 0, closes: 60))) {
            try WorkingHours(timeZone: "UTC", spans: [.init(weekday: 8, opens: 0, closes: 60)]).validated()
        }
    }

    struct TakeRow: Sendable, CustomStringConvertible {
        let group: String?
        let permissions: [Permission]
        let status: TechnicianStatus
        let expected: Bool
        var description: String { "\(group ?? "no group"), \(permissions.map(\.rawValue)), \(status) → \(expected)" }
    }

    @Test("only Online technicians of an assigned group with the permission take channel sessions", arguments: [
        TakeRow(group: "level1", permissions: [.channelSessions], status: .online, expected: true),
        TakeRow(group: "level1", permissions: [.channelSessions], status: .away, expected: false),
        TakeRow(group: "level1", permissions: [.channelSessions], status: .busy, expected: false),
        TakeRow(group: "level1", permissions: [.chat], status: .online, expected: false),
        TakeRow(group: "level2", permissions: [.channelSessions], status: .online, expected: false),
        TakeRow(group: nil, permissions: [.channelSessions], status: .online, expected: false),
    ])
    func mayTake(_ row: TakeRow) {
        #expect(ChannelRules.mayTake(groupId: row.group, permissions: PermissionSet(row.permissions), status: row.status,
                                     channelGroups: ["level1"]) == row.expected)
    }

    @Test("availability: hours first, then someone to take it; keep or refuse decides what happens")
    func availability() {
        let monday = date("2026-11-30T10:00:00Z")
        let saturday = date("2026-11-28T10:00:00Z")
        #expect(ChannelRules.availability(hours: office, anyoneMayTake: true, at: monday) == .open)
        #expect(ChannelRules.availability(hours: office, anyoneMayTake: true, at: saturday) == .outsideWorkingHours)
        #expect(ChannelRules.availability(hours: nil, anyoneMayTake: false, at: saturday) == .nobodyAvailable)
        #expect(ChannelRules.accepts(.open, whenUnavailable: .refuse))
        #expect(ChannelRules.accepts(.nobodyAvailable, whenUnavailable: .keep))
        #expect(!ChannelRules.accepts(.outsideWorkingHours, whenUnavailable: .refuse))
    }
}
