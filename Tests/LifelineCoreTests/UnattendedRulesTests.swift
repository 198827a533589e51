import Foundation
import Testing
@testable import LifelineCore

/// Unattended access rules (F5): what can be approved, and when a connection may start — in the
/// rules' own time zone, over midnight and across a change of summer time.
@Suite("Unattended access rules")
struct UnattendedRulesTests {
    /// 2026-03-27 10:00 in Paris (UTC+1); summer time starts on the 29th.
    static let approved = Date(timeIntervalSince1970: 1_774_602_000)

    static func rules(_ period: UnattendedRules.Period, credentials: UnattendedRules.Credentials = .atEachConnection,
                      hours: (Int, Int)? = nil, zone: String = "Europe/Paris") -> UnattendedRules {
        UnattendedRules(credentials: credentials, period: period, dailyStart: hours?.0, dailyEnd: hours?.1, timeZone: zone, clock: .customer)
    }

    @Test("what cannot be approved, and why", arguments: [
        (rules(.days(0)), "Access lasts 1 to 365 days."),
        (rules(.days(366)), "Access lasts 1 to 365 days."),
        (rules(.indefinite, credentials: .customerAtSetup), "With the customer's own credentials, access lasts two weeks at most."),
        (rules(.days(15), credentials: .customerAtSetup), "With the customer's own credentials, access lasts two weeks at most."),
        (rules(.dateRange(first: "2026-03-27", last: "2026-04-20"), credentials: .customerAtSetup), "With the customer's own credentials, access lasts two weeks at most."),
        (rules(.dateRange(first: "2026-04-02", last: "2026-04-01")), "The range ends before it starts."),
        (rules(.dateRange(first: "2026-03-01", last: "2026-03-26")), "The range is over already."),
        (rules(.dateRange(first: "2026-02-30", last: "2026-03-30")), "Dates are written YYYY-MM-DD."),
        (rules(.dateRange(first: "26-3-1", last: "2026-03-30")), "Dates are written YYYY-MM-DD."),
        (rules(.days(3), hours: (600, 600)), "The daily window starts and ends at the same time."),
        (rules(.days(3), hours: (-1, 600)), "Daily hours are minutes after midnight, 0–1439."),
        (rules(.days(3), hours: (0, 1440)), "Daily hours are minutes after midnight, 0–1439."),
        (UnattendedRules(credentials: .atEachConnection, period: .days(3), dailyStart: 60, timeZone: "Europe/Paris", clock: .customer),
         "Give both ends of the daily window, or neither."),
        (rules(.days(3), zone: "Mars/Olympus"), "Mars/Olympus is not a time zone."),
    ])
    func problems(rules: UnattendedRules, problem: String) {
        #expect(rules.problem(approvedAt: Self.approved) == problem)
    }

    @Test("what can be approved")
    func approvable() {
        for rules in [Self.rules(.indefinite), Self.rules(.days(14), credentials: .customerAtSetup), Self.rules(.days(365), hours: (1_320, 360)),
                      Self.rules(.dateRange(first: "2026-03-27", last: "2026-04-09"), credentials: .customerAtSetup)] {
            #expect(rules.problem(approvedAt: Self.approved) == nil, "\(rules)")
        }
    }

