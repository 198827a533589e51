import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// The last step of every sign-in (password alone, or password and a second step): a token, the
/// cookie, the audit line, and the account's failures forgotten.
struct SignIn: Sendable {
    let accounts: Accounts
    let hub: SessionHub
    let guardian: SignInGuard
    let secureCookies: Bool

    struct Response: Encodable {
        let token: String
        let expiresAt: Date
        let technician: AuthController.TechnicianView
        /// Only after enrolling at sign-in: the recovery codes, shown this once.
        let recoveryCodes: [String]?
    }

    /// Runs one sign-in attempt (a password or a code) for the account and address: refused while
    /// they back off, and counted as a failure while it is being decided (see `SignInGuard.reserve`).
    func attempt<T>(email: String, address: String, _ body: () async throws -> T) async throws -> T {
        await catchUp()
        try await guardian.reserve(email: email, address: address)
        do {
            let result = try await body()
            await guardian.release(email: email, address: address)
            return result
        } catch {
            await guardian.release(email: email, address: address)
            throw error
        }
    }

    func complete(_ technician: Technician, remember: Bool, recoveryCodes: [String]? = nil,
                  context: GatewayRequestContext) async throws -> Hummingbird.Response {
        let issued = try await accounts.issueToken(for: technician, remember: remember)
        await guardian.succeeded(email: technician.email)
        await tellOtherNodes(.signInSucceeded, key: technician.email.lowercased())
        let actor = try await accounts.actor(for: technician, tokenHash: Secrets.hash(issued.token), expiresAt: issued.expires, viaCookie: false)
        var response = try JSONResponse.make(Response(token: issued.token, expiresAt: issued.expires,
                                                      technician: AuthController.TechnicianView(actor), recoveryCodes: recoveryCodes))
        // "Remember me" keeps the cookie across browser restarts; otherwise it dies with the browser.
        let maxAge = remember ? Int(Accounts.rememberedLifetime) : nil
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: issued.token, maxAge: maxAge,
                                  path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        context.logger.info("Technician signed in", metadata: ["technician.id": "\(technician.id)"])
        try await hub.audit.record(.signIn, by: actor, objectType: "technician", objectId: technician.id, source: context.remoteAddress)
        return response
    }

    /// A failed password or code: backoff, and a line in the audit log (in the account's
    /// organisation when the email is known, in the global chain otherwise).
    func failed(email: String, reason: String, context: GatewayRequestContext) async throws {
        await guardian.failed(email: email, address: context.remoteAddress)
        await tellOtherNodes(.signInFailed, key: email.lowercased() + "\n" + context.remoteAddress)
        var known: Technician?
        do { known = try await accounts.store.technician(email: email.lowercased()) } catch {
            // The entry still goes to the global chain; the failure itself is logged.
            context.logger.error("Could not read the account of a failed sign-in", metadata: ["error": "\(error)"])
        }
        try await hub.audit.record(.signInFailed, organisationId: known?.organisationId, actorId: known?.id,
                               actorName: String(email.prefix(254)), after: AuditTrail.json(["reason": reason]),
                               source: context.remoteAddress)
    }

    /// Other gateway nodes' failed and successful sign-ins since this node last looked, counted
    /// here too: the backoff holds for the cluster (issue 20).
    func catchUp() async {
        guard let node = hub.sharedNode else { return }
        for failure in await node.signInFailures.unseen() {
            switch failure.kind {
            case .signInFailed:
                guard let newline = failure.key.firstIndex(of: "\n") else { continue }
                await guardian.failed(email: String(failure.key[..<newline]), address: String(failure.key[failure.key.index(after: newline)...]),
                                      secondsAgo: failure.age)
            case .signInSucceeded:
                await guardian.succeeded(email: failure.key)
            case .wrongGuess:
                continue
            }
        }
    }

    private func tellOtherNodes(_ kind: SharedFailure.Kind, key: String) async {
        guard let node = hub.sharedNode else { return }
        await node.signInFailures.record(kind, key: key)
    }
}
