import Foundation
import LifelineProtocol
import NIOConcurrencyHelpers

/// Connections to unattended computers waiting for their agent's answer (F5), by session: the
/// technician's request waits a bounded time, and no answer counts as none.
final class PendingConnects: Sendable {
    typealias Answer = AgentToGateway.AgentConnectAnswer

    private let waiting = NIOLockedValueBox<[String: (deviceId: String, continuation: CheckedContinuation<Answer?, Never>)]>([:])

    /// Registers the wait, runs `ask` (which sends the question), and returns the answer, or nil
    /// after `timeout`.
    func answer(for sessionId: String, from deviceId: String, within timeout: Duration, ask: () -> Void) async -> Answer? {
        await withCheckedContinuation { continuation in
            waiting.withLockedValue { $0[sessionId] = (deviceId, continuation) }
            ask()
            Task {
                do { try await Task.sleep(for: timeout) } catch { /* cancelled: the answer came first or the gateway stops */ }
                self.resolve(sessionId, with: nil, from: nil)
            }
        }
    }

    /// The agent's answer (only the asked computer's counts), or nil at the timeout; a second
    /// resolution of the same wait does nothing.
    func resolve(_ sessionId: String, with answer: Answer?, from deviceId: String?) {
        let continuation = waiting.withLockedValue { waiting -> CheckedContinuation<Answer?, Never>? in
            guard let entry = waiting[sessionId], deviceId == nil || entry.deviceId == deviceId else { return nil }
            waiting[sessionId] = nil
            return entry.continuation
        }
        continuation?.resume(returning: answer)
    }
}
