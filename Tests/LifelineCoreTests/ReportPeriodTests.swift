import Foundation
import Testing
@testable import LifelineCore

@Suite("Report periods and CSV (R3, D5)")
struct ReportPeriodTests {
    static let now = Date(timeIntervalSince1970: 1_795_690_380) // 2026-11-26 10:53 UTC

    @Test("days are whole calendar days in the viewer's time zone, the last one included")
    func days() throws {
        let paris = try ReportPeriod.parse(from: "2026-11-01", to: "2026-11-26", timeZone: "Europe/Paris", now: Self.now)
        #expect(paris.start == Date(timeIntervalSince1970: 1_793_487_600)) // 2026-10-31 23:00 UTC
        #expect(paris.end == Date(timeIntervalSince1970: 1_795_734_000)) // 2026-11-26 23:00 UTC
        #expect(paris.localText(Self.now) == "2026-11-26 11:53")
        let fallback = try ReportPeriod.parse(from: nil, to: nil, timeZone: nil, now: Self.now)
        #expect(fallback.end.timeIntervalSince(fallback.start) == 30 * 86_400)
        #expect(fallback.end > Self.now)
    }

    @Test("bad dates, unknown zones, reversed or over-long periods are refused", arguments: [
        ("2026-13-01", "2026-12-01", "UTC", ReportPeriod.Problem.badDate("2026-13-01")),
        ("2026-02-30", "2026-03-01", "UTC", .badDate("2026-02-30")),
        ("26-1-1", "2026-03-01", "UTC", .badDate("26-1-1")),
        ("2026-03-01", "2026-03-02", "Mars/Olympus", .badTimeZone("Mars/Olympus")),
        ("2026-03-02", "2026-03-01", "UTC", .reversed),
        ("2024-01-01", "2026-03-01", "UTC", .tooLong),
    ])
    func refused(from: String, to: String, zone: String, problem: ReportPeriod.Problem) {
        #expect(throws: problem) { try ReportPeriod.parse(from: from, to: to, timeZone: zone, now: Self.now) }
    }

    @Test("CSV quotes what needs it and disarms formulas")
    func csv() {
        let text = CSVText.make(header: ["a", "b"], rows: [["plain", "with, comma"], ["say \"hi\"", "=HYPERLINK(\"x\")"], ["line\nbreak", "-3"]])
        #expect(text == "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\"\r\n\"line\nbreak\",'-3\r\n")
    }
}
