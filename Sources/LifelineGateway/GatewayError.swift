import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// An error a person can act on: a stable code, a sentence, and the HTTP status that goes with it.
/// Every API error leaves the gateway as `{"error": {"code", "message"}}`.
public struct GatewayError: Error, HTTPResponseError, Equatable, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        let body = try JSONEncoder().encode(ErrorBody(error: .init(code: code, message: message)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    struct ErrorBody: Codable {
        struct Detail: Codable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    // The errors the API gives, named once so the same cause always reads the same.
    static let unauthenticated = GatewayError(.unauthorized, "unauthenticated", "Sign in first.")
    static let badCredentials = GatewayError(.unauthorized, "bad_credentials", "The email or password is wrong.")
    static let accountDisabled = GatewayError(.forbidden, "account_disabled", "This account is disabled. Ask your administrator.")
    static let foreignOrigin = GatewayError(.forbidden, "foreign_origin", "Requests from another site are refused.")
    static let sessionNotFound = GatewayError(.notFound, "session_not_found", "There is no such session in your queue.")
    static let administratorsOnly = GatewayError(.forbidden, "administrators_only", "Only administrators can do this.")
    static let unknownPin = GatewayError(.notFound, "unknown_pin", "This PIN is not valid. Check the six digits with your technician; a PIN works only once.")
    static let unknownLink = GatewayError(.notFound, "unknown_link", "This link is not valid or has already been used. Ask your technician for a new one.")
    static let chatDisabled = GatewayError(.conflict, "chat_disabled", "The chat is turned off for this session.")
    static let chatOnly = GatewayError(.conflict, "chat_only",
        "The customer is in Instant Chat (chat only): invite them to download the app for this tool.")
    static let unknownAppletToken = GatewayError(.unauthorized, "unknown_applet_token", "This applet is not part of a live session.")

    static let transferPending = GatewayError(.conflict, "transfer_pending",
                                              "This session is being transferred. Start it to take it back first.")

    static func forbidden(_ permission: Permission) -> GatewayError {
        GatewayError(.forbidden, "permission_denied", "Your technician group does not allow this (\(permission.rawValue)).")
    }

    static func badRequest(_ message: String) -> GatewayError {
        GatewayError(.badRequest, "bad_request", message)
    }

    static func tooManyAttempts(retryAfter: TimeInterval) -> GatewayError {
        let seconds = max(1, Int(retryAfter.rounded(.up)))
        return GatewayError(.tooManyRequests, "too_many_attempts",
                            "Too many wrong attempts from your address. Try again in \(seconds) seconds.",
                            retryAfterSeconds: seconds)
    }

    static func refused(_ refusal: TransitionRefused) -> GatewayError {
        GatewayError(.conflict, "invalid_state", "This session is \(refusal.state.rawValue.replacingOccurrences(of: "_", with: " ")); that action is not possible now.")
    }

    static func store(_ error: StoreError) -> GatewayError {
        GatewayError(.internalServerError, "storage_error", "The gateway could not read or write its database. Try again; if it persists, tell your administrator.")
    }
}
