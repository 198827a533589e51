import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// Two-step verification (A2): the second step of sign-in (authenticator, recovery or SMS code),
/// enrolment at sign-in when the organisation requires it, and each technician's own settings.
struct TwoStepController {
    let accounts: Accounts
    let hub: SessionHub
    let twoStep: TwoStepVerification
    let signIn: SignIn
    let sms: (any SMSSender)?

    struct ChallengeRequest: Decodable {
        let challenge: String
    }

    struct CodeRequest: Decodable {
        let challenge: String?
        let code: String
    }

    struct PasswordRequest: Decodable {
        let password: String
    }

    struct PhoneRequest: Decodable {
        let phone: String?
    }

    struct StatusView: Encodable {
        let enabled: Bool
        let required: Bool
        let recoveryCodesLeft: Int
        let smsPhone: String?
        let smsAvailable: Bool
    }

    struct RecoveryCodesView: Encodable {
        let recoveryCodes: [String]
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("auth/two-step", use: verify)
        group.post("auth/two-step/sms", use: sendSMSCode)
        group.post("auth/two-step/enrolment", use: beginAtSignIn)
        group.post("auth/two-step/enrolment/confirm", use: confirmAtSignIn)
        group.get("me/two-step", use: status)
        group.post("me/two-step/enrolment", use: begin)
        group.post("me/two-step/enrolment/confirm", use: confirm)
        group.post("me/two-step/recovery-codes", use: renewRecoveryCodes)
        group.put("me/two-step/sms", use: setPhone)
        group.post("me/two-step/disable", use: disable)
        group.post("admin/technicians/{id}/two-step/reset", use: reset)
    }

    // MARK: The second step of sign-in

    /// An authenticator code, a recovery code or the SMS code finishes the sign-in.
    @Sendable func verify(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (body, token, challenge, technician) = try await pending(request, context, purpose: .verify)
        let accepted = try await signIn.attempt(email: challenge.email, address: context.remoteAddress) {
            let accepted = try await twoStep.accept(body.code, for: technician.id)
            let bySMS = accepted == nil ? await signIn.guardian.useSMSCode(digest: twoStep.box.digest(body.code.filter(\.isNumber)), for: token) : false
            guard accepted != nil || bySMS else {
                await signIn.guardian.wrongCode(token)
                try await signIn.failed(email: challenge.email, reason: TwoStepVerification.wrongCode.code, context: context)
                throw TwoStepVerification.wrongCode
            }
            return accepted
        }
        await signIn.guardian.close(token)
        if case .recoveryCode(let left) = accepted {
            try await hub.audit.record(.recoveryCodeUsed, organisationId: technician.organisationId, actorId: technician.id,
                                   actorName: technician.name, objectType: "technician", objectId: technician.id,
                                   after: AuditTrail.json(["recoveryCodesLeft": left]), source: context.remoteAddress)
        }
        return try await signIn.complete(technician, remember: challenge.remember, context: context)
    }

    /// Sends a one-time code to the phone saved for SMS backup.
    @Sendable func sendSMSCode(request: Request, context: GatewayRequestContext) async throws -> Response {
        let token = try await request.decodeJSON(as: ChallengeRequest.self, context: context).challenge
        let challenge = try await signIn.guardian.challenge(token, purpose: .verify)
        await signIn.catchUp()
        try await signIn.guardian.check(email: challenge.email, address: context.remoteAddress)
        let enrolment = try await twoStep.enrolment(of: challenge.technicianId)
        guard let sms, let phone = enrolment?.smsPhone else {
            throw GatewayError(.smsUnavailable, "No phone number is saved for SMS codes on this account. Use your app or a recovery code.")
        }
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        try await signIn.guardian.recordSMSCode(digest: twoStep.box.digest(code), for: token)
        do {
            try await sms.send(to: phone, text: "Your Lifeline sign-in code is \(code). It expires in 5 minutes. Never share it.")
        } catch {
            context.logger.error("SMS sign-in code not sent", metadata: ["error": "\(error)"])
            throw GatewayError(.smsFailed, "The SMS could not be sent. Use your app or a recovery code, or try again later.")
        }
        return Response(status: .noContent)
    }

    /// The organisation requires two-step and this account has none: show the QR code now.
    @Sendable func beginAtSignIn(request: Request, context: GatewayRequestContext) async throws -> Response {
        let token = try await request.decodeJSON(as: ChallengeRequest.self, context: context).challenge
        let challenge = try await signIn.guardian.challenge(token, purpose: .enrol)
        return try JSONResponse.make(try await twoStep.begin(for: try await currentTechnician(challenge.technicianId)))
    }

    @Sendable func confirmAtSignIn(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (body, token, challenge, technician) = try await pending(request, context, purpose: .enrol)
        let codes = try await signIn.attempt(email: challenge.email, address: context.remoteAddress) {
            do {
                return try await twoStep.confirm(for: technician.id, code: body.code)
            } catch let error as GatewayError where error == TwoStepVerification.wrongCode {
                await signIn.guardian.wrongCode(token)
                try await signIn.failed(email: challenge.email, reason: error.code, context: context)
                throw error
            }
        }
        await signIn.guardian.close(token)
        try await hub.audit.record(.twoStepEnabled, organisationId: technician.organisationId, actorId: technician.id,
                               actorName: technician.name, objectType: "technician", objectId: technician.id, source: context.remoteAddress)
        return try await signIn.complete(technician, remember: challenge.remember, recoveryCodes: codes, context: context)
    }

