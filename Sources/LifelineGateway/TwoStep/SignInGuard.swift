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
    /// Attempts being decided (a password hashing, a code being checked), per key: they count as
    /// failures until they are decided, so concurrent guesses cannot all slip in before the first
    /// failure is recorded.
    private var undecided: [String: Int] = [:]
    private let now: @Sendable () -> Date

    init(backoff: LoginBackoff = LoginBackoff(), now: @escaping @Sendable () -> Date) {
        self.backoff = backoff
        self.now = now
    }

    static func keys(email: String, address: String) -> [String] {
        ["account:\(email.lowercased())", "address:\(address)"]
    }

    /// The keys that hold an attempt back: its address always; the account too once this address
    /// has failed. While an account backs off, a sign-in from an address that has not failed goes
    /// through, so nobody can lock a technician out from elsewhere; an address that guesses wrong
    /// is held by the account's backoff from then on (docs/security.md).
    private func holdingKeys(email: String, address: String) -> [String] {
        let keys = Self.keys(email: email, address: address)
        let addressKey = keys[1]
        let addressFailed = backoff.hasRecentFailures(for: addressKey, at: now()) || undecided[addressKey, default: 0] > 0
        return addressFailed ? keys : [addressKey]
    }

    /// Refuses with the time to wait when the address, or the account for an address that failed, is backing off.
    func check(email: String, address: String) throws(GatewayError) {
        let keys = holdingKeys(email: email, address: address)
        if let wait = backoff.retryAfter(for: keys, at: now()) { throw Self.tooMany(wait) }
        // Attempts still being decided would, if they fail, take the key past its free failures:
        // this one waits for them.
        for key in keys {
            let pending = undecided[key, default: 0]
            if pending > 0, backoff.delay(afterFailures: backoff.failures(for: key) + pending) > 0 {
                throw Self.tooMany(backoff.firstDelay)
            }
        }
    }

    /// `check`, and the attempt counts against the keys until `release`: call `release` however the
    /// attempt ends (after `failed` when it failed). See `SignIn.attempt`.
    func reserve(email: String, address: String) throws(GatewayError) {
        try check(email: email, address: address)
        for key in Self.keys(email: email, address: address) { undecided[key, default: 0] += 1 }
    }

    func release(email: String, address: String) {
        for key in Self.keys(email: email, address: address) {
            let left = undecided[key, default: 0] - 1
            undecided[key] = left > 0 ? left : nil
        }
    }

    static func tooMany(_ wait: TimeInterval) -> GatewayError {
        let seconds = max(1, Int(wait.rounded(.up)))
        return GatewayError(.tooManyAttempts,
                            "Too many failed sign-ins for this account or from your address. Try again in \(Self.describe(seconds: seconds)).",
                            retryAfterSeconds: seconds)
    }

    /// `secondsAgo`: a failure another gateway node saw and this one reads later.
    func failed(email: String, address: String, secondsAgo: TimeInterval = 0) {
        backoff.recordFailure(for: Self.keys(email: email, address: address), at: now().addingTimeInterval(-secondsAgo))
    }

    /// A full sign-in clears the account's failures; the address keeps its own (one good account
    /// must not wipe an attack on others from the same address).
    func succeeded(email: String) {
        backoff.recordSuccess(for: [Self.keys(email: email, address: "")[0]])
    }

    /// `node`: the gateway node's id in a cluster; the token starts with it, so the second step
    /// reaches this node whichever node the load balancer sends it to.
    func open(technicianId: String, email: String, remember: Bool, purpose: Purpose, node: String? = nil) -> String {
        prune()
        let token = (node.map { $0 + "." } ?? "") + Secrets.token()
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

    /// A code is about to be checked against the challenge: it counts as wrong until it proved
    /// right (`close`), so of any number of concurrent codes at most five are ever checked.
    func reserveCode(_ token: String, purpose: Purpose) throws(GatewayError) -> Challenge {
        let key = Secrets.hash(token)
        var challenge = try self.challenge(token, purpose: purpose)
        guard challenge.wrongCodes < Self.wrongCodesPerChallenge else {
            challenges[key] = nil
            throw Self.expired
        }
        challenge.wrongCodes += 1
        challenges[key] = challenge
        return challenge
    }

    /// A wrong code (already counted by `reserveCode`; the backoff counts it through `failed`):
    /// after five the challenge is gone and the password is asked again.
    func wrongCode(_ token: String) {
        let key = Secrets.hash(token)
        guard let challenge = challenges[key], challenge.wrongCodes >= Self.wrongCodesPerChallenge else { return }
        challenges[key] = nil
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
            throw GatewayError(.smsTooSoon, "A code was just sent. You can ask for another in \(seconds) seconds.",
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

    static let expired = GatewayError(.challengeExpired, "This sign-in has expired. Type your email and password again.")

    /// "45 seconds", "3 minutes": a person reads it, not a program.
    static func describe(seconds: Int) -> String {
        seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
