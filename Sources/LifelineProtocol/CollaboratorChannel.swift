import Foundation
import LifelineCore

/// What an external collaborator's console learns when it joins (I2): the session as the lead
/// sees it, the chat so far, and whether it is the limited console.
public struct CollaboratorWelcome: Codable, Equatable, Sendable {
    public let collaboratorId: String
    public let sessionId: String
    public let sessionName: String
    public let inviterName: String
    public let organisation: String
    /// The collaborator's own name, as the customer and the lead see it.
    public let name: String
    /// The collaborator's view of the session: invitation until they join, then collaboration.
    public let state: SessionState
    /// Not on the organisation's approved list: the limited collaborator console.
    public let limited: Bool
    public let log: [LogEntry]

    public init(collaboratorId: String, sessionId: String, sessionName: String, inviterName: String, organisation: String,
                name: String, state: SessionState, limited: Bool, log: [LogEntry]) {
        self.collaboratorId = collaboratorId
        self.sessionId = sessionId
        self.sessionName = sessionName
        self.inviterName = inviterName
        self.organisation = organisation
        self.name = name
        self.state = state
        self.limited = limited
        self.log = log
    }
}

/// Messages an external collaborator's console sends on `/ws/collaborator` (I2).
public enum CollaboratorToGateway: ChannelMessage, Equatable {
    /// First frame: the collaborator token from `POST /api/v1/collaborators/join`.
    case hello(token: String)
    /// A chat line to the customer and the technicians of the session.
    case chat(text: String)
    /// The collaborator leaves; the session goes on without them.
    case leave

    private enum Keys: String, CodingKey { case token, text }

    public var type: String {
        switch self {
        case .hello: "hello"
        case .chat: "chat"
        case .leave: "leave"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .hello(let token): try c.encode(token, forKey: .token)
        case .chat(let text): try c.encode(text, forKey: .text)
        case .leave: break
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        let c = try decoder.container(keyedBy: Keys.self)
        switch type {
        case "hello": return .hello(token: try c.decode(String.self, forKey: .token))
        case "chat": return .chat(text: try c.decode(String.self, forKey: .text))
        case "leave": return .leave
        default: return nil
        }
    }
}

/// Messages the gateway sends to an external collaborator's console.
public enum GatewayToCollaborator: ChannelMessage, Equatable {
    case welcome(CollaboratorWelcome)
    /// A chat line or a status line of the session.
    case log(LogEntry)
    /// The collaborator's view of the session changed (joined, the customer reconnecting …).
    case state(SessionState)
    /// The collaboration is over: the lead removed them, they left, or the session ended.
    case ended(reason: String)
    case error(code: String, message: String)

    private enum Keys: String, CodingKey { case welcome, entry, state, reason, code, message }

    public var type: String {
        switch self {
        case .welcome: "welcome"
        case .log: "log"
        case .state: "state"
        case .ended: "ended"
        case .error: "error"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .welcome(let welcome): try c.encode(welcome, forKey: .welcome)
        case .log(let entry): try c.encode(entry, forKey: .entry)
        case .state(let state): try c.encode(state, forKey: .state)
        case .ended(let reason): try c.encode(reason, forKey: .reason)
        case .error(let code, let message):
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        let c = try decoder.container(keyedBy: Keys.self)
        switch type {
        case "welcome": return .welcome(try c.decode(CollaboratorWelcome.self, forKey: .welcome))
        case "log": return .log(try c.decode(LogEntry.self, forKey: .entry))
        case "state": return .state(try c.decode(SessionState.self, forKey: .state))
        case "ended": return .ended(reason: try c.decode(String.self, forKey: .reason))
        case "error": return .error(code: try c.decode(String.self, forKey: .code), message: try c.decode(String.self, forKey: .message))
        default: return nil
        }
    }
}