    /// A code for a pending sign-in: the challenge still open, the account not backing off.
    private func pending(_ request: Request, _ context: GatewayRequestContext, purpose: SignInGuard.Purpose) async throws
        -> (CodeRequest, token: String, SignInGuard.Challenge, Technician) {
        let body = try await request.decodeJSON(as: CodeRequest.self, context: context)
        guard let token = body.challenge else { throw GatewayError.badRequest("challenge is required.") }
        let challenge = try await signIn.guardian.reserveCode(token, purpose: purpose)
        return (body, token, challenge, try await currentTechnician(challenge.technicianId))
    }

    /// The account may have been disabled since the password was typed.
    private func currentTechnician(_ id: String) async throws -> Technician {
        let found = try await accounts.store.technician(id: id)
        guard let technician = found else { throw SignInGuard.expired }
        guard !technician.disabled else { throw GatewayError.accountDisabled }
        return technician
    }

    // MARK: A technician's own two-step settings

    @Sendable func status(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let enrolment = try await twoStep.enrolment(of: actor.id)
        let enabled = enrolment?.confirmed ?? false
        return try JSONResponse.make(StatusView(
            enabled: enabled, required: hub.settings.requireTwoStep,
            recoveryCodesLeft: enabled ? enrolment?.recoveryCodeHashes.count ?? 0 : 0,
            smsPhone: enabled ? enrolment?.smsPhone : nil, smsAvailable: sms != nil))
    }

    @Sendable func begin(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await twoStep.begin(for: try context.requireActor().technician))
    }

    @Sendable func confirm(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: CodeRequest.self, context: context)
        let codes = try await twoStep.confirm(for: actor.id, code: body.code)
        try await hub.audit.record(.twoStepEnabled, by: actor, objectType: "technician", objectId: actor.id, source: context.remoteAddress)
        return try JSONResponse.make(RecoveryCodesView(recoveryCodes: codes))
    }

    /// New recovery codes need a current authenticator code: a console left open is not enough.
    @Sendable func renewRecoveryCodes(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: CodeRequest.self, context: context)
        try await requireCurrentCode(body.code, actor: actor, context: context)
        let codes = try await twoStep.renewRecoveryCodes(for: actor.id)
        try await hub.audit.record(.recoveryCodesRenewed, by: actor, objectType: "technician", objectId: actor.id, source: context.remoteAddress)
        return try JSONResponse.make(RecoveryCodesView(recoveryCodes: codes))
    }

    @Sendable func setPhone(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let phone = try await request.decodeJSON(as: PhoneRequest.self, context: context).phone?.trimmingCharacters(in: .whitespaces)
        if let phone, !phone.isEmpty {
            guard phone.range(of: #"^\+?[0-9 ()\-.]{6,24}$"#, options: .regularExpression) != nil else {
                throw GatewayError.badRequest("Type the phone number with its country code, for example +33 6 12 34 56 78.")
            }
        }
        try await twoStep.setPhone(phone?.isEmpty == false ? phone : nil, for: actor.id)
        return try await status(request: request, context: context)
    }

    /// Turning it off needs the password, and is refused while the organisation requires it.
    @Sendable func disable(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: PasswordRequest.self, context: context)
        guard !hub.settings.requireTwoStep else {
            throw GatewayError(.twoStepRequired, "Your organisation requires two-step verification; it cannot be turned off.")
        }
        try await signIn.attempt(email: actor.technician.email, address: context.remoteAddress) {
            guard try await accounts.verifyPassword(body.password, hash: actor.technician.passwordHash) else {
                try await signIn.failed(email: actor.technician.email, reason: "bad_credentials", context: context)
                throw GatewayError.badCredentials
            }
        }
        try await twoStep.turnOff(for: actor.id)
        try await hub.audit.record(.twoStepDisabled, by: actor, objectType: "technician", objectId: actor.id, source: context.remoteAddress)
        return Response(status: .noContent)
    }

    private func requireCurrentCode(_ code: String, actor: Actor, context: GatewayRequestContext) async throws {
        try await signIn.attempt(email: actor.technician.email, address: context.remoteAddress) {
            guard case .authenticator = try await twoStep.accept(code, for: actor.id) else {
                await signIn.guardian.failed(email: actor.technician.email, address: context.remoteAddress)
                throw TwoStepVerification.wrongCode
            }
        }
    }

    // MARK: Administrators

    /// A technician lost the phone: an administrator clears the enrolment and ends the technician's
    /// sign-ins. The password still has to be typed, and an organisation that requires two-step
    /// makes the technician enrol again before the console opens.
    @Sendable func reset(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let technician = try await AdminScope(store: accounts.store).technician(context.parameters.get("id") ?? "", managedBy: actor)
        try await twoStep.turnOff(for: technician.id)
        try await accounts.store.deleteTokens(technicianId: technician.id)
        await hub.closeConsoles(of: technician.id, reason: "two-step verification reset")
        try await hub.audit.record(.twoStepReset, by: actor, objectType: "technician", objectId: technician.id, source: context.remoteAddress)
        return Response(status: .noContent)
    }
}
