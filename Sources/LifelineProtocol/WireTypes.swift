#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// One line of a session's log: a chat line, or a status or connection message.
public struct LogEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case chat
        case status
        case connection
        /// Between the technicians of a shared session only (I1): never sent to the customer.
        case privateChat = "private_chat"
    }

    public enum AuthorRole: String, Codable, Sendable {
        case technician
        case customer
        case system
    }

    public let id: Int64
    public let sessionId: String
    public let at: Date
    public let kind: Kind
    public let authorRole: AuthorRole
    public let author: String
    public let text: String
    /// For status lines: the state the session entered, so each side can word it in its language.
    public let state: SessionState?
    /// For lines the gateway writes about what happened (a file offered, a transfer …).
    public let event: SessionLogEvent?

    public init(id: Int64, sessionId: String, at: Date, kind: Kind, authorRole: AuthorRole, author: String,
                text: String, state: SessionState? = nil, event: SessionLogEvent? = nil) {
        self.event = event
        self.id = id
        self.sessionId = sessionId
        self.at = at
        self.kind = kind
        self.authorRole = authorRole
        self.author = author
        self.text = text
        self.state = state
    }
}

/// What the console's queue shows for one session (C3).
public struct SessionSummary: Codable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let state: SessionState
    public let method: ConnectionMethod
    /// "Private", or the name of the channel the customer came through.
    public let channel: String
    public let channelId: String?
    /// nil while the session waits in a channel queue for someone to take it.
    public let technicianId: String?
    public let technicianName: String
    public let createdAt: Date
    public let stateSince: Date
    public let heldSince: Date?
    /// Only while the session waits for the customer (Connecting).
    public let pin: String?
    public let link: String?
    public let customer: CustomerInfo?
    /// A transfer waiting for its recipient (C6).
    public let transfer: TransferSummary?
    /// Who transferred this session to its owner (the "Transferred by" column).
    public let transferredBy: String?
    /// Custom field values by field name (C3).
    public let fields: [String: String]
    /// False when the technician turned the chat with the customer off (D1, toggle_chat).
    public let chatEnabled: Bool
    /// How the session ended, once it left the queue (the history).
    public let endReason: SessionEnd?
    /// When it left the queue.
    public let closedAt: Date?
    /// Colleagues invited into the session or working in it with its lead (I1); nil when none.
    public let colleagues: [ColleagueSummary]?
    /// Standard or Lens (Q1).
    public var type: SessionType = .standard
    /// The customer's device as the technician picked it (P1); nil: decided by the customer's page.
    public var platform: CustomerPlatform?

    public init(id: String, name: String, state: SessionState, method: ConnectionMethod, channel: String,
                channelId: String? = nil, technicianId: String?, technicianName: String, createdAt: Date, stateSince: Date,
                heldSince: Date?, pin: String?, link: String?, customer: CustomerInfo?,
                transfer: TransferSummary? = nil, transferredBy: String? = nil, fields: [String: String] = [:], chatEnabled: Bool = true,
                endReason: SessionEnd? = nil, closedAt: Date? = nil, colleagues: [ColleagueSummary]? = nil) {
        self.colleagues = colleagues
        self.chatEnabled = chatEnabled
        self.endReason = endReason
        self.closedAt = closedAt
        self.channelId = channelId
        self.fields = fields
        self.transfer = transfer
        self.transferredBy = transferredBy
        self.id = id
        self.name = name
        self.state = state
        self.method = method
        self.channel = channel
        self.technicianId = technicianId
        self.technicianName = technicianName
        self.createdAt = createdAt
        self.stateSince = stateSince
        self.heldSince = heldSince
        self.pin = pin
        self.link = link
        self.customer = customer
    }
}

/// Where the customer is: the applet with every tool, or the browser's Instant Chat (G2), which
/// can chat and open links only ("chat only" for the technician).
public enum CustomerClient: String, Codable, Sendable {
    case applet
    case browser
}

