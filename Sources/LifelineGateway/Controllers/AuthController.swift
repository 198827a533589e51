import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Login, logout and "who am I" (A1).
struct AuthController {
    let accounts: Accounts
    let hub: SessionHub
    let secureCookies: Bool
    let signIn: SignIn
    /// Whether the gateway can send SMS backup codes.
    let smsAvailable: Bool

    struct LoginRequest: Decodable {
        let email: String
        let password: String
        let remember: Bool?
        let language: String?
    }

    struct TechnicianView: Encodable {
        let id: String
        let name: String
        let email: String
        let role: String
        let language: String
        let organisation: String
        let permissions: [String]
        /// An administrator of the whole organisation (or the master); false for one given some groups.
        let organisationWide: Bool

        init(_ actor: Actor) {
            id = actor.technician.id
            name = actor.technician.name
            email = actor.technician.email
            role = actor.technician.role.rawValue
            language = actor.technician.language
            organisation = actor.organisationName
            permissions = actor.permissions.sortedRawValues
            organisationWide = actor.technician.role.isAdministrator && AdminScope.isOrganisationWide(actor)
        }
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("auth/login", use: login)
        group.post("auth/logout", use: logout)
        group.get("me", use: me)
        group.put("me/status", use: setStatus)
        group.get("me/options", use: options)
        group.put("me/options", use: setOptions)
        group.get("technicians", use: colleagues)
    }

    /// A PUT of the options: the fields the document requires must be there (stored options, read
    /// back, may lack newer ones), and hidden fields are refused past their bounds, not cut.
    struct OptionsUpdate: Decodable {
        let options: ConsoleOptions

        private enum Keys: String, CodingKey { case confirmEnd, confirmLogout, hiddenFields }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            _ = try c.decode(Bool.self, forKey: .confirmEnd)
            _ = try c.decode(Bool.self, forKey: .confirmLogout)
            let hidden = try c.decodeIfPresent([String].self, forKey: .hiddenFields) ?? []
            guard hidden.count <= 5, hidden.allSatisfy({ $0.count <= 40 }) else {
                throw GatewayError.badRequest("hiddenFields takes at most 5 names of at most 40 characters.")
            }
            options = try ConsoleOptions(from: decoder)
        }
    }

    struct StatusRequest: Decodable {
        let away: Bool
    }

    struct StatusResponse: Encodable {
        let status: TechnicianStatus
    }

    struct OptionsResponse: Encodable {
        let options: ConsoleOptions
        /// What "auto-start" is when the technician leaves it to the organisation.
        let autoStartDefault: Bool
        /// After how long a waiting session turns Urgent (C3); the Admin Center sets it.
        let urgentAfterSeconds: Int
        /// The organisation's custom fields shown as columns of the session list (C3, R2).
        let customFieldNames: [String]

        init(_ options: ConsoleOptions, hub: SessionHub) async throws {
            self.options = options
            let settings = await hub.settings
            autoStartDefault = settings.autoStartDefault
            urgentAfterSeconds = settings.urgentAfterSeconds
            customFieldNames = settings.listFieldNames
        }
    }

    @Sendable func options(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await OptionsResponse(try context.requireActor().technician.options, hub: hub))
    }

    /// Saves the console options (B3, B4) on the gateway, so they follow the technician.
    @Sendable func setOptions(request: Request, context: GatewayRequestContext) async throws -> Response {
        var technician = try context.requireActor().technician
        technician.options = try await request.decodeJSON(as: OptionsUpdate.self, context: context).options
        try await accounts.store.updateTechnician(technician)
        return try JSONResponse.make(try await OptionsResponse(technician.options, hub: hub))
    }

    /// Away by hand, or back Online (A6).
    @Sendable func setStatus(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: StatusRequest.self, context: context)
        return try JSONResponse.make(StatusResponse(status: await hub.setAway(body.away, for: actor)))
    }

    /// The organisation's technicians with their status: who is there, who may take a transfer.
    @Sendable func colleagues(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.colleagues(of: try context.requireActor()))
    }

    /// What the console shows when the password was right and a second step is due.
    struct SecondStep: Encodable {
        struct Detail: Encodable {
            let challenge: String
            /// "verify": type a code; "enrol": the organisation requires two-step and this account has none yet.
            let mode: String
            /// A code can be sent by SMS to this number, shown with only its last digits.
            let smsPhoneHint: String?
            let expiresInSeconds: Int
        }
        let twoStep: Detail
    }

    @Sendable func login(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        var technician = try await signIn.attempt(email: body.email, address: context.remoteAddress) {
            do {
                return try await accounts.checkPassword(email: body.email, password: body.password)
            } catch let error as GatewayError where error == .badCredentials || error == .accountDisabled {
                try await signIn.failed(email: body.email, reason: error.code, context: context)
                throw error
            }
        }
        if let language = body.language, Languages.console.contains(language), language != technician.language {
            technician.language = language
            try await accounts.store.updateTechnician(technician)
        }
        let remember = body.remember ?? false
        let enrolment = try await accounts.store.twoStep(technicianId: technician.id)
        let required = await hub.settings.requireTwoStep
        guard enrolment?.confirmed == true || required else {
            return try await signIn.complete(technician, remember: remember, context: context)
        }
        let mode: SignInGuard.Purpose = enrolment?.confirmed == true ? .verify : .enrol
        let node = hub.sharedNode?.id
        let challenge = await signIn.guardian.open(technicianId: technician.id, email: technician.email, remember: remember, purpose: mode,
                                                   node: node)
        let hint = smsAvailable ? enrolment?.smsPhone.map { "•••• " + String($0.suffix(2)) } : nil
        return try JSONResponse.make(SecondStep(twoStep: .init(
            challenge: challenge, mode: mode == .verify ? "verify" : "enrol", smsPhoneHint: mode == .verify ? hint : nil,
            expiresInSeconds: Int(SignInGuard.challengeLifetime))))
    }

    @Sendable func logout(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try await accounts.store.deleteToken(hash: actor.tokenHash)
        await hub.closeConsoles(of: actor.id, reason: "signed out")
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                                  secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func me(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(TechnicianView(try context.requireActor()))
    }
}

/// Languages with a message catalog.
enum Languages {
    static let console: Set<String> = ["en", "fr", "de", "es", "it", "ja", "ko", "nl", "pt-BR", "th", "zh", "zh-TW", "ar"]
}
