#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The event viewer's three logs (L8), as the manual's tabs: the system (kernel and system
/// services), security (authentication: sshd, sudo, login, polkit …) and applications (the rest).
public enum EventLog: String, Codable, CaseIterable, Sendable {
    case system, security, application
}

/// One page of the event viewer asked for: a log, the least urgent priority wanted, words to find,
/// and where the page before ended (older entries come next).
public struct EventQuery: Codable, Equatable, Sendable {
    public var log: EventLog
    /// 0 emergency … 7 debug: entries of this priority or more urgent.
    public var maximumPriority: Int
    /// Case-insensitive words every entry shown contains (in its message, source or unit).
    public var text: String?
    /// The `next` of the page before; nil for the newest entries.
    public var before: String?
    public var limit: Int

    public static let maximumLimit = 500
    public static let maximumTextBytes = 200

    public init(log: EventLog, maximumPriority: Int = 7, text: String? = nil, before: String? = nil, limit: Int = 200) {
        self.log = log
        self.maximumPriority = maximumPriority
        self.text = text
        self.before = before
        self.limit = limit
    }

    private enum Keys: String, CodingKey { case log, maximumPriority, text, before, limit }

    /// `maximumPriority` (7: everything) and `limit` (200) may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        log = try container.decode(EventLog.self, forKey: .log)
        maximumPriority = try container.decodeIfPresent(Int.self, forKey: .maximumPriority) ?? 7
        text = try container.decodeIfPresent(String.self, forKey: .text)
        before = try container.decodeIfPresent(String.self, forKey: .before)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 200
    }

    public var isValid: Bool {
        (0...7).contains(maximumPriority) && (1...Self.maximumLimit).contains(limit)
            && (text?.utf8.count ?? 0) <= Self.maximumTextBytes && (before?.utf8.count ?? 0) <= 1024
    }
}

/// A page of the event viewer: entries newest first, and where to go on for older ones.
public struct EventPage: Codable, Equatable, Sendable {
    public var entries: [JournalEntry]
    /// Give it back as `before` for the next, older page; nil when there is nothing older.
    public var next: String?
    /// How many entries were looked at to fill the page (the search stops at a bound and says so
    /// with `next`, so a rare word never holds the applet for long).
    public var scanned: Int
    /// `journal`, or `syslog` on a machine without one.
    public var source: String

    public init(entries: [JournalEntry], next: String?, scanned: Int, source: String) {
        self.entries = entries
        self.next = next
        self.scanned = scanned
        self.source = source
    }
}

extension EventLog {
    /// Programs whose entries are about signing in and rights, whatever their facility.
    static let securityPrograms: Set<String> = [
        "sshd", "sudo", "su", "login", "polkitd", "polkit-agent-helper-1", "pkexec", "systemd-logind", "gdm-password", "gdm-session-worker",
        "lightdm", "sddm-helper", "passwd", "chpasswd", "chage", "useradd", "userdel", "usermod", "groupadd", "unix_chkpwd", "audit",
    ]

    /// The log a journal entry belongs to, from its fields (`SYSLOG_FACILITY`, `_TRANSPORT`,
    /// `SYSLOG_IDENTIFIER` or `_COMM`, `_SYSTEMD_UNIT`, `_UID`): authentication first, then the
    /// kernel, system daemons and root's services, then everything else.
    public static func of(facility: Int?, transport: String?, program: String, systemUnit: String?, uid: UInt32?) -> EventLog {
        if facility == 4 || facility == 10 || transport == "audit" || securityPrograms.contains(program) { return .security }
        if transport == "kernel" || facility == 0 || facility == 3 || program == "systemd" || program == "kernel" { return .system }
        if let systemUnit, !systemUnit.hasPrefix("user@"), !systemUnit.hasPrefix("session-"), uid == nil || uid == 0 { return .system }
        return .application
    }
}

extension EventQuery {
    /// The words of `text`, lowercased; nil when there are none.
    public var words: [String]? {
        let words = (text ?? "").lowercased().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        return words.isEmpty ? nil : words
    }

    /// `matches` decided on an entry's raw bytes before it is decoded — the event viewer's search
    /// looks at tens of thousands of entries and keeps few. Made once per query from its words; nil
    /// when a word is not plain ASCII (or holds a newline): then `matches` decides every entry.
    public struct ByteSearch: Sendable {
        let needles: [[UInt8]]

        public init?(_ words: [String]) {
            guard !words.isEmpty, words.allSatisfy({ word in word.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0A } }) else { return nil }
            needles = words.map { Array($0.utf8) }
        }

        /// True or false when the fields are ASCII too (lowercasing is then the same byte for
        /// byte), nil when `matches` must decide (or the message is longer than it keeps).
        public func matches(message: UnsafeRawBufferPointer, source: UnsafeRawBufferPointer, unit: UnsafeRawBufferPointer) -> Bool? {
            guard message.count <= JournalEntry.maximumMessageBytes, Self.isASCII(message), Self.isASCII(source), Self.isASCII(unit) else { return nil }
            for needle in needles {
                guard Self.contains(message, needle) || Self.contains(source, needle) || Self.contains(unit, needle) else { return false }
            }
            return true
        }

        private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
            for byte in bytes where byte >= 0x80 { return false }
            return true
        }

        /// Whether `haystack` holds `needle` (already lowercase), ASCII letters compared without case.
        private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
            guard !needle.isEmpty else { return true }
            guard haystack.count >= needle.count else { return false }
            let first = needle[0]
            for start in 0...(haystack.count - needle.count) where lowered(haystack[start]) == first {
                var index = 1
                while index < needle.count, lowered(haystack[start + index]) == needle[index] { index += 1 }
                if index == needle.count { return true }
            }
            return false
        }

        private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
    }

    /// Whether an entry holds every word of `text` (case-insensitive) in its message, source or unit.
    public func matches(_ entry: JournalEntry) -> Bool {
        guard let words else { return true }
        let haystack = "\(entry.message)\n\(entry.source)\n\(entry.unit ?? "")".lowercased()
        return words.allSatisfy { haystack.contains($0) }
    }
}
