import Foundation
import LifelineProtocol
import NIOConcurrencyHelpers

/// Technicians' requests waiting for an agent's answer, by request (F5: a connection, by its
/// session; F4: a LAN listing or connection): each waits a bounded time, and no answer counts as none.
final class PendingAnswers<Answer: Sendable>: Sendable {
    private let waiting = NIOLockedValueBox<[String: (deviceId: String, continuation: CheckedContinuation<Answer?, Never>)]>([:])

    /// Registers the wait, runs `ask` (which sends the question), and returns the answer, or nil
    /// after `timeout`.
    func answer(for requestId: String, from deviceId: String, within timeout: Duration, ask: () -> Void) async -> Answer? {
        await withCheckedContinuation { continuation in
            waiting.withLockedValue { $0[requestId] = (deviceId, continuation) }
            ask()
            Task {
                do { try await Task.sleep(for: timeout) } catch { /* cancelled: the answer came first or the gateway stops */ }
                self.resolve(requestId, with: nil, from: nil)
            }
        }
    }

    /// The agent's answer (only the asked computer's counts), or nil at the timeout; a second
    /// resolution of the same wait does nothing.
    func resolve(_ requestId: String, with answer: Answer?, from deviceId: String?) {
        let continuation = waiting.withLockedValue { waiting -> CheckedContinuation<Answer?, Never>? in
            guard let entry = waiting[requestId], deviceId == nil || entry.deviceId == deviceId else { return nil }
            waiting[requestId] = nil
            return entry.continuation
        }
        continuation?.resume(returning: answer)
    }
}
