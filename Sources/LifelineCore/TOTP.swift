#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Time-based one-time passwords (RFC 6238 over RFC 4226) for two-step verification (A2): 30-second
/// steps, 6 digits, HMAC-SHA-1 as authenticator apps expect. Pure: the HMAC is passed in.
public enum TOTP {
    /// HMAC-SHA-1 of `message` with `key`, 20 bytes.
    public typealias HMAC = @Sendable (_ key: [UInt8], _ message: [UInt8]) -> [UInt8]

    public static let step: TimeInterval = 30
    public static let digits = 6
    /// Secrets of 160 bits, as RFC 4226 recommends.
    public static let secretBytes = 20
    /// A code of the step before or after is accepted too (clocks drift).
    public static let window: Int64 = 1

    public static func counter(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / step).rounded(.down))
    }

    /// The code for `counter` (RFC 4226 dynamic truncation), zero-padded to `length` digits.
    public static func code(secret: [UInt8], counter: Int64, length: Int = digits, hmac: HMAC) -> String {
        let message = withUnsafeBytes(of: UInt64(bitPattern: counter).bigEndian, Array.init)
        let mac = hmac(secret, message)
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<length { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: length - value.count) + value
    }

    /// The counter `typed` belongs to, within ±window of now and after `lastUsedCounter` (a code
    /// is good once: replaying it, or an older one, fails); nil when it does not match.
    public static func acceptedCounter(_ typed: String, secret: [UInt8], at date: Date, lastUsedCounter: Int64?, hmac: HMAC) -> Int64? {
        let cleaned = typed.filter { !$0.isWhitespace }
        guard cleaned.count == digits, cleaned.allSatisfy(\.isASCIIDigit) else { return nil }
        let now = counter(at: date)
        for candidate in (now - window)...(now + window) where candidate > (lastUsedCounter ?? Int64.min) {
            if constantTimeEqual(code(secret: secret, counter: candidate, hmac: hmac), cleaned) { return candidate }
        }
        return nil
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The otpauth:// URI authenticator apps read from the QR code.
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        let label = "\(issuer):\(account)".percentEncoded(keeping: ["@", ":"])
        let issuerParameter = issuer.percentEncoded(keeping: ["@"])
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParameter)&algorithm=SHA1&digits=\(digits)&period=\(Int(step))"
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// RFC 4648 base32 without padding, the manual key of authenticator apps.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var result = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                result.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { result.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return result
    }

    /// Lower case, spaces and padding accepted; nil for any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != " " && character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return bytes
    }
}

/// The ten single-use recovery codes of two-step verification: "xxxx-xxxx" from an alphabet
/// without look-alikes; stored hashed by the gateway.
public enum RecoveryCodes {
    public static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> [String] {
        (0..<count).map { _ in
            let characters = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            return String(characters[0..<4]) + "-" + String(characters[4..<8])
        }
    }

    /// What the customer may type: any case, with or without the dash and spaces.
    public static func normalised(_ typed: String) -> String? {
        let letters = typed.lowercased().filter { $0 != "-" && !$0.isWhitespace }
        guard letters.count == 8, letters.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return String(letters.prefix(4)) + "-" + String(letters.suffix(4))
    }
}
