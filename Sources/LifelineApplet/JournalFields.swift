#if canImport(Glibc)
import Glibc
#endif

/// The fields of the journal entry the reader stands on that the event viewer uses, gathered in one
/// pass over the entry (sd_journal_get_data walks the entry's fields again for every name asked,
/// which made a search through 20,000 entries six times slower than journalctl). The bytes are the
/// journal's own and stay valid until it moves.
struct JournalFields {
    enum Name: Int, CaseIterable {
        case facility, transport, identifier, command, systemUnit, uid, message, priority, userUnit, hostname, messageId

        var field: String {
            switch self {
            case .facility: "SYSLOG_FACILITY"
            case .transport: "_TRANSPORT"
            case .identifier: "SYSLOG_IDENTIFIER"
            case .command: "_COMM"
            case .systemUnit: "_SYSTEMD_UNIT"
            case .uid: "_UID"
            case .message: "MESSAGE"
            case .priority: "PRIORITY"
            case .userUnit: "_SYSTEMD_USER_UNIT"
            case .hostname: "_HOSTNAME"
            case .messageId: "MESSAGE_ID"
            }
        }
    }

    private static let names: [[UInt8]] = Name.allCases.map { Array($0.field.utf8) }
    private static let longestName = names.map(\.count).max() ?? 0
    private var values = [UnsafeRawBufferPointer?](repeating: nil, count: Name.allCases.count)

    /// Reads the entry the journal stands on, over what was read before (one array for a whole page).
    mutating func read(_ journal: OpaquePointer, sd: LibSystemd) {
        for index in values.indices { values[index] = nil }
        sd.journalRestartData(journal)
        var data: UnsafeRawPointer?
        var length = 0
        while sd.journalEnumerateData(journal, &data, &length) > 0, let data {
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            // "NAME=value"; the first of a repeated field counts, as with sd_journal_get_data.
            guard let equals = bytes.prefix(Self.longestName + 1).firstIndex(of: UInt8(ascii: "=")) else { continue }
            for (index, name) in Self.names.enumerated() where name.count == equals && values[index] == nil && memcmp(data, name, equals) == 0 {
                values[index] = UnsafeRawBufferPointer(rebasing: bytes[(equals + 1)...])
            }
        }
    }

    /// A field's value, at most `limit` bytes of it.
    subscript(name: Name, limit: Int = 256) -> UnsafeRawBufferPointer? {
        values[name.rawValue].map { UnsafeRawBufferPointer(rebasing: $0.prefix(limit)) }
    }

    func string(_ name: Name, limit: Int = 256) -> String? {
        self[name, limit].map { String(decoding: $0, as: UTF8.self) }
    }
}
