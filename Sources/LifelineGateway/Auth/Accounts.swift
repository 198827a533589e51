import Foundation
import HummingbirdBcrypt
import LifelineCore
import LifelineStore
import Logging
import NIOPosix

/// Passwords, logins and the tokens behind them.
struct Accounts: Sendable {
    let store: any Store
    let environment: GatewayEnvironment

    static let sessionLifetime: TimeInterval = 12 * 3_600
    static let rememberedLifetime: TimeInterval = 30 * 86_400

    func hashPassword(_ password: String) async throws -> String {
        let cost = environment.bcryptCost
        // bcrypt is deliberately slow: keep it off the event loops.
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// NIST SP 800-63B rules (PasswordRules); `context` is the account's email, name and organisation.
    static func validatePassword(_ password: String, context: [String], twoStepRequired: Bool = false) throws(GatewayError) {
        do throws(PasswordRules.Problem) {
            try PasswordRules.check(password, twoStepRequired: twoStepRequired, context: context)
        } catch {
            throw GatewayError(.weakPassword, PasswordRules.describe(error))
        }
    }

    /// The technician behind an email and password, or `badCredentials`; disabled accounts are refused.
    func checkPassword(email: String, password: String) async throws -> Technician {
        guard let technician = try await store.technician(email: email.lowercased()) else {
            // Spend the same bcrypt time for unknown emails, so timing does not tell which emails exist.
            _ = try await hashPassword(password)
            throw GatewayError.badCredentials
        }
        guard try await verifyPassword(password, hash: technician.passwordHash) else { throw GatewayError.badCredentials }
        guard !technician.disabled else { throw GatewayError.accountDisabled }
        return technician
    }

    /// A new bearer token for a technician who passed every step.
    func issueToken(for technician: Technician, remember: Bool) async throws -> (token: String, expires: Date) {
        let now = environment.now()
        let token = Secrets.token()
        let expires = now.addingTimeInterval(remember ? Self.rememberedLifetime : Self.sessionLifetime)
        try await store.insertToken(AuthTokenRecord(tokenHash: Secrets.hash(token), technicianId: technician.id,
                                                    createdAt: now, expiresAt: expires))
        return (token, expires)
    }

    /// The actor for a bearer or cookie token, or nil when the token is unknown, expired or disabled.
    func actor(forToken token: String, viaCookie: Bool) async throws -> Actor? {
        try await actor(forTokenHash: Secrets.hash(token), viaCookie: viaCookie)
    }

    /// The technician behind a login, read from the store (HTTP requests, and a console socket's
    /// upgrade and refreshes; `ConsoleIdentities` keeps it between).
    func actor(forTokenHash hash: String, viaCookie: Bool) async throws -> Actor? {
        guard let record = try await store.token(hash: hash) else { return nil }
        guard record.expiresAt > environment.now() else {
            try await store.deleteToken(hash: hash)
            return nil
        }
        guard let technician = try await store.technician(id: record.technicianId), !technician.disabled else { return nil }
        return try await actor(for: technician, tokenHash: hash, expiresAt: record.expiresAt, viaCookie: viaCookie)
    }

    func actor(for technician: Technician, tokenHash: String, expiresAt: Date, viaCookie: Bool) async throws -> Actor {
        let organisation = try await store.organisation(id: technician.organisationId)
        return Actor(technician: technician, organisationName: organisation?.name ?? "",
                     permissions: try await permissions(of: technician), tokenHash: tokenHash, viaCookie: viaCookie,
                     tokenExpiresAt: expiresAt)
    }

    /// Group permissions; the master administrator and administrators without a group may do everything.
    func permissions(of technician: Technician) async throws -> PermissionSet {
        if let groupId = technician.groupId, let group = try await store.group(id: groupId) {
            return group.permissions
        }
        return technician.role.isAdministrator ? .all : .none
    }
}
