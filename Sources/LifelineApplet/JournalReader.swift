#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// Reads the systemd journal through libsystemd's sd-journal: this machine's (`directory` nil) or
/// the files of one folder (a fixture made with systemd-journal-remote), by the same code.
/// Blocking: callers run it on a thread of their own.
struct JournalReader: Sendable {
    var directory: String?

    /// The latest `count` entries of priority `maximumPriority` or more urgent, newest first.
    func latest(_ count: Int, maximumPriority: Int) throws(SystemdBus.Failure) -> [JournalEntry] {
        let sd = try LibSystemd.shared.get()
        var journal: OpaquePointer?
        let status = if let directory { sd.journalOpenDirectory(&journal, directory, 0) } else { sd.journalOpen(&journal, 1 /* local only */) }
        guard status >= 0, let journal else { throw SystemdBus.Failure(name: "", description: "The journal cannot be opened: \(String(cString: strerror(-status)))") }
        defer { sd.journalClose(journal) }
        // Matches on one field are alternatives: priority 0 or 1 or … up to the one asked.
        for priority in 0...max(0, min(7, maximumPriority)) {
            let match = "PRIORITY=\(priority)"
            _ = match.withCString { sd.journalAddMatch(journal, $0, match.utf8.count) }
        }
        _ = sd.journalSeekTail(journal)
        var entries: [JournalEntry] = []
        while entries.count < count, sd.journalPrevious(journal) > 0 {
            entries.append(Self.entry(journal, sd: sd))
        }
        return entries
    }

    /// The entry the journal stands on.
    static func entry(_ journal: OpaquePointer, sd: LibSystemd) -> JournalEntry {
        func field(_ name: String) -> String? {
            var data: UnsafeRawPointer?
            var length = 0
            guard sd.journalGetData(journal, name, &data, &length) >= 0, let data, length > name.utf8.count else { return nil }
            // "NAME=value": the value after the name and its equals sign.
            let bytes = UnsafeRawBufferPointer(start: data, count: length).dropFirst(name.utf8.count + 1)
            return String(decoding: bytes.prefix(JournalEntry.maximumMessageBytes + 4), as: UTF8.self)
        }
        var microseconds: UInt64 = 0
        _ = sd.journalGetRealtime(journal, &microseconds)
        let message = (field("MESSAGE") ?? "").clipped(toUTF8Bytes: JournalEntry.maximumMessageBytes)
        return JournalEntry(time: Double(microseconds) / 1_000_000, priority: field("PRIORITY").flatMap { Int($0) } ?? 6,
                            source: field("SYSLOG_IDENTIFIER") ?? field("_COMM") ?? "", message: message,
                            unit: field("_SYSTEMD_UNIT") ?? field("_SYSTEMD_USER_UNIT"), uid: field("_UID").flatMap { UInt32($0) },
                            host: field("_HOSTNAME"))
    }
}
