/// Exponential backoff with jitter for reconnecting: 0.5 s, 1 s, 2 s … up to `maximum`, each
/// spread by ±50 % so that many applets cut off together do not return together.
public struct Backoff: Sendable {
    public let base: Double
    public let maximum: Double

    public init(base: Double = 0.5, maximum: Double = 30) {
        self.base = base
        self.maximum = maximum
    }

    /// The pause before attempt `attempt` (0-based); `unit` is a random number in 0..<1.
    public func delay(attempt: Int, unit: Double) -> Double {
        let exponential = min(maximum, base * Double(1 << min(attempt, 16)))
        return exponential * (0.5 + unit)
    }
}
