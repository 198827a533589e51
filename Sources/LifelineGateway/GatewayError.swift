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
    /// The methods the address takes, for a 405.
    public var allow: String?

    public init(_ code: ErrorCode, _ message: String, retryAfterSeconds: Int? = nil) {
        self.init(status: code.status, code: code.rawValue, message: message, retryAfterSeconds: retryAfterSeconds)
    }

    /// An HTTP error raised below the gateway's own code (an unknown route, a body too large):
    /// its status, with the code `http_<status>`.
    static func http(_ status: HTTPResponse.Status, message: String) -> GatewayError {
        GatewayError(status: status, code: "http_\(status.code)", message: message, retryAfterSeconds: nil)
    }

    private init(status: HTTPResponse.Status, code: String, message: String, retryAfterSeconds: Int?) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if let allow { headers[.allow] = allow }
        return headers
    }

    private var body: Data {
        // Sorted keys: every refusal of one kind reads byte for byte the same (no answer tells more than its code).
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return try encoder.encode(ErrorBody(error: .init(code: code, message: message)))
        } catch {
            // A struct of two strings cannot fail to encode; if it ever did, that is a bug to see at once.
            preconditionFailure("An error body could not be encoded: \(error)")
        }
    }

    /// The whole answer as HTTP/1.1 bytes, closing the connection: for refusals written below the
    /// router (a connection refused at once, a WebSocket upgrade refused).
    var closingHTTP1Response: ByteBuffer {
        var text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for field in headers { text += "\(field.name.rawName): \(field.value)\r\n" }
        let body = body
        text += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        var buffer = ByteBuffer(string: text)
        buffer.writeBytes(body)
        return buffer
    }

    struct ErrorBody: Codable {
        struct Detail: Codable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    // The errors the API gives, named once so the same cause always reads the same.
    static let unauthenticated = GatewayError(.unauthenticated, "Sign in first.")
    static let badCredentials = GatewayError(.badCredentials, "The email or password is wrong.")
    static let accountDisabled = GatewayError(.accountDisabled, "This account is disabled. Ask your administrator.")
    static let foreignOrigin = GatewayError(.foreignOrigin, "Requests from another site are refused.")
    static let sessionNotFound = GatewayError(.sessionNotFound, "There is no such session in your queue.")
    static let administratorsOnly = GatewayError(.administratorsOnly, "Only administrators can do this.")
    static let unknownPin = GatewayError(.unknownPin, "This PIN is not valid. Check the six digits with your technician; a PIN works only once.")
    static let pinExpired = GatewayError(.pinExpired, "This PIN has expired. Ask your technician for a new one.")
    static let pinUsed = GatewayError(.pinUsed, "This PIN was already used to join a session. Start the Lifeline applet again on the computer that joined, or ask your technician for a new PIN.")
    static let unknownLink = GatewayError(.unknownLink, "This link is not valid or has already been used. Ask your technician for a new one.")
    static let chatDisabled = GatewayError(.chatDisabled, "The chat is turned off for this session.")
    static let chatOnly = GatewayError(.chatOnly,
        "The customer is in Instant Chat (chat only): invite them to download the app for this tool.")
    static let unknownAppletToken = GatewayError(.unknownAppletToken, "This applet is not part of a live session.")

    static let transferPending = GatewayError(.transferPending,
                                              "This session is being transferred. Start it to take it back first.")

    static let tooManyActiveSessions = GatewayError(.tooManyActiveSessions,
                                                    "You already have \(ActiveSessionLimit.maximum) active sessions. Hold or end one first.")
    static let anotherLensActive = GatewayError(.anotherLensActive,
                                                "You already have an active Lens session: a technician handles one at a time. Hold or end it first.")
    /// Why a session may not become active, in the technician's words.
    static func refusing(_ refusal: ActiveSessionRefusal) -> GatewayError {
        switch refusal {
        case .tooMany: tooManyActiveSessions
        case .anotherLens: anotherLensActive
        }
    }
    static let noAppletToolsInLens = GatewayError(.notForLens,
                                                  "A Lens session shows the customer's camera: it has no remote control, files, system information or scripts.")
    static func forbidden(_ permission: Permission) -> GatewayError {
        GatewayError(.permissionDenied, "Your technician group does not allow this (\(permission.rawValue)).")
    }

    static func badRequest(_ message: String) -> GatewayError {
        GatewayError(.badRequest, message)
    }

    static func tooManyAttempts(retryAfter: TimeInterval) -> GatewayError {
        let seconds = max(1, Int(retryAfter.rounded(.up)))
        return GatewayError(.tooManyAttempts,
                            "Too many wrong attempts from your address. Try again in \(seconds) seconds.",
                            retryAfterSeconds: seconds)
    }

    /// The gateway-wide ceiling on wrong PINs holds a network that has already failed.
    static func tooManyGuessesOnTheGateway(retryAfter: TimeInterval) -> GatewayError {
        let seconds = max(1, Int(retryAfter.rounded(.up)))
        return GatewayError(.tooManyAttempts,
                            "Too many wrong PINs were typed on this service just now. Try again in \(seconds) seconds, or ask your technician for a link.",
                            retryAfterSeconds: seconds)
    }

    static func refused(_ refusal: TransitionRefused) -> GatewayError {
        GatewayError(.invalidState, "This session is \(refusal.state.rawValue.replacingOccurrences(of: "_", with: " ")); that action is not possible now.")
    }

    static func store(_ error: StoreError) -> GatewayError {
        GatewayError(.storageError, "The gateway could not read or write its database. Try again; if it persists, tell your administrator.")
    }
}
