import Foundation
import LifelineProtocol
import NIOConcurrencyHelpers

/// What one gateway node tells the others (issue 20): these sessions changed, these log lines were
/// written. Mostly references — each node reads the rows — so a payload stays small: at most
/// `ClusterSignal.batch` references, about 6 KB. A short log line comes whole with the line before
/// it named, so a node whose consoles had that one shows it without a read (a read a chat line on
/// each node was most of what chat across nodes cost).
struct ClusterSignal: Codable, Sendable, Equatable {
    struct LogLine: Codable, Sendable, Equatable {
        var session: String
        var id: Int64
        /// The line itself, when short.
        var entry: LogEntry?
        /// The line this node wrote in the session just before, when known.
        var after: Int64?
    }

    /// The node that sent it (a node ignores its own).
    var node: String
    var sessions: [String] = []
    var logs: [LogLine] = []
    var changes: [OrganisationChange] = []

    static let batch = 100

    var isEmpty: Bool { sessions.isEmpty && logs.isEmpty && changes.isEmpty }
    var count: Int { sessions.count + logs.count + changes.count }
}

/// An administrator's change every node must act on, not only the one that saved it: each node
/// keeps the organisation's settings, its channels and its consoles' technicians in memory.
enum OrganisationChange: Codable, Sendable, Equatable {
    case settings
    case channels
    /// A technician's name, group, role or permissions changed (their group's too): their consoles act on it.
    case technician(String)
    /// A technician's consoles were closed: signed out, disabled, deleted, a password or two-step reset.
    case consolesClosed(technicianId: String, reason: String)
    /// A node's part of a technician's presence changed (saved in `technician_presence`).
    case presence(String)
}

/// This node's signals on their way out: the hub drops a reference here without waiting, and one
/// task sends what gathered meanwhile as few signals (see `ClusterFeedService`). Until a feed opens
/// it (a single gateway on SQLite) nothing is kept.
final class SignalOutbox: Sendable {
    enum Item: Sendable {
        case session(String)
        case log(LogEntry, after: Int64?)
        case change(OrganisationChange)
    }

    private struct State {
        var pending: [Item] = []
        var wake: AsyncStream<Void>.Continuation?
        /// The last line announced in each session.
        var lastLogIds: [String: Int64] = [:]
    }

    /// Past this many sessions the last lines are forgotten: the other nodes then read the next line
    /// of each session instead of taking it from the signal.
    static let maximumSessionsFollowed = 50_000

    /// A line longer than this (encoded) goes as a reference only.
    static let largestInlineLine = 1_500

    /// A database that stays down must not make the gateway hold signals without end; the other
    /// nodes catch up from the tables when they listen again.
    static let maximumPending = 100_000

    private let state = NIOLockedValueBox(State())

    /// Starts keeping items; the stream wakes the sender when there are some.
    func open() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        state.withLockedValue { $0.wake = continuation }
        return stream
    }

    func close() {
        state.withLockedValue { state in
            state.wake?.finish()
            state = State()
        }
    }

    func announce(_ item: Item) {
        state.withLockedValue { state in
            guard let wake = state.wake else { return }
            if state.pending.count >= Self.maximumPending { state.pending.removeFirst(state.pending.count / 2) }
            state.pending.append(item)
            wake.yield()
        }
    }

    /// A log line written in a session this node serves, with the one announced before it when the
    /// lines came in order.
    func announce(log entry: LogEntry) {
        let after = state.withLockedValue { state -> Int64? in
            guard state.wake != nil else { return nil }
            let last = state.lastLogIds[entry.sessionId]
            if let last, last >= entry.id { return nil }
            if state.lastLogIds.count >= Self.maximumSessionsFollowed { state.lastLogIds = [:] }
            state.lastLogIds[entry.sessionId] = entry.id
            return last
        }
        announce(.log(entry, after: after))
    }

    /// What gathered since the last take.
    func take() -> [Item] {
        state.withLockedValue { state in
            defer { state.pending = [] }
            return state.pending
        }
    }

    /// Gathers items into signals of at most `ClusterSignal.batch` references and about 6,000 bytes
    /// (PostgreSQL refuses a payload of 8,000), a session named once in each.
    static func signals(from items: [Item], node: String) -> [ClusterSignal] {
        var result: [ClusterSignal] = []
        var current = ClusterSignal(node: node)
        var bytes = 0
        var named: Set<String> = []
        for item in items {
            let size: Int
            var line: ClusterSignal.LogLine?
            switch item {
            case .session(let id): size = id.utf8.count + 3
            case .log(let entry, let after):
                let inlined = inline(entry, after: after)
                line = inlined.line
                size = inlined.size
            case .change(.technician(let id)), .change(.presence(let id)): size = id.utf8.count + 30
            case .change(.consolesClosed(let id, let reason)): size = id.utf8.count + reason.utf8.count + 60
            case .change: size = 30
            }
            if !current.isEmpty && (current.count >= ClusterSignal.batch || bytes + size > 6_000) {
                result.append(current)
                current = ClusterSignal(node: node)
                bytes = 0
                named = []
            }
            switch item {
            case .session(let id):
                guard named.insert(id).inserted else { continue }
                current.sessions.append(id)
            case .log:
                if let line { current.logs.append(line) }
            case .change(let change):
                current.changes.append(change)
            }
            bytes += size
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// The line with its entry when that stays short, else as a reference; with its encoded size.
    private static func inline(_ entry: LogEntry, after: Int64?) -> (line: ClusterSignal.LogLine, size: Int) {
        let reference = ClusterSignal.LogLine(session: entry.sessionId, id: entry.id)
        let referenceSize = entry.sessionId.utf8.count + 40
        guard let after else { return (reference, referenceSize) }
        let whole = ClusterSignal.LogLine(session: entry.sessionId, id: entry.id, entry: entry, after: after)
        do {
            let size = try JSONEncoder().encode(whole).count + 2
            return size <= largestInlineLine ? (whole, size) : (reference, referenceSize)
        } catch {
            return (reference, referenceSize)  // a line that cannot be encoded is read by the others
        }
    }
}
