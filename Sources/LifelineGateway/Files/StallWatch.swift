import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Ends a transfer whose bytes stopped moving: a stalled upload would otherwise hold the
/// session's one file transfer (and its connection) for as long as the peer keeps it open.
final class StallWatch: Sendable {
    private let state: NIOLockedValueBox<(lastProgress: ContinuousClock.Instant, stalled: Bool)>
    private init() {
        state = NIOLockedValueBox((ContinuousClock.now, false))
    }

    /// Bytes moved: the clock starts again.
    func progressed() {
        state.withLockedValue { $0.lastProgress = .now }
    }

    /// Whether the watch ended the transfer.
    private var stalled: Bool { state.withLockedValue { $0.stalled } }

    /// Runs `body` while a watchdog closes `channel` once no progress was reported for `limit`;
    /// then `Stalled` is thrown.
    static func watching<T: Sendable>(_ channel: any Channel, limit: Duration,
                                      _ body: (StallWatch) async throws -> T) async throws -> T {
        let watch = StallWatch()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: limit / 4)
                    let stalled = watch.state.withLockedValue { state in
                        if ContinuousClock.now - state.lastProgress >= limit { state.stalled = true }
                        return state.stalled
                    }
                    if stalled {
                        channel.close(promise: nil)
                        return
                    }
                }
            }
            defer { group.cancelAll() }
            do {
                return try await body(watch)
            } catch {
                // The body sees its stream end; say why.
                throw watch.stalled ? Stalled() : error
            }
        }
    }

    /// Thrown by `watching` when the watch ended the transfer, whatever the body then threw.
    struct Stalled: Error {}

    /// What the parties are told: no bytes for so long, after so much.
    static func reason(_ limit: Duration, after received: Int64, of size: Int64) -> String {
        "no data moved for \(limit.components.seconds) seconds after \(received) of \(size) bytes; the transfer was stopped."
    }
}
