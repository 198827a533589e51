#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// `/ws/agent`: an unattended computer's agent and the gateway (F5). Each side proves itself with
/// its Ed25519 key over the other's fresh nonce: the gateway with the key the agent pinned at
/// enrolment, the agent with the key the gateway kept then (public half only).
public enum AgentHandshake {
    public static let nonceBytes = 32

    /// What the gateway signs: the agent's nonce, with its own, for this device.
    public static func gatewayStatement(deviceId: String, agentNonce: String, gatewayNonce: String) -> Data {
        Data("lifeline agent handshake v1\ngateway\n\(deviceId)\n\(agentNonce)\n\(gatewayNonce)".utf8)
    }

    /// What the agent signs: the gateway's nonce, with its own, for this device.
    public static func agentStatement(deviceId: String, agentNonce: String, gatewayNonce: String) -> Data {
        Data("lifeline agent handshake v1\nagent\n\(deviceId)\n\(agentNonce)\n\(gatewayNonce)".utf8)
    }
}

/// Messages an agent sends.
public enum AgentToGateway: ChannelMessage, Equatable {
    /// First: which computer, and a fresh nonce (base64) the gateway must sign.
    case hello(AgentHello)
    /// The agent's signature (base64) over `AgentHandshake.agentStatement`.
    case proof(AgentProof)
    /// After the handshake: the customer uninstalled the agent; the computer leaves the list.
    case leave
    /// What the agent made of `connect`: the applet started, or the rules it keeps said no.
    case connectAnswer(AgentConnectAnswer)
    /// A LAN connector's answer to `lan_list` (F4).
    case lanMachines(LanMachines)
    /// A LAN connector's answer to `lan_connect` (F4).
    case lanConnectAnswer(LanConnectAnswer)

    public struct AgentHello: Codable, Equatable, Sendable {
        public let deviceId: String
        public let nonce: String

        public init(deviceId: String, nonce: String) {
            self.deviceId = deviceId
            self.nonce = nonce
        }
    }

    public struct AgentProof: Codable, Equatable, Sendable {
        public let signature: String

        public init(signature: String) {
            self.signature = signature
        }
    }

    public struct AgentConnectAnswer: Codable, Equatable, Sendable {
        public let sessionId: String
        public let started: Bool
        /// Why not, by the agent's own copy of the rules (nil when it started, or failed otherwise).
        public let verdict: UnattendedRules.Verdict?
        /// Why it could not start, in words (a missing time zone, the applet not starting …).
        public let reason: String?
        /// True when the computer refused the credentials the technician typed (rules asking for
        /// them at each connection).
        public let credentialsRefused: Bool?

        public init(sessionId: String, started: Bool, verdict: UnattendedRules.Verdict? = nil, reason: String? = nil,
                    credentialsRefused: Bool? = nil) {
            self.sessionId = sessionId
            self.started = started
            self.verdict = verdict
            self.reason = reason
            self.credentialsRefused = credentialsRefused
        }
    }

    public var type: String {
        switch self {
        case .hello: "hello"
        case .proof: "proof"
        case .leave: "leave"
        case .connectAnswer: "connect_answer"
        case .lanMachines: "lan_machines"
        case .lanConnectAnswer: "lan_connect_answer"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .hello(let message): try message.encode(to: encoder)
        case .proof(let message): try message.encode(to: encoder)
        case .leave: break
        case .connectAnswer(let message): try message.encode(to: encoder)
        case .lanMachines(let message): try message.encode(to: encoder)
        case .lanConnectAnswer(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "hello": .hello(try AgentHello(from: decoder))
        case "proof": .proof(try AgentProof(from: decoder))
        case "leave": .leave
        case "connect_answer": .connectAnswer(try AgentConnectAnswer(from: decoder))
        case "lan_machines": .lanMachines(try LanMachines(from: decoder))
        case "lan_connect_answer": .lanConnectAnswer(try LanConnectAnswer(from: decoder))
        default: nil
        }
    }
}

/// Messages the gateway sends to an agent.
public enum GatewayToAgent: ChannelMessage, Equatable {
    /// The gateway's nonce and its signature (base64) over `AgentHandshake.gatewayStatement`.
    case challenge(GatewayChallenge)
    /// Both sides proved themselves: the computer as the technician's list shows it.
    case welcome(AgentWelcome)
    /// The computer was removed from the Computers list (or left it): the agent uninstalls itself.
    case removed
    /// A technician connects: the agent checks its rules, then starts the applet with the link.
    case connect(AgentConnect)
    /// This computer is a LAN connector (F4): list its network's machines.
    case lanList(LanListing)
    /// This computer is a LAN connector (F4): start the applet on one of its network's machines.
    case lanConnect(LanConnect)
    case error(ErrorMessage)

    public struct AgentConnect: Codable, Equatable, Sendable {
        public let sessionId: String
        /// The session's one-time customer link, for the applet the agent starts.
        public let link: String
        public let technician: String
        /// The computer's user name and password the technician typed, when the customer's rules ask
        /// for credentials at each connection: the agent checks them with PAM and forgets them.
        public let username: String?
        public let password: String?

        public init(sessionId: String, link: String, technician: String, username: String? = nil, password: String? = nil) {
            self.sessionId = sessionId
            self.link = link
            self.technician = technician
            self.username = username
            self.password = password
        }
    }

    public struct GatewayChallenge: Codable, Equatable, Sendable {
        public let nonce: String
        public let signature: String

        public init(nonce: String, signature: String) {
            self.nonce = nonce
            self.signature = signature
        }
    }

    public struct AgentWelcome: Codable, Equatable, Sendable {
        public let name: String

        public init(name: String) {
            self.name = name
        }
    }

    public var type: String {
        switch self {
        case .challenge: "challenge"
        case .welcome: "welcome"
        case .removed: "removed"
        case .connect: "connect"
        case .lanList: "lan_list"
        case .lanConnect: "lan_connect"
        case .error: "error"
        }
    }

    public func encodeFields(to encoder: any Encoder) throws {
        switch self {
        case .challenge(let message): try message.encode(to: encoder)
        case .welcome(let message): try message.encode(to: encoder)
        case .removed: break
        case .connect(let message): try message.encode(to: encoder)
        case .lanList(let message): try message.encode(to: encoder)
        case .lanConnect(let message): try message.encode(to: encoder)
        case .error(let message): try message.encode(to: encoder)
        }
    }

    public static func decode(type: String, from decoder: any Decoder) throws -> Self? {
        switch type {
        case "challenge": .challenge(try GatewayChallenge(from: decoder))
        case "welcome": .welcome(try AgentWelcome(from: decoder))
        case "removed": .removed
        case "connect": .connect(try AgentConnect(from: decoder))
        case "lan_list": .lanList(try LanListing(from: decoder))
        case "lan_connect": .lanConnect(try LanConnect(from: decoder))
        case "error": .error(try ErrorMessage(from: decoder))
        default: nil
        }
    }
}

/// `POST /api/v1/computers/{id}/connect`'s body: the computer's credentials, when its rules ask for
/// them at each connection (they pass to the agent and are kept nowhere).
public struct UnattendedConnectRequest: Codable, Equatable, Sendable {
    public let username: String?
    public let password: String?

    public init(username: String? = nil, password: String? = nil) {
        self.username = username
        self.password = password
    }
}

/// `POST /api/v1/computers/{id}/connect`'s answer: the session the agent's applet joins.
public struct UnattendedConnection: Codable, Equatable, Sendable {
    public let sessionId: String

    public init(sessionId: String) {
        self.sessionId = sessionId
    }
}
