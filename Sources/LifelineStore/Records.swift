import Foundation
import LifelineCore
import LifelineProtocol

public struct Organisation: Equatable, Sendable {
    public let id: String
    public var name: String
    public let createdAt: Date

    public init(id: String, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

public struct TechnicianGroup: Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public var name: String
    public var permissions: PermissionSet
    /// The group this one sits in (one level of nesting, R1): an administrator given the parent
    /// manages this one too. Permissions are the group's own.
    public var parentId: String?

    public init(id: String, organisationId: String, name: String, permissions: PermissionSet, parentId: String? = nil) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.permissions = permissions
        self.parentId = parentId
    }
}

/// Where a technician stands in the organisation tree (R1).
public enum AccountRole: String, Codable, Sendable {
    case masterAdministrator = "master_administrator"
    case administrator
    case technician

    public var isAdministrator: Bool { self != .technician }
}

public struct Technician: Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public var groupId: String?
    public var email: String
    public var name: String
    public var passwordHash: String
    public var role: AccountRole
    public var disabled: Bool
    public var language: String
    public let createdAt: Date
    public var options: ConsoleOptions
    /// For an administrator: the groups given to manage (R1); nil: the whole organisation.
    public var managedGroupIds: [String]?
    /// Deleted technicians stay as names in session history and reports, but cannot sign in and
    /// leave every list; their email is freed.
    public var deletedAt: Date?

    public init(id: String, organisationId: String, groupId: String?, email: String, name: String,
                passwordHash: String, role: AccountRole, disabled: Bool, language: String, createdAt: Date,
                options: ConsoleOptions = .standard, managedGroupIds: [String]? = nil, deletedAt: Date? = nil) {
        self.deletedAt = deletedAt
        self.options = options
        self.managedGroupIds = managedGroupIds
        self.id = id
        self.organisationId = organisationId
        self.groupId = groupId
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.disabled = disabled
        self.language = language
        self.createdAt = createdAt
    }
}

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

/// A login: the bearer token's hash, whose it is and until when.
public struct AuthTokenRecord: Equatable, Sendable {
    public let tokenHash: String
    public let technicianId: String
    public let createdAt: Date
    public let expiresAt: Date

    public init(tokenHash: String, technicianId: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.technicianId = technicianId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
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

/// A channel (F2): customers reach the assigned groups through its public link or form.
public struct Channel: Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public var name: String
    /// In the channel's link and form; public by nature, long enough not to be guessed.
    public let publicToken: String
    public var groupIds: [String]
    public var unavailableMessage: String
    public var whenUnavailable: ChannelRules.WhenUnavailable
    /// nil: always open.
    public var workingHours: WorkingHours?
    public let createdAt: Date

    public init(id: String, organisationId: String, name: String, publicToken: String, groupIds: [String],
                unavailableMessage: String, whenUnavailable: ChannelRules.WhenUnavailable, workingHours: WorkingHours?,
                createdAt: Date) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.publicToken = publicToken
        self.groupIds = groupIds
        self.unavailableMessage = unavailableMessage
        self.whenUnavailable = whenUnavailable
        self.workingHours = workingHours
        self.createdAt = createdAt
    }
}

/// A screen recording of a remote desktop (J14), kept with the session.
public struct Recording: Equatable, Sendable, Codable {
    public let id: String
    public let sessionId: String
    public let technicianId: String
    /// The container and codec, e.g. "webm-vp8": the admin's setting when it started.
    public let format: String
    public let startedAt: Date
    public var endedAt: Date?
    public var bytes: Int

    public init(id: String, sessionId: String, technicianId: String, format: String, startedAt: Date, endedAt: Date? = nil, bytes: Int = 0) {
        self.id = id
        self.sessionId = sessionId
        self.technicianId = technicianId
        self.format = format
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.bytes = bytes
    }
}

/// A file sent in a session (D4, G1). Direction and phase are the protocol's raw values.
public struct FileTransferRecord: Equatable, Sendable {
    public let id: String
    public let sessionId: String
    public let direction: String
    public let name: String
    public let size: Int64
    public var phase: String
    public var md5: String?
    public var receivedMD5: String?
    public var reason: String?
    public let createdAt: Date

    public init(id: String, sessionId: String, direction: String, name: String, size: Int64, phase: String, md5: String? = nil,
                receivedMD5: String? = nil, reason: String? = nil, createdAt: Date) {
        self.id = id
        self.sessionId = sessionId
        self.direction = direction
        self.name = name
        self.size = size
        self.phase = phase
        self.md5 = md5
        self.receivedMD5 = receivedMD5
        self.reason = reason
        self.createdAt = createdAt
    }
}

/// A predefined reply or URL (D2, D3), shared by the organisation.
public struct Reply: Codable, Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public var kind: ReplyRules.Kind
    public var name: String
    public var content: String
    public let createdBy: String
    public let createdAt: Date

    public init(id: String, organisationId: String, kind: ReplyRules.Kind, name: String, content: String, createdBy: String, createdAt: Date) {
        self.id = id
        self.organisationId = organisationId
        self.kind = kind
        self.name = name
        self.content = content
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// Where a survey definition is set (D5).
public enum SurveyScope: String, Codable, Sendable {
    case group
    case channel
}

/// A technician group's or channel's customer survey, as the administrator set it.
public struct SurveySetting: Codable, Equatable, Sendable {
    public let organisationId: String
    public let scope: SurveyScope
    public let scopeId: String
    public var definition: SurveyDefinition
    public var updatedAt: Date

    public init(organisationId: String, scope: SurveyScope, scopeId: String, definition: SurveyDefinition, updatedAt: Date) {
        self.organisationId = organisationId
        self.scope = scope
        self.scopeId = scopeId
        self.definition = definition
        self.updatedAt = updatedAt
    }
}

/// One survey sent to a session's customer, with the questions as they were then, and the answers once given.
public struct SurveyResponse: Codable, Equatable, Sendable {
    public let id: String
    public let tokenHash: String
    public let sessionId: String
    public let organisationId: String
    public let technicianId: String?
    public let channelId: String?
    public let questions: [SurveyQuestion]
    public let sentAt: Date
    public var answeredAt: Date?
    public var answers: [String: SurveyAnswer]?

    public init(id: String, tokenHash: String, sessionId: String, organisationId: String, technicianId: String?, channelId: String?,
                questions: [SurveyQuestion], sentAt: Date, answeredAt: Date? = nil, answers: [String: SurveyAnswer]? = nil) {
        self.id = id
        self.tokenHash = tokenHash
        self.sessionId = sessionId
        self.organisationId = organisationId
        self.technicianId = technicianId
        self.channelId = channelId
        self.questions = questions
        self.sentAt = sentAt
        self.answeredAt = answeredAt
        self.answers = answers
    }
}

/// A Calling Card of an organisation (F3): its design and optional logo.
public struct CallingCard: Equatable, Sendable {
    public let id: String
    public let organisationId: String
    public var design: CallingCardDesign
    /// A PNG, at most 256 KiB.
    public var logo: [UInt8]?
    public let createdAt: Date

    public init(id: String, organisationId: String, design: CallingCardDesign, logo: [UInt8]?, createdAt: Date) {
        self.id = id
        self.organisationId = organisationId
        self.design = design
        self.logo = logo
        self.createdAt = createdAt
    }
}
