#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A gateway-wide ceiling on wrong PINs and links, against guessing from many addresses at once
/// (the per-address limit alone lets 3,000 addresses make 3,000 times its guesses).
///
/// While fewer than `failuresPerMinute` wrong attempts were made in the last minute, every attempt
/// is checked. Past that, an attempt is checked only from a network (IPv4 /24, IPv6 /64) with no
/// wrong attempt within `networkMemory` (a PIN's life): a real customer typing their PIN right the
/// first time still gets in; guessers get one try per network per PIN life. So a PIN faces at most
/// `failuresPerMinute` × 20 + (networks the attacker holds) guesses in its 20 minutes.
/// Pure: the caller passes the time.
public struct GuessCeiling: Sendable {
    public let failuresPerMinute: Int
    public let networkMemory: TimeInterval
    /// Networks remembered at most; past it (a flood of fresh IPv6 networks) the ceiling holds
    /// for every network until old ones are forgotten.
    public let maximumNetworks: Int
    private var recentFailures: [Date] = []
    private var lastFailureOfNetwork: [String: Date] = [:]

    public init(failuresPerMinute: Int = 4, networkMemory: TimeInterval = 1_200, maximumNetworks: Int = 100_000) {
        self.failuresPerMinute = failuresPerMinute
        self.networkMemory = networkMemory
        self.maximumNetworks = maximumNetworks
    }

    /// How long an attempt from `address` must wait, or nil when it may be checked now.
    public func retryAfter(for address: String, at now: Date) -> TimeInterval? {
        let recent = recentFailures.filter { now.timeIntervalSince($0) < 60 }
        guard recent.count >= failuresPerMinute else { return nil }
        let network = Self.network(of: address)
        let known = lastFailureOfNetwork[network].map { now.timeIntervalSince($0) < networkMemory } ?? false
        if !known && lastFailureOfNetwork.count < maximumNetworks { return nil }
        // The ceiling lifts when enough of the last minute's failures have aged out of it.
        return 60 - now.timeIntervalSince(recent[recent.count - failuresPerMinute])
    }

    public mutating func recordFailure(from address: String, at now: Date) {
        recentFailures = recentFailures.filter { now.timeIntervalSince($0) < 60 }
        recentFailures.append(now)
        lastFailureOfNetwork[Self.network(of: address)] = now
        if lastFailureOfNetwork.count >= maximumNetworks {
            lastFailureOfNetwork = lastFailureOfNetwork.filter { now.timeIntervalSince($0.value) < networkMemory }
        }
    }

    /// The network an address belongs to, as one customer site would hold it: IPv4 /24, IPv6 /64
    /// (an IPv4-mapped IPv6 address as IPv4); anything else stands for itself.
    public static func network(of address: String) -> String {
        var text = address
        if text.lowercased().hasPrefix("::ffff:"), text.contains(".") { text = String(text.dropFirst(7)) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let parts = text.split(separator: ".")
            return parts.prefix(3).joined(separator: ".") + ".0/24"
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0.prefix(8)) }
            return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":") + "::/64"
        }
        return address
    }
}
