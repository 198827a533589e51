#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
    case hello(Hello)
    /// A chat line to the customer and the technicians of the session.
    case chat(Chat)
    /// The collaborator leaves; the session goes on without them.
    case leave
    /// The full console drew the customer's screen update `sequence` (flow control, as a
    /// technician's console does).
    case frameAck(FrameAck)

    /// `hello`.
    public struct Hello: WireMessage {
        public let token: String
        public init(token: String) { self.token = token }
    }

    /// `chat`.
    public struct Chat: WireMessage {
        public let text: String
        public init(text: String) { self.text = text }
    }

    /// `frame_ack`.
    public struct FrameAck: WireMessage {
        public let sequence: UInt32
        /// As a technician's console's: lost track of the screen, wants it whole (issue 23).
        public let refresh: Bool?
        /// As a technician's console's: decodes video tiles (issue 23).
        public let video: Bool?
        public init(sequence: UInt32, refresh: Bool? = nil, video: Bool? = nil) {
            self.sequence = sequence
            self.refresh = refresh
            self.video = video
        }
    }

    public var type: String {
        switch self {
        case .hello: "hello"
        case .chat: "chat"
        case .leave: "leave"
        case .frameAck: "frame_ack"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .hello(let message): try message.encode(to: encoder)
        case .chat(let message): try message.encode(to: encoder)
        case .frameAck(let message): try message.encode(to: encoder)
        case .leave: break
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "hello": .hello(try Hello(from: decoder))
        case "chat": .chat(try Chat(from: decoder))
        case "leave": .leave
        case "frame_ack": .frameAck(try FrameAck(from: decoder))
        default: nil
        }
    }
}

/// Messages the gateway sends to an external collaborator's console.
public enum GatewayToCollaborator: ChannelMessage, Equatable {
    /// Under `welcome`.
    case welcome(CollaboratorWelcome)
    /// A chat line or a status line of the session; under `entry`.
    case log(LogEntry)
    /// The collaborator's view of the session changed (joined, the customer reconnecting …); under `state`.
    case state(SessionState)
    /// The collaboration is over: the lead removed them, they left, or the session ended.
    case ended(ReasonMessage)
    /// The full console (approved list): the lead's remote desktop started or ended for them; while
    /// it is active the customer's screen comes as binary frames, as to a technician's console.
    case remote(RemoteStatus)
    case error(ErrorMessage)

    public var type: String {
        switch self {
        case .welcome: "welcome"
        case .log: "log"
        case .state: "state"
        case .ended: "ended"
        case .remote: "remote"
        case .error: "error"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .welcome(let welcome): try encoder.encodeBody(welcome, under: "welcome")
        case .log(let entry): try encoder.encodeBody(entry, under: "entry")
        case .state(let state): try encoder.encodeBody(state, under: "state")
        case .ended(let message): try message.encode(to: encoder)
        case .remote(let status): try encoder.encodeBody(status, under: "remote")
        case .error(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "welcome": .welcome(try decoder.decodeBody(under: "welcome"))
        case "log": .log(try decoder.decodeBody(under: "entry"))
        case "state": .state(try decoder.decodeBody(under: "state"))
        case "ended": .ended(try ReasonMessage(from: decoder))
        case "remote": .remote(try decoder.decodeBody(under: "remote"))
        case "error": .error(try ErrorMessage(from: decoder))
        default: nil
        }
    }
}
