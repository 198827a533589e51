import Foundation

/// Counts failed attempts per key (a source address) in a sliding window and says when to refuse.
/// Used for wrong PINs and wrong passwords. Pure: the caller passes the time.
public struct AttemptLimiter: Sendable {
    public let maximumFailures: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(maximumFailures: Int, window: TimeInterval) {
        self.maximumFailures = maximumFailures
        self.window = window
    }

    /// How long `key` must still wait, or nil when it may try now.
    public func retryAfter(for key: String, at now: Date) -> TimeInterval? {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count >= maximumFailures, let oldest = recent.first else { return nil }
        return window - now.timeIntervalSince(oldest)
    }

    public mutating func recordFailure(for key: String, at now: Date) {
        var recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        failures[key] = recent
        if failures.count > 10_000 { prune(at: now) }
    }

    public mutating func recordSuccess(for key: String) {
        failures[key] = nil
    }

    /// Forgets keys whose failures have all left the window, so memory stays bounded.
    public mutating func prune(at now: Date) {
        failures = failures.filter { _, dates in dates.contains { now.timeIntervalSince($0) < window } }
    }
}
