import LifelineCore
import LifelineStore
import NIOConcurrencyHelpers

/// Live sessions other gateway nodes serve, as the database last showed them (issue 20): this
/// node's consoles see them in their queues, and this node takes one over when the node serving it
/// dies. Only the serving node changes a session; this is a copy, refreshed on each signal.
final class RemoteSessions: Sendable {
    struct Entry: Sendable {
        var record: SessionRecord
        /// The node serving it, when known.
        var holder: String?
        /// The last log line this node's consoles were given.
        var lastLogId: Int64?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    var records: [SessionRecord] { entries.withLockedValue { $0.values.map(\.record) } }
    var count: Int { entries.withLockedValue { $0.count } }
    var ids: Set<String> { entries.withLockedValue { Set($0.keys) } }

    func record(_ id: String) -> SessionRecord? { entries.withLockedValue { $0[id]?.record } }

    /// Keeps the record unless an equal or newer copy is here already; true when it changed.
    @discardableResult
    func keep(_ record: SessionRecord, holder: String?) -> Bool {
        entries.withLockedValue { entries in
            if let known = entries[record.id] {
                if let holder { entries[record.id]?.holder = holder }
                guard record.version > known.record.version else { return false }
                entries[record.id]?.record = record
                return true
            }
            entries[record.id] = Entry(record: record, holder: holder)
            return true
        }
    }

    @discardableResult
    func remove(_ id: String) -> SessionRecord? {
        entries.withLockedValue { $0.removeValue(forKey: id)?.record }
    }

    /// Sessions whose serving node is not among `alive` (or unknown): candidates to take over.
    func ids(servedOutside alive: Set<String>) -> [String] {
        entries.withLockedValue { entries in
            entries.filter { entry in entry.value.holder.map { !alive.contains($0) } ?? true }.keys.sorted()
        }
    }

    /// How many sessions other nodes serve that count toward the technician's ten active (besides `id`).
    /// The types of `technicianId`'s sessions other nodes serve that count toward the active limit.
    func activeTypes(of technicianId: String, excluding id: String) -> [SessionType] {
        entries.withLockedValue { entries in
            entries.values.filter { $0.record.id != id && LiveSessions.countsTowardActiveLimit($0.record, for: technicianId) }.map(\.record.sessionType)
        }
    }

    func holder(of id: String) -> String? { entries.withLockedValue { $0[id]?.holder } }

    func lastLogId(of id: String) -> Int64? { entries.withLockedValue { $0[id]?.lastLogId } }

    /// Notes that the consoles were given the line `logId` that follows `after`; false unless the
    /// last line they were given is `after`.
    func noteLog(_ logId: Int64, of id: String, after: Int64) -> Bool {
        entries.withLockedValue { entries in
            guard let last = entries[id]?.lastLogId, last == after, logId > after else { return false }
            entries[id]?.lastLogId = logId
            return true
        }
    }

    /// Notes that the consoles were given the line `logId`; false when they had it already.
    func noteLog(_ logId: Int64, of id: String) -> Bool {
        entries.withLockedValue { entries in
            guard entries[id] != nil else { return false }
            if let last = entries[id]?.lastLogId, last >= logId { return false }
            entries[id]?.lastLogId = logId
            return true
        }
    }
}
