#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Exponential backoff after failed sign-ins and two-step codes (A2), kept per key: one key per
/// account and one per source address, so neither a slow attack on one account from many
/// addresses nor a fast one from one address gets far. The first few failures are free (typos);
/// then each failure doubles the wait, up to `maximumDelay`. A success clears the key; a key
/// without failures for a day is forgotten. Pure: the caller passes the time.
public struct LoginBackoff: Sendable {
    public let freeFailures: Int
    public let firstDelay: TimeInterval
    public let maximumDelay: TimeInterval
    /// After this long without a failure a key starts afresh.
    public let memory: TimeInterval

    private struct Record: Sendable {
        var failures: Int
        var lastFailure: Date
    }
    private var records: [String: Record] = [:]

    public init(freeFailures: Int = 5, firstDelay: TimeInterval = 2, maximumDelay: TimeInterval = 900, memory: TimeInterval = 86_400) {
        self.freeFailures = freeFailures
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.memory = memory
    }

    /// The wait after `failures` failures in a row: 0 while free, then first, 2×first, 4×first … capped.
    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeFailures else { return 0 }
        let doublings = min(failures - freeFailures, 40)
        return min(firstDelay * Double(1 << doublings), maximumDelay)
    }

    /// How long `key` must still wait, or nil when it may try now.
    public func retryAfter(for key: String, at now: Date) -> TimeInterval? {
        guard let record = records[key], now.timeIntervalSince(record.lastFailure) < memory else { return nil }
        let remaining = delay(afterFailures: record.failures) - now.timeIntervalSince(record.lastFailure)
        return remaining > 0 ? remaining : nil
    }

    /// The longest wait of several keys (account and address): the caller is refused until all agree.
    public func retryAfter(for keys: [String], at now: Date) -> TimeInterval? {
        keys.compactMap { retryAfter(for: $0, at: now) }.max()
    }

    public mutating func recordFailure(for keys: [String], at now: Date) {
        for key in keys {
            var record = records[key].flatMap { now.timeIntervalSince($0.lastFailure) < memory ? $0 : nil }
                ?? Record(failures: 0, lastFailure: now)
            record.failures += 1
            // Another gateway node's failure may be told late: the last failure never moves back.
            record.lastFailure = max(record.lastFailure, now)
            records[key] = record
        }
        if records.count > 50_000 { prune(at: now) }
    }

    public mutating func recordSuccess(for keys: [String]) {
        for key in keys { records[key] = nil }
    }

    public mutating func prune(at now: Date) {
        records = records.filter { now.timeIntervalSince($0.value.lastFailure) < memory }
    }

    public func failures(for key: String) -> Int { records[key]?.failures ?? 0 }

    /// Whether `key` failed within the memory window (a day).
    public func hasRecentFailures(for key: String, at now: Date) -> Bool {
        records[key].map { now.timeIntervalSince($0.lastFailure) < memory } ?? false
    }
}
