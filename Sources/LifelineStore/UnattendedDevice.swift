import Foundation
import LifelineCore

/// A computer the customer opened to unattended access (F5): its agent's public key (the private
/// one never leaves the computer), the rules the customer approved, and who may connect — the
/// technician who asked, or a whole group when it is shared.
public struct UnattendedDevice: Codable, Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public var technicianId: String?
    public var groupId: String?
    public var name: String
    public var hostname: String
    /// The agent's Ed25519 public key, base64.
    public let publicKey: String
    public var rules: UnattendedRules
    public let approvedAt: Date
    public var lastSeenAt: Date?
    public let createdAt: Date
    /// Set when an administrator made the computer's agent a LAN connector (F4): the subnets it may
    /// check for machines (empty: its neighbour table only).
    public var lanSubnets: [String]?

    public init(id: String, organisationId: String, technicianId: String?, groupId: String? = nil, name: String, hostname: String,
                publicKey: String, rules: UnattendedRules, approvedAt: Date, lastSeenAt: Date? = nil, createdAt: Date,
                lanSubnets: [String]? = nil) {
        self.id = id
        self.organisationId = organisationId
        self.technicianId = technicianId
        self.groupId = groupId
        self.name = name
        self.hostname = hostname
        self.publicKey = publicKey
        self.rules = rules
        self.approvedAt = approvedAt
        self.lastSeenAt = lastSeenAt
        self.createdAt = createdAt
        self.lanSubnets = lanSubnets
    }
}

/// An approval on its way to an agent: the one-time enrolment token's hash, the session it came
/// from, who asked and the rules the customer saw.
public struct DeviceEnrolment: Equatable, Sendable {
    public let sessionId: String
    public let technicianId: String
    public let rules: UnattendedRules
    public let expiresAt: Date

    public init(sessionId: String, technicianId: String, rules: UnattendedRules, expiresAt: Date) {
        self.sessionId = sessionId
        self.technicianId = technicianId
        self.rules = rules
        self.expiresAt = expiresAt
    }
}
