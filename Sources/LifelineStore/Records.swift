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
