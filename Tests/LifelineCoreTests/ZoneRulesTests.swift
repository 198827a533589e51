import Foundation
import Testing
@testable import LifelineCore
import LifelineTestSupport

/// The agent's time zones without ICU (F5): the system's TZif files read by `ZoneRules` give the
/// same offsets as the C library's reading of the same files, past the files' last transition too
/// (their POSIX rule). Foundation is no yardstick here: its time zones come with ICU's own copy of
/// the database, which lags the system's when a country changes its rules (Morocco, tzdata 2026).
@Suite("Time zones from TZif files and POSIX rules")
struct ZoneRulesTests {
    static func system(_ name: String) throws -> ZoneRules {
        try ZoneRules(tzif: Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/" + name))))
    }

    static let zones = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Tehran", "Asia/Kolkata", "Pacific/Chatham",
                        "America/Sao_Paulo", "Europe/Dublin", "Africa/Casablanca", "America/St_Johns", "Asia/Tokyo", "UTC",
                        "Pacific/Kiritimati", "America/Santiago", "Europe/London", "Antarctica/Troll"]

    /// The offsets glibc gives at each instant, through GNU date reading "@seconds" lines with TZ set.
    static func libcOffsets(_ name: String, at instants: [Int64]) throws -> [Int64: Int] {
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("zone-instants-\(UUID().uuidString)")
        try Data(instants.map { "@\($0)\n" }.joined().utf8).write(to: list)
        let text = String(decoding: try TestProgram.run("/usr/bin/date", ["-f", list.path, "+%s %::z"],
                                                        environment: ["TZ": name, "LC_ALL": "C"]).output, as: UTF8.self)
        try FileManager.default.removeItem(at: list)
        var offsets: [Int64: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let instant = Int64(parts[0]) else { continue }
            let sign = parts[1].hasPrefix("-") ? -1 : 1
            let hms = parts[1].dropFirst().split(separator: ":").compactMap { Int($0) }
            guard hms.count == 3 else { continue }
            offsets[instant] = sign * (hms[0] * 3_600 + hms[1] * 60 + hms[2])
        }
        return offsets
    }

    @Test("each zone's offset equals the C library's, every 7 hours 13 minutes from 1980 to 2060", arguments: zones)
    func sameAsLibc(_ name: String) async throws {
        let rules = try Self.system(name)
        let instants = Array(stride(from: Int64(315_532_800), to: 2_840_140_800, by: 7 * 3_600 + 13 * 60))  // 1980 to 2060
        // On a thread of its own: waiting for `date` must not hold one of the test pool's few threads.
        let libc = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try Self.libcOffsets(name, at: instants) }) }.start()
        }
        #expect(libc.count == instants.count, "date answered for every instant")
        var mismatches: [String] = []
        for instant in instants {
            let ours = rules.secondsFromUTC(atUnixTime: instant)
            if let theirs = libc[instant], ours != theirs, mismatches.count < 5 { mismatches.append("\(instant): \(ours) ≠ \(theirs)") }
        }
        #expect(mismatches == [], "\(name)")
    }

    @Test("the hour around a change of summer time, second by second at its edges")
    func edges() throws {
        let paris = try Self.system("Europe/Paris")
        // 2026-03-29 01:00 UTC: 02:00 CET becomes 03:00 CEST.
        #expect(paris.secondsFromUTC(atUnixTime: 1_774_746_000 - 1) == 3_600)
        #expect(paris.secondsFromUTC(atUnixTime: 1_774_746_000) == 7_200)
        // Far past the file's transitions, the footer decides: 2090-10-29 01:00 UTC ends summer time.
        let end2090 = CivilDate(year: 2090, month: 10, day: 29).epochDay * 86_400 + 3_600
        #expect(paris.secondsFromUTC(atUnixTime: end2090 - 1) == 7_200)
        #expect(paris.secondsFromUTC(atUnixTime: end2090) == 3_600)
    }

    @Test("POSIX rules as TZif footers write them", arguments: [
        ("CET-1CEST,M3.5.0,M10.5.0/3", 3_600, 7_200),
        ("EST5EDT,M3.2.0,M11.1.0", -18_000, -14_400),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", 36_000, 39_600),
        ("<+0330>-3:30", 12_600, 12_600),
        ("IST-1GMT0,M10.5.0,M3.5.0/1", 3_600, 0),
        ("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", -10_800, -7_200),
        ("NZST-12NZDT,M9.5.0,M4.1.0/3", 43_200, 46_800),
    ])
    func posix(_ text: String, standard: Int, daylight: Int) throws {
        let rule = try PosixZoneRule(text)
        #expect(rule.standardOffset == standard)
        #expect((rule.daylight?.offset ?? standard) == daylight)
    }

    @Test("malformed rules and files are refused with a reason", arguments: ["", "C-1", "CET-1CEST", "CET-1CEST,M13.1.0,M10.5.0", "<+03", "CET-1CEST,M3.5.0,M10.5.0/3x"])
    func malformed(_ text: String) {
        #expect(throws: PosixZoneRule.Malformed.self) { try PosixZoneRule(text) }
    }

    @Test("a file that is not TZif, or is cut short, is refused")
    func malformedFiles() throws {
        #expect(throws: ZoneRules.Malformed(reason: "not a TZif file")) { try ZoneRules(tzif: Array("hello world, not a zone".utf8)) }
        let paris = Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Paris")))
        #expect(throws: ZoneRules.Malformed(reason: "the file ends too early")) { try ZoneRules(tzif: Array(paris.prefix(200))) }
    }

    @Test("zone names: IANA names only, never a way out of the zoneinfo folder")
    func zoneNames() {
        for good in ["Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"] { #expect(ZoneRules.isZoneName(good), "\(good)") }
        for bad in ["", "/etc/passwd", "../../etc/passwd", "Europe/../../x", "Europe/Paris\n", String(repeating: "a", count: 65), "Zürich"] {
            #expect(!ZoneRules.isZoneName(bad), "\(bad)")
        }
    }

    @Test("civil days and their numbers since 1970 agree both ways, leap years included")
    func civilDays() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).epochDay == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1).epochDay == 11_017)
        #expect(CivilDate(epochDay: -1) == CivilDate(year: 1969, month: 12, day: 31))
        for day in stride(from: Int64(-800_000), through: 800_000, by: 97) {
            #expect(CivilDate(epochDay: day).epochDay == day)
        }
        #expect(CivilDate("2024-02-29") != nil && CivilDate("2026-02-29") == nil && CivilDate("2100-02-29") == nil && CivilDate("2000-02-29") != nil)
        #expect(CivilDate("26-3-1") == nil && CivilDate("2026-13-01") == nil)
    }
}