/// A browser customer's screen sharing: chosen on the PIN or link page ("Show my screen from this
/// browser"), or only possible (Instant Chat in a browser that has `getDisplayMedia`).
public enum BrowserScreen: String, Codable, Sendable {
    case chosen
    case available
}

/// What the applet says about the customer's machine. Hostile input: bounded and escaped on display.
public struct CustomerInfo: Codable, Equatable, Sendable {
    public let hostname: String
    public let user: String
    public let platform: String
    /// The applet runs with administrator rights (root), after an elevated restart (J3).
    public let privileged: Bool
    /// A stable, not personally identifying id of the computer (D6), so earlier sessions with the
    /// same device and their notes can be found. In the applet's hello it is the device's key (a
    /// hash of its confidential machine id); everywhere after, the id the gateway derives from it.
    public let deviceId: String?
    public let client: CustomerClient
    /// The network address the gateway saw the customer connect from; set by the gateway, never
    /// taken from what the applet says.
    public let address: String?
    /// A browser's screen sharing (issue 16): whether it can show its screen, and whether the
    /// customer came for that. Nil for the applet and for browsers without `getDisplayMedia`.
    public let browserScreen: BrowserScreen?
    /// The computer's IANA time zone (the applet's; nil from browsers), for rules said in the
    /// customer's time (F5).
    public let timeZone: String?

    /// Instant Chat: the customer has nothing installed, so tools other than chat and links wait
    /// for the applet.
    public var chatOnly: Bool { client == .browser }

    /// Who would show the screen, for the remote desktop's rules.
    public var remoteSource: RemoteDesktopState.Source {
        guard chatOnly else { return .applet }
        return browserScreen == nil ? .chatOnly : .browser
    }

    /// How the customer joined, for the session's log.
    public var joinedBy: SessionLogEvent {
        guard chatOnly else { return .joinedWithApplet }
        return browserScreen == .chosen ? .joinedToShowScreen : .joinedInstantChat
    }

    public init(hostname: String, user: String, platform: String, privileged: Bool = false, deviceId: String? = nil,
                client: CustomerClient = .applet, address: String? = nil, browserScreen: BrowserScreen? = nil, timeZone: String? = nil) {
        self.hostname = String(hostname.prefix(128))
        self.user = String(user.prefix(128))
        self.platform = String(platform.prefix(128))
        self.privileged = privileged
        // Hex only, bounded: it is used in queries.
        self.deviceId = deviceId.flatMap { id in id.count <= 64 && !id.isEmpty && id.allSatisfy(\.isHexDigit) ? id.lowercased() : nil }
        self.client = client
        self.address = address.map { String($0.prefix(64)) }
        self.browserScreen = client == .browser ? browserScreen : nil
        self.timeZone = timeZone.flatMap { ZoneRules.isZoneName($0) ? $0 : nil }
    }

    /// The same details with another device id (the gateway's, derived from the applet's key).
    public func withDeviceId(_ id: String?) -> CustomerInfo {
        CustomerInfo(hostname: hostname, user: user, platform: platform, privileged: privileged, deviceId: id, client: client, address: address,
                     browserScreen: browserScreen, timeZone: timeZone)
    }

    /// The same details as seen from `address` (the gateway's view of the connection).
    public func seen(from address: String?) -> CustomerInfo {
        CustomerInfo(hostname: hostname, user: user, platform: platform, privileged: privileged, deviceId: deviceId, client: client,
                     address: address, browserScreen: browserScreen, timeZone: timeZone)
    }

    private enum CodingKeys: String, CodingKey { case hostname, user, platform, privileged, deviceId, client, address, browserScreen, timeZone }

