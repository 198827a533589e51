#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// The event viewer (L8) on a machine without a journal: rsyslog's files, `auth.log` (or
/// `secure`) as the security log and `syslog` (or `messages`) as the system and application
/// logs, their last 8 MiB each. Syslog lines carry no priority: they count as information (6).
struct SyslogReader: Sendable {
    var logs = "/var/log"
    static let window = 8 << 20

    func page(_ query: EventQuery) -> EventPage? {
        let names = query.log == .security ? ["auth.log", "secure"] : ["syslog", "messages"]
        // The cursor is the offset in the file where the oldest line read so far starts.
        let end = query.before.flatMap { $0.hasPrefix("syslog:") ? Int($0.dropFirst(7)) : nil }
        guard let name = names.first(where: { access("\(logs)/\($0)", R_OK) == 0 }),
              let window = LocalText.window("\(logs)/\(name)", endingAt: end, bytes: Self.window) else { return nil }
        var lines: [(start: Int, text: Substring)] = []
        var lineStart = window.bytes.startIndex
        for index in window.bytes.indices where window.bytes[index] == 10 {
            lines.append((window.start + lineStart - window.bytes.startIndex, Substring(decoding: window.bytes[lineStart..<index], as: UTF8.self)))
            lineStart = index + 1
        }
        var entries: [JournalEntry] = []
        var oldest = window.start + window.bytes.count
        var scanned = 0
        let priority = 6
        for line in lines.reversed() where entries.count < query.limit {
            oldest = line.start
            scanned += 1
            guard priority <= query.maximumPriority, let parsed = SyslogLine(line.text) else { continue }
            let log = query.log == .security ? EventLog.security
                : EventLog.of(facility: nil, transport: nil, program: parsed.program, systemUnit: nil, uid: nil)
            guard log == query.log else { continue }
            let entry = JournalEntry(time: Self.seconds(parsed.time), priority: priority, source: parsed.program,
                                     message: parsed.message.clipped(toUTF8Bytes: JournalEntry.maximumMessageBytes), host: parsed.host)
            if query.matches(entry) { entries.append(entry) }
        }
        return EventPage(entries: entries, next: oldest > 0 ? "syslog:\(oldest)" : nil, scanned: scanned, source: "syslog")
    }

    /// A syslog time as seconds since 1970: a traditional line has no year, so it is this year's,
    /// or last year's when that would be in the future.
    static func seconds(_ time: SyslogLine.Time) -> Double {
        switch time {
        case .absolute(let seconds): return seconds
        case .local(let month, let day, let hour, let minute, let second):
            let now = Glibc.time(nil)
            var today = tm()
            localtime_r([now], &today)
            var parts = tm(tm_sec: Int32(second), tm_min: Int32(minute), tm_hour: Int32(hour), tm_mday: Int32(day), tm_mon: Int32(month - 1),
                           tm_year: today.tm_year, tm_wday: 0, tm_yday: 0, tm_isdst: -1, tm_gmtoff: 0, tm_zone: nil)
            var seconds = mktime(&parts)
            if seconds > now + 86_400 {
                parts.tm_year -= 1
                seconds = mktime(&parts)
            }
            return Double(seconds)
        }
    }
}
