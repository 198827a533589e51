import Foundation
import HTTPTypes
import Hummingbird

/// Finds the technician behind a bearer token or the session cookie. A cookie rides along with
/// whatever page the browser shows, so a cookie-authenticated change (any method but GET and HEAD)
/// and a cookie-authenticated WebSocket upgrade must name this gateway as their Origin: another
/// site's, or none at all, is refused: 403 `foreign_origin` (the cookie is SameSite=Strict too;
/// this is a second lock). Browsers send Origin on both; bearer tokens need no such check.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    static let cookieName = "lifeline_session"

    let accounts: Accounts
    let publicOrigin: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let bearer = Self.bearerToken(request) {
            context.actor = try await accounts.actor(forToken: bearer, viaCookie: false)
        } else if let cookie = request.cookies[Self.cookieName]?.value {
            let changesOrUpgrades = (request.method != .get && request.method != .head) || Self.isWebSocketUpgrade(request)
            if changesOrUpgrades, request.headers[values: .origin] != [publicOrigin] {
                throw GatewayError.foreignOrigin
            }
            context.actor = try await accounts.actor(forToken: cookie, viaCookie: true)
        }
        return try await next(request, context)
    }

    static func isWebSocketUpgrade(_ request: Request) -> Bool {
        request.headers[values: .upgrade].contains { $0.lowercased() == "websocket" }
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
