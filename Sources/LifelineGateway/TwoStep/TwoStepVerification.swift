import Crypto
import Foundation
import LifelineCore
import LifelineStore

/// Two-step verification (A2): enrolment with a QR code, authenticator codes (RFC 6238, replay
/// refused), ten single-use recovery codes kept as keyed hashes, and the secrets sealed at rest.
struct TwoStepVerification: Sendable {
    let store: any Store
    let box: SecretBox
    let environment: GatewayEnvironment
    /// One change of a technician's enrolment at a time: a code checked and marked used (or a
    /// recovery code crossed off) is never interleaved with another check of the same account.
    let turns = KeyedLocks()
    static let issuer = "Lifeline"

    /// What the technician scans or types into the authenticator app.
    struct Enrolment: Encodable {
        let secret: String
        let uri: String
        let qrCodeSVG: String
    }

    enum Accepted: Equatable {
        case authenticator
        case recoveryCode(left: Int)
    }

    static let hmac: TOTP.HMAC = { key, message in
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    func enrolment(of technicianId: String) async throws -> TwoStepEnrolment? {
        try await store.twoStep(technicianId: technicianId)
    }

    func isEnabled(for technicianId: String) async throws -> Bool {
        try await enrolment(of: technicianId)?.confirmed ?? false
    }

    /// A new secret, not in force until a code from it is confirmed. Refused while one is in force:
    /// turning it off first needs the password, so a stolen console cannot swap the phone.
    func begin(for technician: Technician) async throws -> Enrolment {
        try await turns.withLock("two-step:\(technician.id)") {
            let existing = try await enrolment(of: technician.id)
            if existing?.confirmed == true {
                throw GatewayError(.twoStepEnabled, "Two-step verification is already on. Turn it off first to use another phone.")
            }
            var generator = SystemRandomNumberGenerator()
            let secret = (0..<TOTP.secretBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            try await store.saveTwoStep(TwoStepEnrolment(
                technicianId: technician.id, sealedSecret: try box.seal(secret), confirmed: false, lastUsedCounter: nil,
                recoveryCodeHashes: [], smsPhone: existing?.smsPhone, createdAt: environment.now()))
            let uri = TOTP.provisioningURI(secret: secret, account: technician.email, issuer: Self.issuer)
            guard let svg = QRCodeSVG.make(uri) else { throw GatewayError.badRequest("The QR code could not be made for this account name.") }
            return Enrolment(secret: Base32.encode(secret), uri: uri, qrCodeSVG: svg)
        }
    }

    /// Turns it on with the first good code; returns the recovery codes, shown this once.
    func confirm(for technicianId: String, code: String) async throws -> [String] {
        try await turns.withLock("two-step:\(technicianId)") {
            let found = try await enrolment(of: technicianId)
            guard var enrolment = found, !enrolment.confirmed else {
                throw GatewayError(.noEnrolment, "Start two-step verification first: scan the QR code, then type a code.")
            }
            guard let counter = try acceptedCounter(code, enrolment) else { throw Self.wrongCode }
            enrolment.confirmed = true
            enrolment.lastUsedCounter = counter
            let codes = newRecoveryCodes(into: &enrolment)
            try await store.saveTwoStep(enrolment)
            return codes
        }
    }

    /// Checks an authenticator or recovery code for a technician with two-step on, using it up.
    func accept(_ typed: String, for technicianId: String) async throws -> Accepted? {
        try await turns.withLock("two-step:\(technicianId)") {
            let found = try await enrolment(of: technicianId)
            guard var enrolment = found, enrolment.confirmed else { return nil }
            if let counter = try acceptedCounter(typed, enrolment) {
                enrolment.lastUsedCounter = counter
                try await store.saveTwoStep(enrolment)
                return .authenticator
            }
            if let code = RecoveryCodes.normalised(typed), let index = enrolment.recoveryCodeHashes.firstIndex(of: box.digest(code)) {
                enrolment.recoveryCodeHashes.remove(at: index)
                try await store.saveTwoStep(enrolment)
                return .recoveryCode(left: enrolment.recoveryCodeHashes.count)
            }
            return nil
        }
    }

    /// Ten fresh recovery codes; the old ones stop working.
    func renewRecoveryCodes(for technicianId: String) async throws -> [String] {
        try await turns.withLock("two-step:\(technicianId)") {
            let found = try await enrolment(of: technicianId)
            guard var enrolment = found, enrolment.confirmed else { throw Self.notEnabled }
            let codes = newRecoveryCodes(into: &enrolment)
            try await store.saveTwoStep(enrolment)
            return codes
        }
    }

    func setPhone(_ phone: String?, for technicianId: String) async throws {
        try await turns.withLock("two-step:\(technicianId)") {
            let found = try await enrolment(of: technicianId)
            guard var enrolment = found, enrolment.confirmed else { throw Self.notEnabled }
            enrolment.smsPhone = phone
            try await store.saveTwoStep(enrolment)
        }
    }

    func turnOff(for technicianId: String) async throws {
        try await turns.withLock("two-step:\(technicianId)") {
            try await store.deleteTwoStep(technicianId: technicianId)
        }
    }

    private func acceptedCounter(_ typed: String, _ enrolment: TwoStepEnrolment) throws -> Int64? {
        guard let secret = box.open(enrolment.sealedSecret) else {
            throw GatewayError(.twoStepKeyMismatch,
                               "The two-step secret cannot be read with this gateway's key file. Ask your administrator to reset your two-step verification.")
        }
        return TOTP.acceptedCounter(typed, secret: secret, at: environment.now(), lastUsedCounter: enrolment.lastUsedCounter, hmac: Self.hmac)
    }

    private func newRecoveryCodes(into enrolment: inout TwoStepEnrolment) -> [String] {
        var generator = SystemRandomNumberGenerator()
        let codes = RecoveryCodes.generate(using: &generator)
        enrolment.recoveryCodeHashes = codes.map(box.digest)
        return codes
    }

    static let wrongCode = GatewayError(.wrongCode, "This code is not right, or it was already used. Type the newest code from your app.")
    static let notEnabled = GatewayError(.twoStepOff, "Two-step verification is not on for this account.")
}