    /// Stored sessions and older applets lack the newer fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(hostname: try c.decode(String.self, forKey: .hostname), user: try c.decode(String.self, forKey: .user),
                  platform: try c.decode(String.self, forKey: .platform),
                  privileged: try c.decodeIfPresent(Bool.self, forKey: .privileged) ?? false,
                  deviceId: try c.decodeIfPresent(String.self, forKey: .deviceId),
                  client: try c.decodeIfPresent(CustomerClient.self, forKey: .client) ?? .applet,
                  address: try c.decodeIfPresent(String.self, forKey: .address),
                  browserScreen: try c.decodeIfPresent(BrowserScreen.self, forKey: .browserScreen),
                  timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone))
    }
}

/// Notes a technician keeps with a session, which colleagues see in later sessions with the same device (D6).
public struct SessionNotes: Codable, Equatable, Sendable {
    public let sessionId: String
    public let text: String
    public let updatedBy: String
    public let updatedAt: Date

    public init(sessionId: String, text: String, updatedBy: String, updatedAt: Date) {
        self.sessionId = sessionId
        self.text = text
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    public static let maximumLength = 4_000
}

/// An earlier session with the same device (D6), as the History and notes tab lists it.
public struct DeviceHistoryEntry: Codable, Equatable, Sendable {
    public let sessionId: String
    public let name: String
    public let technicianName: String
    public let state: SessionState
    public let createdAt: Date
    public let notes: String?

    public init(sessionId: String, name: String, technicianName: String, state: SessionState, createdAt: Date, notes: String?) {
        self.sessionId = sessionId
        self.name = name
        self.technicianName = technicianName
        self.state = state
        self.createdAt = createdAt
        self.notes = notes
    }
}

/// Administrator credentials of the customer's machine for an elevated restart of the applet
/// (J3). They go from the technician's console to the applet only: never stored, never logged.
public struct ElevationCredentials: Codable, Equatable, Sendable, CustomStringConvertible {
    public let username: String
    public let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// One line each, without control characters (the password is written to sudo on one line).
    public var isValid: Bool {
        let clean = { (text: String) in !text.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        return (1...128).contains(username.count) && (1...256).contains(password.count) && clean(username) && clean(password)
    }

    /// Never prints the password, whatever logs this.
    public var description: String { "ElevationCredentials(username: \(username), password: ***)" }
}

/// A colleague in a shared session as every technician of it sees them (I1, I3).
public struct ColleagueSummary: Codable, Equatable, Sendable {
    public let technicianId: String
    public let name: String
    /// Their own view: invitation, collaboration, on hold, rebooting.
    public let state: SessionState
    /// The permissions the lead chose for them here (never more than their group's); nil: all
    /// their group's.
    public let permissions: [String]?
    public let invitedBy: String
    public let comment: String
    /// The lead offered them the lead role; it is theirs when they accept.
    public let leadOffered: Bool

    public init(technicianId: String, name: String, state: SessionState, permissions: [String]?,
                invitedBy: String, comment: String, leadOffered: Bool) {
        self.technicianId = technicianId
        self.name = name
        self.state = state
        self.permissions = permissions
        self.invitedBy = invitedBy
        self.comment = comment
        self.leadOffered = leadOffered
    }
}

/// A pending transfer as both technicians see it.
public struct TransferSummary: Codable, Equatable, Sendable {
    public let fromTechnicianId: String
    public let fromName: String
    /// nil when the session was transferred into a queue.
    public let toTechnicianId: String?
    /// The colleague's name, or the group's or channel's name.
    public let toName: String
    /// "group" or "channel" for a transfer into a queue.
    public let toQueue: String?
    public let comment: String
    public let at: Date

    public init(fromTechnicianId: String, fromName: String, toTechnicianId: String?, toName: String, toQueue: String? = nil,
                comment: String, at: Date) {
        self.fromTechnicianId = fromTechnicianId
        self.fromName = fromName
        self.toTechnicianId = toTechnicianId
        self.toName = toName
        self.toQueue = toQueue
        self.comment = comment
        self.at = at
    }
}
