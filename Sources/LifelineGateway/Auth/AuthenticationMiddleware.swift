import Foundation
import HTTPTypes
import Hummingbird

/// Finds the technician behind a bearer token or the session cookie. Refuses cookie-authenticated
/// changes coming from another site's page (the cookie is SameSite=Strict too; this is a second lock).
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
            if request.method != .get, request.headers[values: .origin].contains(where: { $0 != publicOrigin }) {
                throw GatewayError.foreignOrigin
            }
            context.actor = try await accounts.actor(forToken: cookie, viaCookie: true)
        }
        return try await next(request, context)
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
