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
    let environment: GatewayEnvironment
    let limiter: SharedWindowLimiter

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

        init(_ actor: Actor) {
            id = actor.technician.id
            name = actor.technician.name
            email = actor.technician.email
            role = actor.technician.role.rawValue
            language = actor.technician.language
            organisation = actor.organisationName
            permissions = actor.permissions.sortedRawValues
        }
    }

    struct LoginResponse: Encodable {
        let token: String
        let expiresAt: Date
        let technician: TechnicianView
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
        /// The organisation's custom fields, columns of the session list (C3).
        let customFieldNames: [String]

        init(_ options: ConsoleOptions, hub: SessionHub) async throws {
            self.options = options
            let settings = await hub.settings
            autoStartDefault = settings.autoStartDefault
            urgentAfterSeconds = settings.urgentAfterSeconds
            customFieldNames = settings.customFieldNames
        }
    }

    @Sendable func options(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await OptionsResponse(try context.requireActor().technician.options, hub: hub))
    }

    /// Saves the console options (B3, B4) on the gateway, so they follow the technician.
    @Sendable func setOptions(request: Request, context: GatewayRequestContext) async throws -> Response {
        var technician = try context.requireActor().technician
        technician.options = try await request.decodeJSON(as: ConsoleOptions.self, context: context)
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

    @Sendable func login(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let now = environment.now()
        if let wait = await limiter.retryAfter(for: context.remoteAddress, at: now) {
            throw GatewayError.tooManyAttempts(retryAfter: wait)
        }
        let result: (Technician, token: String, expires: Date)
        do {
            result = try await accounts.logIn(email: body.email, password: body.password, remember: body.remember ?? false)
        } catch let error as GatewayError where error == .badCredentials || error == .accountDisabled {
            if error == .badCredentials { await limiter.record(for: context.remoteAddress, at: now) }
            // Attempts on a real account show in its organisation's log; unknown emails in the global chain only.
            let known = try? await accounts.store.technician(email: body.email.lowercased())
            await hub.audit.record(.signInFailed, organisationId: known?.organisationId, actorId: known?.id,
                                   actorName: String(body.email.prefix(254)), after: AuditTrail.json(["reason": error.code]),
                                   source: context.remoteAddress)
            throw error
        }
        await limiter.forget(for: context.remoteAddress)
        var technician = result.0
        if let language = body.language, Languages.console.contains(language), language != technician.language {
            technician.language = language
            try await accounts.store.updateTechnician(technician)
        }
        let actor = try await accounts.actor(for: technician, tokenHash: Secrets.hash(result.token), viaCookie: false)
        var response = try JSONResponse.make(LoginResponse(token: result.token, expiresAt: result.expires, technician: TechnicianView(actor)))
        // "Remember me" keeps the cookie across browser restarts; otherwise it dies with the browser.
        let maxAge = (body.remember ?? false) ? Int(Accounts.rememberedLifetime) : nil
        response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: result.token, maxAge: maxAge,
                                  path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        context.logger.info("Technician signed in", metadata: ["technician.id": "\(technician.id)"])
        await hub.audit.record(.signIn, by: actor, objectType: "technician", objectId: technician.id, source: context.remoteAddress)
        return response
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

/// An attempt limiter shared by concurrent requests.
actor SharedWindowLimiter {
    private var limiter: WindowLimiter

    init(maximumEvents: Int, window: TimeInterval) {
        limiter = WindowLimiter(maximumEvents: maximumEvents, window: window)
    }

    func retryAfter(for key: String, at now: Date) -> TimeInterval? { limiter.retryAfter(for: key, at: now) }
    func record(for key: String, at now: Date) { limiter.record(for: key, at: now) }
    func forget(for key: String) { limiter.forget(for: key) }
}

/// Languages with a message catalog.
enum Languages {
    static let console: Set<String> = ["en", "fr"]
}
