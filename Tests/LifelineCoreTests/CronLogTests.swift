import Testing
@testable import LifelineCore

/// Cron's lines in a syslog file, in both of rsyslog's time formats; other lines ignored.
@Suite("Cron runs read from syslog (L1 without systemd)")
struct CronLogTests {
    @Test("cron lines in either format; everything else ignored", arguments: [
        ("Dec  4 00:17:01 pc CRON[1234]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
         CronLog.Run(time: .local(month: 12, day: 4, hour: 0, minute: 17, second: 1), user: "root", command: "cd / && run-parts --report /etc/cron.hourly")),
        ("2025-12-04T00:17:01.500000+01:00 pc CRON[99]: (alice) CMD (backup.sh --full)",
         CronLog.Run(time: .absolute(1_764_803_821.5), user: "alice", command: "backup.sh --full")),
        ("2025-12-03T23:17:01Z pc CRON[99]: (bob) CMD (x)", CronLog.Run(time: .absolute(1_764_803_821), user: "bob", command: "x")),
        ("Dec  4 00:17:01 pc CRON[1234]: pam_unix(cron:session): session opened for user root(uid=0)", nil),
        ("Dec  4 00:17:01 pc systemd[1]: Started cron.service", nil),
        ("garbage CRON[1]: (root) CMD (x)", nil),
    ])
    func lines(line: String, expected: CronLog.Run?) {
        #expect(CronLog.run(Substring(line)) == expected)
    }

    @Test("days since 1970 as the calendar counts them", arguments: [
        (1970, 1, 1, 0), (2000, 3, 1, 11_017), (2024, 2, 29, 19_782), (1969, 12, 31, -1),
    ])
    func days(year: Int, month: Int, day: Int, expected: Int) {
        #expect(CronLog.daysSince1970(year: year, month: month, day: day) == expected)
    }
}
