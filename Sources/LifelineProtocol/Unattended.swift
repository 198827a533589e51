#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// `unattended_request` from the console: ask the customer for unattended access (F5).
public struct UnattendedRequestMessage: WireMessage {
    public let sessionId: String
    public let rules: UnattendedRules
    /// Named in a refusal, so the console says it where it was asked.
    public let requestId: String?

    public init(sessionId: String, rules: UnattendedRules, requestId: String? = nil) {
        self.sessionId = sessionId
        self.rules = rules
        self.requestId = requestId
    }
}

/// `unattended_offer` to the applet: what to show the customer, and — once they approve — the
/// one-time token the agent enrols with and the gateway's key it pins.
public struct UnattendedOffer: WireMessage {
    public let technician: String
    public let rules: UnattendedRules
    public let enrolmentToken: String
    /// The gateway's Ed25519 public key, base64: the agent trusts only it from then on.
    public let gatewayKey: String

    public init(technician: String, rules: UnattendedRules, enrolmentToken: String, gatewayKey: String) {
        self.technician = technician
        self.rules = rules
        self.enrolmentToken = enrolmentToken
        self.gatewayKey = gatewayKey
    }
}

/// `unattended_result` to the console: the customer said no, or the computer's agent enrolled.
public struct UnattendedResultMessage: WireMessage {
    public enum Outcome: String, Codable, Sendable {
        case refused, enrolled
    }

    public let sessionId: String
    public let outcome: Outcome
    public let computerId: String?

    public init(sessionId: String, outcome: Outcome, computerId: String? = nil) {
        self.sessionId = sessionId
        self.outcome = outcome
        self.computerId = computerId
    }
}

/// `POST /api/v1/agents/enroll`: the agent's own public key, with the one-time token.
public struct AgentEnrolment: Codable, Equatable, Sendable {
    public let token: String
    /// Ed25519, base64 (32 bytes).
    public let publicKey: String
    public let hostname: String
    public let name: String

    public init(token: String, publicKey: String, hostname: String, name: String) {
        self.token = token
        self.publicKey = publicKey
        self.hostname = hostname
        self.name = name
    }
}

/// The answer to an enrolment: the computer's id, and the gateway's key again to check it is the one pinned.
public struct EnrolledAgent: Codable, Equatable, Sendable {
    public let deviceId: String
    public let gatewayKey: String

    public init(deviceId: String, gatewayKey: String) {
        self.deviceId = deviceId
        self.gatewayKey = gatewayKey
    }
}

/// A computer in the Computers list (C1, F5).
public struct ComputerSummary: Codable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let hostname: String
    public let rules: UnattendedRules
    public let approvedAt: Date
    public let lastSeenAt: Date?
    /// Its agent is connected now.
    public let online: Bool
    /// Shared with the technician's group (only its owner or an administrator deletes it then).
    public let shared: Bool
    /// Whether a connection may start now by the approved rules (the gateway's view; the agent checks again).
    public let available: UnattendedRules.Verdict

    public init(id: String, name: String, hostname: String, rules: UnattendedRules, approvedAt: Date, lastSeenAt: Date?, online: Bool, shared: Bool,
                available: UnattendedRules.Verdict) {
        self.available = available
        self.id = id
        self.name = name
        self.hostname = hostname
        self.rules = rules
        self.approvedAt = approvedAt
        self.lastSeenAt = lastSeenAt
        self.online = online
        self.shared = shared
    }
}
