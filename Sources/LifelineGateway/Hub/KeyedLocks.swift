import NIOConcurrencyHelpers

/// Serialises the changes to one thing (a session, the audit chain): while one change is between
/// reading it and writing it back (store, log, sockets), the next change to the same key waits its
/// turn, first come first served. Changes to different keys never wait for each other.
///
/// Re-entrant within one task (a task-local set of held keys), so a change may call another on
/// the same session (Start → apply → commit) without deadlocking. Never take a second key while
/// holding one: that is how two tasks deadlock.
final class KeyedLocks: Sendable {
    @TaskLocal static var held: Set<String> = []

    /// Present key: someone holds it; the array: who waits, oldest first.
    private let queues = NIOLockedValueBox<[String: [CheckedContinuation<Void, Never>]]>([:])

    func withLock<T>(_ key: String, isolation: isolated (any _Concurrency.Actor)? = #isolation,
                     _ body: () async throws -> T) async rethrows -> T {
        if Self.held.contains(key) { return try await body() }
        await acquire(key)
        defer { release(key) }
        return try await Self.$held.withValue(Self.held.union([key]), operation: body, isolation: isolation)
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let mustWait = queues.withLockedValue { queues -> Bool in
                guard queues[key] != nil else {
                    queues[key] = []
                    return false
                }
                queues[key]!.append(waiter)
                return true
            }
            if !mustWait { waiter.resume() }
        }
    }

    /// Hands the key to the oldest waiter, or frees it.
    private func release(_ key: String) {
        let next = queues.withLockedValue { queues -> CheckedContinuation<Void, Never>? in
            guard var waiting = queues[key], !waiting.isEmpty else {
                queues[key] = nil
                return nil
            }
            let next = waiting.removeFirst()
            queues[key] = waiting
            return next
        }
        next?.resume()
    }
}
