#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// LAN connections through a connector agent (F4): the messages between the gateway and the agent,
/// and what the technician's requests answer.
extension GatewayToAgent {
    /// List the machines of the connector's network: its neighbour table, and an SSH port check of
    /// the subnets the administrator allowed (and only those).
    public struct LanListing: Codable, Equatable, Sendable {
        public let requestId: String
        public let subnets: [String]

        public init(requestId: String, subnets: [String]) {
            self.requestId = requestId
            self.subnets = subnets
        }
    }

    /// Open SSH to a machine with the technician's credentials (held in memory only), copy the
    /// applet there and start it with the session's one-time link.
    public struct LanConnect: Codable, Equatable, Sendable {
        public let requestId: String
        public let sessionId: String
        public let address: String
        public let port: Int
        public let username: String
        public let password: String
        public let link: String
        public let technician: String

        public init(requestId: String, sessionId: String, address: String, port: Int, username: String, password: String,
                    link: String, technician: String) {
            self.requestId = requestId
            self.sessionId = sessionId
            self.address = address
            self.port = port
            self.username = username
            self.password = password
            self.link = link
            self.technician = technician
        }
    }
}

extension AgentToGateway {
    public struct LanMachines: Codable, Equatable, Sendable {
        public let requestId: String
        public let machines: [LanMachine]

        public init(requestId: String, machines: [LanMachine]) {
            self.requestId = requestId
            self.machines = machines
        }
    }

    public struct LanConnectAnswer: Codable, Equatable, Sendable {
        public let requestId: String
        public let started: Bool
        /// Why not, told apart for the technician (nil when started).
        public let failure: LanFailure?
        public let reason: String?
        /// The machine's host key as OpenSSH prints its fingerprint ("SHA256:…"), when it showed one.
        public let hostKey: String?
        /// True when this connection pinned the key (the connector had none for the machine).
        public let hostKeyPinnedNow: Bool

        public init(requestId: String, started: Bool, failure: LanFailure? = nil, reason: String? = nil, hostKey: String? = nil,
                    hostKeyPinnedNow: Bool = false) {
            self.requestId = requestId
            self.started = started
            self.failure = failure
            self.reason = reason
            self.hostKey = hostKey
            self.hostKeyPinnedNow = hostKeyPinnedNow
        }
    }

    public enum LanFailure: String, Codable, Equatable, Sendable {
        case unreachable
        case authenticationFailed = "authentication_failed"
        case hostKeyChanged = "host_key_changed"
        case startFailed = "start_failed"
    }
}

/// One machine of the connector's network as the technician sees it.
public struct LanMachine: Codable, Equatable, Sendable {
    public let address: String
    /// Its name by the connector's resolver (hosts file, DNS), else as it announces itself over mDNS, when it has one.
    public let name: String?
    /// True when its SSH port answered; nil when it was not checked (outside the allowed subnets).
    public let ssh: Bool?
    /// True when it is in the connector's neighbour table.
    public let neighbour: Bool

    public init(address: String, name: String?, ssh: Bool?, neighbour: Bool) {
        self.address = address
        self.name = name
        self.ssh = ssh
        self.neighbour = neighbour
    }
}

/// `GET /api/v1/lan-connectors`: the organisation's agents an administrator marked as LAN connectors.
public struct LanConnectorSummary: Codable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let online: Bool
    public let subnets: [String]

    public init(id: String, name: String, online: Bool, subnets: [String]) {
        self.id = id
        self.name = name
        self.online = online
        self.subnets = subnets
    }
}

/// `PUT /api/v1/computers/{id}/lan-connector`: the subnets the connector may check (none: only its
/// neighbour table is listed).
public struct LanConnectorSettings: Codable, Equatable, Sendable {
    public let subnets: [String]

    public init(subnets: [String]) {
        self.subnets = subnets
    }
}

/// `POST /api/v1/computers/{id}/lan/connect`: the credentials pass through; none is stored.
public struct LanConnectRequest: Codable, Equatable, Sendable {
    public let address: String
    public let port: Int?
    public let username: String
    public let password: String

    public init(address: String, port: Int? = nil, username: String, password: String) {
        self.address = address
        self.port = port
        self.username = username
        self.password = password
    }
}

/// Its answer: the session the started applet joins, and the machine's host key.
public struct LanConnection: Codable, Equatable, Sendable {
    public let sessionId: String
    public let hostKey: String
    public let hostKeyPinnedNow: Bool

    public init(sessionId: String, hostKey: String, hostKeyPinnedNow: Bool) {
        self.sessionId = sessionId
        self.hostKey = hostKey
        self.hostKeyPinnedNow = hostKeyPinnedNow
    }
}
