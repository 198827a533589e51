import Foundation
import LifelineCore

/// What stands between a right password and a signed-in console: the exponential backoff of failed
/// passwords and codes (per account and per source address), and the short-lived challenge of the
/// second step. Challenges live in memory: after a gateway restart the technician types the
/// password again, nothing else is lost.
actor SignInGuard {
    /// Why a challenge exists: to check a code, or to enrol first (the organisation requires it).
    enum Purpose: Sendable {
        case verify
        case enrol
    }

    struct Challenge: Sendable {
        let technicianId: String
        let email: String
        let remember: Bool
        let purpose: Purpose
        let expiresAt: Date
        var wrongCodes = 0
        var smsCodeDigest: String?
        var smsExpiresAt: Date?
        var smsSentAt: Date?
    }

    static let challengeLifetime: TimeInterval = 300
    static let wrongCodesPerChallenge = 5
    static let smsCodeLifetime: TimeInterval = 300
    static let smsInterval: TimeInterval = 30

    private var backoff: LoginBackoff
    private var challenges: [String: Challenge] = [:]
    private let now: @Sendable () -> Date

    init(backoff: LoginBackoff = LoginBackoff(), now: @escaping @Sendable () -> Date) {
        self.backoff = backoff
        self.now = now
    }

    static func keys(email: String, address: String) -> [String] {
        ["account:\(email.lowercased())", "address:\(address)"]
    }

    /// Refuses with the time to wait when the account or the address is backing off.
    func check(email: String, address: String) throws(GatewayError) {
        guard let wait = backoff.retryAfter(for: Self.keys(email: email, address: address), at: now()) else { return }
        let seconds = max(1, Int(wait.rounded(.up)))
        throw GatewayError(.tooManyRequests, "too_many_attempts",
                           "Too many failed sign-ins for this account or from your address. Try again in \(Self.describe(seconds: seconds)).",
                           retryAfterSeconds: seconds)
    }

    func failed(email: String, address: String) {
        backoff.recordFailure(for: Self.keys(email: email, address: address), at: now())
    }

    /// A full sign-in clears the account's failures; the address keeps its own (one good account
    /// must not wipe an attack on others from the same address).
    func succeeded(email: String) {
        backoff.recordSuccess(for: [Self.keys(email: email, address: "")[0]])
    }

    func open(technicianId: String, email: String, remember: Bool, purpose: Purpose) -> String {
        prune()
        let token = Secrets.token()
        challenges[Secrets.hash(token)] = Challenge(technicianId: technicianId, email: email.lowercased(), remember: remember,
                                                    purpose: purpose, expiresAt: now().addingTimeInterval(Self.challengeLifetime))
        return token
    }

    func challenge(_ token: String, purpose: Purpose) throws(GatewayError) -> Challenge {
        guard let challenge = challenges[Secrets.hash(token)], challenge.expiresAt > now(), challenge.purpose == purpose else {
            throw Self.expired
        }
        return challenge
    }

    /// A wrong code (the backoff counts it through `failed`): after five the challenge is gone and
    /// the password is asked again.
    func wrongCode(_ token: String) {
        let key = Secrets.hash(token)
        guard var challenge = challenges[key] else { return }
        challenge.wrongCodes += 1
        challenges[key] = challenge.wrongCodes >= Self.wrongCodesPerChallenge ? nil : challenge
    }

    func close(_ token: String) {
        challenges[Secrets.hash(token)] = nil
    }

    /// Remembers the digest of a code sent by SMS; refuses a second text within 30 seconds.
    func recordSMSCode(digest: String, for token: String) throws(GatewayError) {
        let key = Secrets.hash(token)
        guard var challenge = challenges[key] else { throw Self.expired }
        if let sent = challenge.smsSentAt, now().timeIntervalSince(sent) < Self.smsInterval {
            let seconds = Int((Self.smsInterval - now().timeIntervalSince(sent)).rounded(.up))
            throw GatewayError(.tooManyRequests, "sms_too_soon", "A code was just sent. You can ask for another in \(seconds) seconds.",
                               retryAfterSeconds: seconds)
        }
        challenge.smsCodeDigest = digest
        challenge.smsSentAt = now()
        challenge.smsExpiresAt = now().addingTimeInterval(Self.smsCodeLifetime)
        challenges[key] = challenge
    }

    /// True once for the SMS code of this challenge while it is fresh.
    func useSMSCode(digest: String, for token: String) -> Bool {
        let key = Secrets.hash(token)
        guard var challenge = challenges[key], let expected = challenge.smsCodeDigest, let expires = challenge.smsExpiresAt,
              expires > now(), expected == digest else { return false }
        challenge.smsCodeDigest = nil
        challenges[key] = challenge
        return true
    }

    private func prune() {
        let current = now()
        challenges = challenges.filter { $0.value.expiresAt > current }
        backoff.prune(at: current)
    }

    static let expired = GatewayError(.unauthorized, "challenge_expired", "This sign-in has expired. Type your email and password again.")

    /// "45 seconds", "3 minutes": a person reads it, not a program.
    static func describe(seconds: Int) -> String {
        seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
