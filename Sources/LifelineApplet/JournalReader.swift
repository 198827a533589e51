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
    /// How many entries one page of the event viewer looks at before it answers with what it has
    /// (and a cursor to go on): a rare word in a big journal never holds the applet for long.
    var scanLimit = 200_000

    /// The latest `count` entries of priority `maximumPriority` or more urgent, newest first.
    func latest(_ count: Int, maximumPriority: Int) throws(SystemdBus.Failure) -> [JournalEntry] {
        try page(EventQuery(log: .system, maximumPriority: maximumPriority, limit: count), anyLog: true).entries
    }

    /// One page of the event viewer (L8): the query's log, priority and words, older than `before`.
    func page(_ query: EventQuery, anyLog: Bool = false) throws(SystemdBus.Failure) -> EventPage {
        let sd = try LibSystemd.shared.get()
        var opened: OpaquePointer?
        let status = if let directory { sd.journalOpenDirectory(&opened, directory, 0) } else { sd.journalOpen(&opened, 1 /* local only */) }
        guard status >= 0, let journal = opened else {
            throw SystemdBus.Failure(name: "", description: "The journal cannot be opened: \(String(cString: strerror(-status)))")
        }
        defer { sd.journalClose(journal) }
        // Matches on one field are alternatives: priority 0 or 1 or … up to the one asked. All eight
        // asked is no match at all, as in journalctl: following eight matches' entry lists made a
        // search through the whole journal twice as slow (and an entry without a priority shows).
        for priority in 0...max(0, min(7, query.maximumPriority)) where query.maximumPriority < 7 {
            let match = "PRIORITY=\(priority)"
            _ = match.withCString { sd.journalAddMatch(journal, $0, match.utf8.count) }
        }
        if let before = query.before {
            _ = sd.journalSeekCursor(journal, before)
            // Seeking lands on the entry of the cursor itself at the first step back: step over it.
            if sd.journalPrevious(journal) > 0, Self.cursor(journal, sd: sd) != before { _ = sd.journalNext(journal) }
        } else {
            _ = sd.journalSeekTail(journal)
        }
        var entries: [JournalEntry] = []
        var scanned = 0
        var users: [uid_t: String] = [:]
        let search = query.words.flatMap(EventQuery.ByteSearch.init)
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        var fields = JournalFields()
        while entries.count < query.limit {
            // The journal stands on the last entry looked at: its cursor is where the next page starts.
            guard scanned < scanLimit else { return EventPage(entries: entries, next: Self.cursor(journal, sd: sd), scanned: scanned, source: "journal") }
            guard sd.journalPrevious(journal) > 0 else { return EventPage(entries: entries, next: nil, scanned: scanned, source: "journal") }
            scanned += 1
            fields.read(journal, sd: sd)
            // A search keeps few entries: most are left on their bytes, before anything is decoded.
            let decided = search?.matches(message: fields[.message, JournalEntry.maximumMessageBytes + 1] ?? none,
                                          source: fields[.identifier] ?? fields[.command] ?? none, unit: fields[.systemUnit] ?? fields[.userUnit] ?? none)
            if decided == false { continue }
            if !anyLog {
                let log = EventLog.of(facility: fields.string(.facility).flatMap { Int($0) }, transport: fields.string(.transport),
                                      program: fields.string(.identifier) ?? fields.string(.command) ?? "", systemUnit: fields.string(.systemUnit),
                                      uid: fields.string(.uid).flatMap { UInt32($0) })
                guard log == query.log else { continue }
            }
            var entry = Self.entry(journal, fields: fields, sd: sd)
            guard decided == true || query.matches(entry) else { continue }
            entry.user = entry.uid.map { SystemInfoReader.userName($0, cache: &users) }
            entries.append(entry)
        }
        return EventPage(entries: entries, next: Self.cursor(journal, sd: sd), scanned: scanned, source: "journal")
    }

    /// Whether this machine keeps a journal: libsystemd there, and journal files where journald
    /// writes them (persistent or volatile).
    static func machineHasJournal(roots: [String] = ["/var/log/journal", "/run/log/journal"]) -> Bool {
        guard case .success = LibSystemd.shared else { return false }
        for root in roots {
            for machine in SystemInfoReader.names(in: root) {
                if SystemInfoReader.names(in: "\(root)/\(machine)").contains(where: { $0.hasSuffix(".journal") || $0.hasSuffix(".journal~") }) {
                    return true
                }
            }
        }
        return false
    }

    static func cursor(_ journal: OpaquePointer, sd: LibSystemd) -> String? {
        var text: UnsafeMutablePointer<CChar>?
        guard sd.journalGetCursor(journal, &text) >= 0, let text else { return nil }
        defer { free(text) }
        return String(cString: text)
    }

    /// The entry the journal stands on.
    static func entry(_ journal: OpaquePointer, fields: JournalFields, sd: LibSystemd) -> JournalEntry {
        var microseconds: UInt64 = 0
        _ = sd.journalGetRealtime(journal, &microseconds)
        let message = (fields.string(.message, limit: JournalEntry.maximumMessageBytes + 4) ?? "").clipped(toUTF8Bytes: JournalEntry.maximumMessageBytes)
        return JournalEntry(time: Double(microseconds) / 1_000_000, priority: fields.string(.priority, limit: 4).flatMap { Int($0) } ?? 6,
                            source: fields.string(.identifier) ?? fields.string(.command) ?? "", message: message,
                            unit: fields.string(.systemUnit) ?? fields.string(.userUnit), uid: fields.string(.uid).flatMap { UInt32($0) },
                            host: fields.string(.hostname), event: fields.string(.messageId, limit: 64))
    }
}
