#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Counts events per key in a sliding window and says when to refuse: wrong PINs and passwords per
/// source address, chat lines per session. Pure: the caller passes the time.
public struct WindowLimiter: Sendable {
    public let maximumEvents: Int
    public let window: TimeInterval
    private var events: [String: [Date]] = [:]

    public init(maximumEvents: Int, window: TimeInterval) {
        self.maximumEvents = maximumEvents
        self.window = window
    }

    /// How long `key` must still wait, or nil when it may try now.
    public func retryAfter(for key: String, at now: Date) -> TimeInterval? {
        let recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count >= maximumEvents, let oldest = recent.first else { return nil }
        return window - now.timeIntervalSince(oldest)
    }

    public mutating func record(for key: String, at now: Date) {
        var recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        events[key] = recent
        if events.count > 10_000 { prune(at: now) }
    }

    public mutating func forget(for key: String) {
        events[key] = nil
    }

    /// Forgets keys whose failures have all left the window, so memory stays bounded.
    public mutating func prune(at now: Date) {
        events = events.filter { _, dates in dates.contains { now.timeIntervalSince($0) < window } }
    }
}
