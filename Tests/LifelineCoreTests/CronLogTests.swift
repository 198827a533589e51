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

/// Syslog lines as rsyslog writes them, for the event viewer on machines without a journal (L8).
@Suite("Syslog lines (L8 without a journal)")
struct SyslogLineTests {
    @Test("time, host, program, PID and message in either format; anything else is no line", arguments: [
        ("Dec  4 00:17:01 pc sshd[812]: Failed password for root from 10.0.0.7 port 22",
         SyslogLine.Time.local(month: 12, day: 4, hour: 0, minute: 17, second: 1), "pc", "sshd", Int?.some(812),
         "Failed password for root from 10.0.0.7 port 22"),
        ("2025-12-04T00:17:01.000000+00:00 laptop kernel: [  12.5] usb 1-1: new device", .absolute(1_764_807_421), "laptop", "kernel", nil,
         "[  12.5] usb 1-1: new device"),
        ("Dec 14 09:00:00 pc systemd-logind[1]: New session 3 of user bob.", .local(month: 12, day: 14, hour: 9, minute: 0, second: 0),
         "pc", "systemd-logind", 1, "New session 3 of user bob."),
    ])
    func parsed(line: String, time: SyslogLine.Time, host: String, program: String, pid: Int?, message: String) throws {
        let parsed = try #require(SyslogLine(Substring(line)))
        #expect(parsed.time == time && parsed.host == host && parsed.program == program && parsed.pid == pid && parsed.message == message)
    }

    @Test("not syslog lines", arguments: ["", "hello", "Dec  4 00:17:01", "Dec  4 00:17:01 pc", "Dec  4 0017 pc x: y",
                                          "2025-13-04T00:00:00Z pc x: y", "Dec  4 00:17:01 pc no colon here"])
    func notLines(line: String) {
        #expect(SyslogLine(Substring(line)) == nil)
    }
}
