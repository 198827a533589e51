#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Short-lived TURN credentials in the "TURN REST API" scheme coturn checks with `use-auth-secret`
/// (draft-uberti-behave-turn-rest): the user name is the expiry time in Unix seconds and a label,
/// the password the Base64 of HMAC-SHA-1 of that user name under the secret the gateway and the
/// TURN server share. Nothing is stored: the server recomputes it and refuses it once expired.
/// Pure: the HMAC is passed in (as for TOTP).
public enum TurnCredentials {
    /// HMAC-SHA-1, as for TOTP.
    public typealias HMAC = TOTP.HMAC

    /// Twelve hours: longer than any support call, since a relay's refresh needs them still valid.
    public static let defaultLifetime: TimeInterval = 12 * 3600

    /// The user name and password for `label` (a session number), valid until `now + lifetime`.
    public static func make(secret: [UInt8], label: String, now: Date, lifetime: TimeInterval = defaultLifetime,
                            hmac: HMAC) -> (username: String, credential: String) {
        let expiry = Int(now.timeIntervalSince1970 + lifetime)
        // ':' separates the expiry from the label in the scheme; a label never holds one.
        let username = "\(expiry):\(label.filter { $0 != ":" })"
        return (username, Data(hmac(secret, Array(username.utf8))).base64EncodedString())
    }
}
