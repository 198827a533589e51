import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineApplet
import LifelineTestSupport

/// The journal read through sd-journal from a fixture folder made by systemd-journal-remote (the
/// same code reads this machine's journal), and cron's runs from a fixture syslog.
@Suite("The journal and cron for the dashboard (L1)")
struct JournalReaderTests {
    static let remote = "/lib/systemd/systemd-journal-remote"

    /// A folder holding one journal file with `entries` (journal export format).
    static func journal(_ entries: [[String: String]]) throws -> String {
        let folder = NSTemporaryDirectory() + "lifeline-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var export = ""
        for (index, fields) in entries.enumerated() {
            export += "__REALTIME_TIMESTAMP=\(1_764_800_000_000_000 + index * 1_000_000)\n__MONOTONIC_TIMESTAMP=\(1_000 + index)\n"
            export += "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) { export += "\(name)=\(value)\n" }
            export += "\n"
        }
        try export.write(toFile: folder + "/in.export", atomically: true, encoding: .utf8)
        _ = try TestProgram.run(remote, ["--output=\(folder)/fixture.journal", folder + "/in.export"])
        try FileManager.default.removeItem(atPath: folder + "/in.export")
        return folder
    }

    @Test("the five latest warnings or worse, newest first, with source, unit, user and host; long messages cut")
    func latestWarnings() throws {
        let long = String(repeating: "é", count: 3_000)
        var entries: [[String: String]] = []
        for index in 0..<12 {
            entries.append(["PRIORITY": index % 2 == 0 ? "6" : "\(index % 5)", "SYSLOG_IDENTIFIER": "app\(index)",
                            "MESSAGE": index == 11 ? long : "message \(index)", "_HOSTNAME": "customer-pc", "_UID": "1000",
                            "_SYSTEMD_UNIT": "app\(index).service"])
        }
        entries.append(["PRIORITY": "7", "_COMM": "chatty", "MESSAGE": "debug line"])
        let folder = try Self.journal(entries)
        let latest = try JournalReader(directory: folder).latest(5, maximumPriority: 4)
        // Odd entries have priorities 1, 3, 0, 2, 4, 1 (index % 5): all warnings or worse.
        #expect(latest.map(\.source) == ["app11", "app9", "app7", "app5", "app3"])
        #expect(latest.map(\.priority) == [1, 4, 2, 0, 3])
        var names: [uid_t: String] = [:]
        #expect(latest[1] == JournalEntry(time: 1_764_800_009, priority: 4, source: "app9", message: "message 9", unit: "app9.service",
                                          uid: 1_000, user: SystemInfoReader.userName(1_000, cache: &names), host: "customer-pc"))
        #expect(latest[0].message.hasSuffix("…") && latest[0].message.utf8.count <= JournalEntry.maximumMessageBytes)
        let everything = try JournalReader(directory: folder).latest(100, maximumPriority: 7)
        #expect(everything.count == 13 && everything.first?.source == "chatty")
    }

    @Test("the event viewer: each log its own entries, newest first; older pages by cursor; words; a bounded scan says where to go on")
    func eventPages() throws {
        var entries: [[String: String]] = []
        for index in 0..<30 {
            switch index % 3 {
            case 0: entries.append(["PRIORITY": "3", "_TRANSPORT": "kernel", "SYSLOG_IDENTIFIER": "kernel", "MESSAGE": "kernel \(index)"])
            case 1: entries.append(["PRIORITY": "5", "SYSLOG_FACILITY": "10", "SYSLOG_IDENTIFIER": "sshd", "_UID": "0",
                                    "MESSAGE": index == 28 ? "Failed password for root" : "Accepted key \(index)"])
            default: entries.append(["PRIORITY": "6", "SYSLOG_IDENTIFIER": "editor", "_UID": "\(getuid())", "MESSAGE": "saved \(index)",
                                     "MESSAGE_ID": "0123456789abcdef0123456789abcdef"])
            }
        }
        let reader = JournalReader(directory: try Self.journal(entries))
        let first = try reader.page(EventQuery(log: .security, limit: 4))
        #expect(first.entries.map(\.message) == ["Failed password for root", "Accepted key 25", "Accepted key 22", "Accepted key 19"])
        #expect(first.entries[0].user == "root" && first.entries[0].source == "sshd" && first.source == "journal")
        let second = try reader.page(EventQuery(log: .security, before: first.next, limit: 100))
        #expect(second.entries.map(\.message) == (0..<6).map { "Accepted key \(16 - 3 * $0)" } && second.next == nil)
        let applications = try reader.page(EventQuery(log: .application, limit: 100))
        #expect(applications.entries.count == 10 && applications.entries[0].event == "0123456789abcdef0123456789abcdef")
        #expect(try reader.page(EventQuery(log: .system, maximumPriority: 4, limit: 100)).entries.count == 10)
        #expect(try reader.page(EventQuery(log: .system, maximumPriority: 2, limit: 100)).entries.isEmpty)
        #expect(try reader.page(EventQuery(log: .security, text: "FAILED root", limit: 100)).entries.count == 1)
        // Looking at 5 entries at most: what was found, and a cursor to go on from the fifth.
        var bounded = reader
        bounded.scanLimit = 5
        let partial = try bounded.page(EventQuery(log: .security, limit: 100))
        #expect(partial.scanned == 5 && partial.entries.count == 2 && partial.next != nil)
        let rest = try reader.page(EventQuery(log: .security, before: partial.next, limit: 100))
        #expect(rest.entries.count == 8 && rest.entries.first?.message == "Accepted key 22")
    }

    @Test("without a journal: auth.log as the security log, syslog as the others, newest first, paged by file offset")
    func syslogPages() throws {
        let logs = NSTemporaryDirectory() + "lifeline-logs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let auth = (0..<30).map { "2025-12-04T00:\(String(format: "%02d", $0)):00.000000+00:00 pc sshd[\(100 + $0)]: Accepted publickey for user\($0)" }
        try (auth.joined(separator: "\n") + "\n").write(toFile: logs + "/auth.log", atomically: true, encoding: .utf8)
        let syslog = ["Dec  4 00:17:01 pc kernel: usb 1-1: reset", "Dec  4 00:18:01 pc editor[9]: saved notes", "not a syslog line",
                      "Dec  4 00:19:01 pc systemd[1]: Started cron.service."]
        try (syslog.joined(separator: "\n") + "\n").write(toFile: logs + "/syslog", atomically: true, encoding: .utf8)
        let reader = SyslogReader(logs: logs)
        let first = try #require(reader.page(EventQuery(log: .security, limit: 12)))
        #expect(first.entries.map(\.message) == (0..<12).map { "Accepted publickey for user\(29 - $0)" } && first.source == "syslog")
        #expect(first.entries[0].time == 1_764_808_140 && first.entries[0].source == "sshd" && first.entries[0].host == "pc")
        let second = try #require(reader.page(EventQuery(log: .security, before: first.next, limit: 100)))
        #expect(second.entries.count == 18 && second.entries.last?.message == "Accepted publickey for user0" && second.next == nil)
        #expect(try #require(reader.page(EventQuery(log: .system))).entries.map(\.source) == ["systemd", "kernel"])
        #expect(try #require(reader.page(EventQuery(log: .application))).entries.map(\.message) == ["saved notes"])
        #expect(try #require(reader.page(EventQuery(log: .security, text: "user7", limit: 100))).entries.count == 1)
        // Syslog lines carry no priority: they are information, left out when less is asked for.
        #expect(try #require(reader.page(EventQuery(log: .system, maximumPriority: 4))).entries.isEmpty)
        #expect(SyslogReader(logs: logs + "/none").page(EventQuery(log: .system)) == nil)
    }

    @Test("a folder with no journal gives no entries; a missing one says why")
    func emptyOrMissing() throws {
        let empty = NSTemporaryDirectory() + "lifeline-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try JournalReader(directory: empty).latest(5, maximumPriority: 4) == [])
        #expect(throws: SystemdBus.Failure.self) { try JournalReader(directory: empty + "/nothing").latest(5, maximumPriority: 4) }
    }

    @Test("without systemd: cron's last runs from the syslog, newest first")
    func cronFromSyslog() throws {
        let logs = NSTemporaryDirectory() + "lifeline-logs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let lines = [
            "2025-12-04T00:17:01.000000+00:00 pc CRON[10]: (root) CMD (run-parts /etc/cron.hourly)",
            "2025-12-04T00:20:00.000000+00:00 pc sshd[11]: Accepted publickey for bob",
            "2025-12-04T00:30:01.000000+00:00 pc CRON[12]: (alice) CMD (backup.sh)",
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: logs + "/syslog", atomically: true, encoding: .utf8)
        var reader = SystemInfoReader()
        reader.logs = logs
        #expect(reader.cronRuns(5) == [
            ScheduledJob(name: "cron (alice)", runs: "backup.sh", lastRun: 1_764_808_201),
            ScheduledJob(name: "cron (root)", runs: "run-parts /etc/cron.hourly", lastRun: 1_764_807_421),
        ])
        reader.logs = logs + "/nothing"
        #expect(reader.cronRuns(5) == [])
    }
}
