import Crypto
import Foundation

/// Random tokens and their hashes. Tokens leave the gateway once; only hashes are stored.
enum Secrets {
    /// A URL-safe token with `bytes` × 8 bits of entropy from the system CSPRNG.
    static func token(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The device id the gateway vouches for (D6): derived from the key the applet sends (itself
    /// a hash of the machine's confidential machine id), never the key itself. Knowing a device's
    /// id, as technicians do, does not let anyone claim it: that needs the key.
    static func deviceId(fromKey key: String) -> String {
        SHA256.hash(data: Data("lifeline-device-id:\(key)".utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// A 9-digit session number, easy to read out on the phone.
    static func sessionNumber() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(Int.random(in: 100_000_000...999_999_999, using: &generator))
    }
}
