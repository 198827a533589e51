import Foundation
import LifelineStore
import Logging
import NIOConcurrencyHelpers

/// Failures one node counts for the whole cluster (issue 20, step 5): each node writes the wrong
/// guesses and sign-ins it saw to the database, and reads the other nodes' before it decides on an
/// attempt, so ten wrong PINs spread over three nodes are ten, not three times three.
final class SharedFailures: Sendable {
    let kinds: [SharedFailure.Kind]
    /// How far back the limits fed by these failures look: the first read goes back this far.
    let memory: Double
    /// A failure another node was still writing when this node last read is read again (and skipped).
    static let overlap: Double = 5

    private let nodeId: String
    private let store: SQLStore
    private let logger: Logger
    private let now: @Sendable () -> Date

    private struct State {
        var lastRead: Date?
        /// Failures already applied, with when they were read, forgotten after `memory`.
        var seen: [Int64: Date] = [:]
    }

    private let state = NIOLockedValueBox(State())

    init(kinds: [SharedFailure.Kind], memory: Double, nodeId: String, store: SQLStore, logger: Logger,
         now: @escaping @Sendable () -> Date = Date.init) {
        self.kinds = kinds
        self.memory = memory
        self.nodeId = nodeId
        self.store = store
        self.logger = logger
        self.now = now
    }

    func record(_ kind: SharedFailure.Kind, key: String) async {
        do {
            try await store.recordSharedFailure(nodeId: nodeId, kind: kind, key: key)
        } catch {
            logger.error("Could not tell the other gateway nodes of a failure", metadata: ["failure.kind": "\(kind.rawValue)", "error": "\(error)"])
        }
    }

    /// The other nodes' failures this node has not applied yet, oldest first.
    func unseen() async -> [SharedFailure] {
        let started = now()
        let window = state.withLockedValue { state in
            state.lastRead.map { min(memory, started.timeIntervalSince($0) + Self.overlap) } ?? memory
        }
        let failures: [SharedFailure]
        do {
            failures = try await store.sharedFailures(of: kinds, notFrom: nodeId, withinSeconds: window)
        } catch {
            // The attempt is decided on this node's own counts; the next read goes back further.
            logger.error("Could not read the other gateway nodes' failures", metadata: ["error": "\(error)"])
            return []
        }
        return state.withLockedValue { state in
            if state.lastRead.map({ $0 < started }) ?? true { state.lastRead = started }
            let fresh = failures.filter { state.seen[$0.id] == nil }
            for failure in fresh { state.seen[failure.id] = started }
            if state.seen.count > 1_000 {
                state.seen = state.seen.filter { started.timeIntervalSince($0.value) < memory + Self.overlap }
            }
            return fresh
        }
    }
}
