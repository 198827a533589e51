import Foundation

/// A technician's two-step verification (A2). The TOTP secret is sealed by the gateway (AES-GCM)
/// before it reaches the store; recovery codes are kept as hashes and removed when used.
public struct TwoStepEnrolment: Equatable, Sendable {
    public let technicianId: String
    /// The sealed secret, base64 (nonce, ciphertext and tag).
    public var sealedSecret: String
    /// False between "show me the QR code" and the first good code.
    public var confirmed: Bool
    /// The TOTP step of the last accepted code: that code and older ones are refused (replay).
    public var lastUsedCounter: Int64?
    public var recoveryCodeHashes: [String]
    /// Where backup codes go by SMS; nil: no SMS backup.
    public var smsPhone: String?
    public var createdAt: Date

    public init(technicianId: String, sealedSecret: String, confirmed: Bool, lastUsedCounter: Int64?,
                recoveryCodeHashes: [String], smsPhone: String?, createdAt: Date) {
        self.technicianId = technicianId
        self.sealedSecret = sealedSecret
        self.confirmed = confirmed
        self.lastUsedCounter = lastUsedCounter
        self.recoveryCodeHashes = recoveryCodeHashes
        self.smsPhone = smsPhone
        self.createdAt = createdAt
    }
}
