/// The 6-digit PIN a customer types on the PIN page (F1).
public struct PinCode: Hashable, Sendable, CustomStringConvertible {
    public static let length = 6
    public let digits: String

    /// Accepts exactly six ASCII digits, ignoring spaces and dashes a customer may type.
    public init?(_ typed: String) {
        let kept = typed.filter { $0 != " " && $0 != "-" }
        guard kept.count == Self.length, kept.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        digits = kept
    }

    public var description: String { digits }

    /// A fresh PIN from `generator` (the system CSPRNG in production) that is not in `live`.
    public static func generate(
        avoiding live: Set<PinCode>, using generator: inout some RandomNumberGenerator
    ) -> PinCode {
        generate(avoiding: { live.contains($0) }, using: &generator)
    }

    /// `isInUse` answers for one candidate at a time, so a caller with an index of thousands of
    /// live PINs need not copy them into a set for every new session.
    public static func generate(
        avoiding isInUse: (PinCode) -> Bool, using generator: inout some RandomNumberGenerator
    ) -> PinCode {
        while true {
            let number = Int.random(in: 0..<1_000_000, using: &generator)
            let text = String(number)
            let candidate = PinCode(String(repeating: "0", count: length - text.count) + text)!
            if !isInUse(candidate) { return candidate }
        }
    }
}
