import Foundation
import LifelineCore
import NIOConcurrencyHelpers

/// A `WindowLimiter` shared by every request: checking and counting happen under one lock, so
/// concurrent attempts cannot all pass a limit they would pass one by one.
final class SharedLimiter: Sendable {
    private let limiter: NIOLockedValueBox<WindowLimiter>

    init(maximumEvents: Int, window: TimeInterval) {
        limiter = NIOLockedValueBox(WindowLimiter(maximumEvents: maximumEvents, window: window))
    }

    func retryAfter(for key: String, at now: Date) -> TimeInterval? {
        limiter.withLockedValue { $0.retryAfter(for: key, at: now) }
    }

    func record(for key: String, at now: Date) {
        limiter.withLockedValue { $0.record(for: key, at: now) }
    }

    /// Counts one more event for `key`, unless the limit is reached: then how long to wait.
    func admit(_ key: String, at now: Date) -> TimeInterval? {
        limiter.withLockedValue { limiter in
            if let wait = limiter.retryAfter(for: key, at: now) { return wait }
            limiter.record(for: key, at: now)
            return nil
        }
    }
}

/// Wrong PINs and links (customers' and collaborators'): ten per address in five minutes, and past
/// four a minute gateway-wide only networks that have not failed are checked (`GuessCeiling`).
final class GuessLimits: Sendable {
    private struct State {
        var perAddress = WindowLimiter(maximumEvents: 10, window: 300)
        var ceiling = GuessCeiling()
    }

    private let state = NIOLockedValueBox(State())
    /// The longest either limit looks back: a network's last failure, for the ceiling.
    static let memory = GuessCeiling().networkMemory

    func check(from source: String, at now: Date) throws(GatewayError) {
        let (address, ceiling) = state.withLockedValue { ($0.perAddress.retryAfter(for: source, at: now), $0.ceiling.retryAfter(for: source, at: now)) }
        if let address { throw GatewayError.tooManyAttempts(retryAfter: address) }
        if let ceiling { throw GatewayError.tooManyGuessesOnTheGateway(retryAfter: ceiling) }
    }

    /// Only time clears a wrong guess: a right one does not (an attacker would check their own live
    /// PIN between guesses).
    func recordWrongGuess(from source: String, at now: Date) {
        state.withLockedValue {
            $0.perAddress.record(for: source, at: now)
            $0.ceiling.recordFailure(from: source, at: now)
        }
    }
}
