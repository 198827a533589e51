import Foundation
import LifelineCore
import LifelineProtocol

/// A support session as stored: the technician's view (its state machine) plus how the
/// customer joins. Secrets (link and applet tokens) are stored only as SHA-256 hashes.
public struct SessionRecord: Equatable, Sendable {
    /// Drawn again only if a new session's number collides with a stored one.
    public var id: String
    public let organisationId: String
    /// The technician whose queue holds it; nil while a channel session waits in its channel's queue.
    public var technicianId: String?
    public var name: String
    public let method: ConnectionMethod
    /// Cleared once used or expired, so it can be given out again.
    public var pin: String?
    public var linkTokenHash: String?
    public var appletTokenHash: String?
    public var machine: SessionMachine
    public var customer: CustomerInfo?
    /// Set when the session left the queue: history from then on.
    public var closedAt: Date?
    /// How it left the queue (set with `closedAt`; nil for sessions closed before it was kept).
    public var endReason: SessionEnd?
    /// Other technicians' views of this session, by technician id (a transfer's recipient, a
    /// colleague invited or collaborating).
    public var otherViews: [String: SessionMachine]
    /// The terms of each colleague invited or collaborating (their view is in `otherViews`).
    public var collaborations: [String: CollaborationTerms] = [:]
    /// A transfer waiting for its recipient to start it.
    public var transfer: PendingTransfer?
    /// Who last transferred this session to its owner ("Transferred by" column).
    public var transferredBy: String?
    /// The channel the customer came through (F2); nil for private sessions.
    public var channelId: String?
    /// Custom field values by field name (C3).
    public var fields: [String: String]
    /// The technician turned the chat with the customer off for this session (D1, toggle_chat).
    public var chatDisabled: Bool
    /// Standard or Lens (Q1), chosen when it was created.
    public var sessionType: SessionType = .standard
    /// The customer's device as the technician picked it (P1); nil: the customer's page decides.
    public var platform: CustomerPlatform?
    /// How many times the row was written: an update names the version it read and is refused
    /// (`.conflict`) when the stored row has moved on.
    public var version: Int64 = 0

    public init(id: String, organisationId: String, technicianId: String?, name: String, method: ConnectionMethod,
                pin: String?, linkTokenHash: String?, appletTokenHash: String?, machine: SessionMachine,
                customer: CustomerInfo?, closedAt: Date?, otherViews: [String: SessionMachine] = [:],
                transfer: PendingTransfer? = nil, transferredBy: String? = nil, channelId: String? = nil,
                fields: [String: String] = [:], chatDisabled: Bool = false) {
        self.chatDisabled = chatDisabled
        self.channelId = channelId
        self.fields = fields
        self.otherViews = otherViews
        self.transfer = transfer
        self.transferredBy = transferredBy
        self.id = id
        self.organisationId = organisationId
        self.technicianId = technicianId
        self.name = name
        self.method = method
        self.pin = pin
        self.linkTokenHash = linkTokenHash
        self.appletTokenHash = appletTokenHash
        self.machine = machine
        self.customer = customer
        self.closedAt = closedAt
    }
}

/// Where a session is transferred (C6): to a colleague, or into a group's or a channel's queue,
/// where any technician who sees that queue may take it.
public enum TransferTarget: Equatable, Sendable {
    case technician(String)
    case group(String)
    case channel(String)

    public var technicianId: String? {
        if case .technician(let id) = self { id } else { nil }
    }

    /// "group" or "channel" for a queue; nil for a colleague.
    public var queueKind: String? {
        switch self {
        case .technician: nil
        case .group: "group"
        case .channel: "channel"
        }
    }

    /// How the target is kept in the store's `transfer_to` column.
    public var storageValue: String {
        switch self {
        case .technician(let id): id
        case .group(let id): "group:\(id)"
        case .channel(let id): "channel:\(id)"
        }
    }

    public init(storageValue: String) {
        if storageValue.hasPrefix("group:") {
            self = .group(String(storageValue.dropFirst("group:".count)))
        } else if storageValue.hasPrefix("channel:") {
            self = .channel(String(storageValue.dropFirst("channel:".count)))
        } else {
            self = .technician(storageValue)
        }
    }
}

/// What the lead set when inviting a colleague into the session (I1): kept with the colleague's
/// view while they are invited or collaborate.
public struct CollaborationTerms: Equatable, Sendable {
    public let invitedBy: String
    /// The permissions the lead chose for this session; nil: the colleague's group's.
    public var permissions: [Permission]?
    public let comment: String
    /// The lead offered them the lead role (I3); it is theirs when they accept.
    public var leadOffered: Bool

    public init(invitedBy: String, permissions: [Permission]?, comment: String, leadOffered: Bool = false) {
        self.leadOffered = leadOffered
        self.invitedBy = invitedBy
        self.permissions = permissions?.sorted()
        self.comment = comment
    }
}

/// A session handed on by a technician, not yet started by a recipient (C6).
public struct PendingTransfer: Equatable, Sendable {
    public let fromTechnicianId: String
    public let to: TransferTarget
    public let comment: String
    public let at: Date

    public init(fromTechnicianId: String, to: TransferTarget, comment: String, at: Date) {
        self.fromTechnicianId = fromTechnicianId
        self.to = to
        self.comment = comment
        self.at = at
    }
}