    @Test("a range runs from midnight of its first day to midnight after its last, in its own time zone; days count from the approval")
    func periods() {
        let range = Self.rules(.dateRange(first: "2026-03-28", last: "2026-03-30"))
        let hour: TimeInterval = 3_600
        // 2026-03-28 00:00 Paris = 27th 23:00 UTC; 2026-03-31 00:00 Paris (summer time) = 30th 22:00 UTC.
        let start = Date(timeIntervalSince1970: 1_774_652_400)
        #expect(range.verdict(at: start.addingTimeInterval(-1), approvedAt: Self.approved) == .notYet)
        #expect(range.verdict(at: start, approvedAt: Self.approved) == .allowed)
        let end = Date(timeIntervalSince1970: 1_774_908_000)
        #expect(range.ends(approvedAt: Self.approved) == end)
        #expect(range.verdict(at: end.addingTimeInterval(-1), approvedAt: Self.approved) == .allowed)
        #expect(range.verdict(at: end, approvedAt: Self.approved) == .expired)
        let days = Self.rules(.days(2))
        #expect(days.verdict(at: Self.approved.addingTimeInterval(48 * hour - 1), approvedAt: Self.approved) == .allowed)
        #expect(days.verdict(at: Self.approved.addingTimeInterval(48 * hour), approvedAt: Self.approved) == .expired)
        #expect(Self.rules(.indefinite).verdict(at: Self.approved.addingTimeInterval(400 * 86_400), approvedAt: Self.approved) == .allowed)
    }

    @Test("daily hours in the rules' time zone, over midnight too, the same wall-clock hours after summer time starts")
    func hours() {
        let office = Self.rules(.days(10), hours: (9 * 60, 17 * 60))
        // 2026-03-28 07:59 / 08:00 UTC = 08:59 / 09:00 Paris (winter time).
        #expect(office.verdict(at: Date(timeIntervalSince1970: 1_774_684_740), approvedAt: Self.approved) == .outsideHours)
        #expect(office.verdict(at: Date(timeIntervalSince1970: 1_774_684_800), approvedAt: Self.approved) == .allowed)
        // 2026-03-30 07:00 UTC = 09:00 Paris (summer time): open; 06:59 UTC = 08:59: closed.
        #expect(office.verdict(at: Date(timeIntervalSince1970: 1_774_854_000), approvedAt: Self.approved) == .allowed)
        #expect(office.verdict(at: Date(timeIntervalSince1970: 1_774_853_940), approvedAt: Self.approved) == .outsideHours)
        // 17:00 Paris is closed (the end is not included).
        #expect(office.verdict(at: Date(timeIntervalSince1970: 1_774_882_800), approvedAt: Self.approved) == .outsideHours)
        let night = Self.rules(.days(10), hours: (22 * 60, 6 * 60), zone: "America/New_York")
        // 2026-03-28 03:30 UTC = 23:30 New York (EDT): open; 12:00 UTC = 08:00: closed; 09:59 UTC = 05:59: open.
        #expect(night.verdict(at: Date(timeIntervalSince1970: 1_774_668_600), approvedAt: Self.approved) == .allowed)
        #expect(night.verdict(at: Date(timeIntervalSince1970: 1_774_699_200), approvedAt: Self.approved) == .outsideHours)
        #expect(night.verdict(at: Date(timeIntervalSince1970: 1_774_691_940), approvedAt: Self.approved) == .allowed)
    }

    @Test("rules travel as JSON unchanged")
    func coding() throws {
        let rules = Self.rules(.dateRange(first: "2026-03-28", last: "2026-03-30"), credentials: .customerAtSetup, hours: (540, 1_020))
        let decoded = try JSONDecoder().decode(UnattendedRules.self, from: JSONEncoder().encode(rules))
        #expect(decoded == rules)
    }
}

/// The rules' zone as the agent finds it: the system's TZif file (none for a zone that does not exist).
extension UnattendedRules {
    var systemZone: ZoneRules? {
        guard let bytes = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + timeZone) else { return nil }
        do {
            return try ZoneRules(tzif: Array(bytes))
        } catch {
            Issue.record("\(timeZone): \(error)")
            return nil
        }
    }

    func problem(approvedAt: Date) -> String? { problem(approvedAt: approvedAt, zone: systemZone) }
    func ends(approvedAt: Date) -> Date? { ends(approvedAt: approvedAt, zone: systemZone!) }
    func verdict(at now: Date, approvedAt: Date) -> Verdict { verdict(at: now, approvedAt: approvedAt, zone: systemZone!) }
}
