import Foundation
import LifelineCore

/// A technician from outside the organisation invited into one session (I2). The link token and
/// PIN work once; the collaborator token then opens their console's socket. Secrets are hashed.
public struct ExternalCollaborator: Equatable, Sendable {
    public let id: String
    public let sessionId: String
    public let organisationId: String
    /// The technician who invited them: their console language is the collaborator's (A3).
    public let invitedBy: String
    public var name: String
    public let email: String?
    public let language: String
    /// On the organisation's approved list when invited: the full collaborator console.
    public let approved: Bool
    public var linkTokenHash: String?
    public var pin: String?
    public var tokenHash: String?
    /// Their view of the session: Invitation, then Collaboration, then a closed state.
    public var view: SessionMachine
    public let createdAt: Date

    public init(id: String, sessionId: String, organisationId: String, invitedBy: String, name: String, email: String?,
                language: String, approved: Bool, linkTokenHash: String?, pin: String?, tokenHash: String?,
                view: SessionMachine, createdAt: Date) {
        self.id = id
        self.sessionId = sessionId
        self.organisationId = organisationId
        self.invitedBy = invitedBy
        self.name = name
        self.email = email
        self.language = language
        self.approved = approved
        self.linkTokenHash = linkTokenHash
        self.pin = pin
        self.tokenHash = tokenHash
        self.view = view
        self.createdAt = createdAt
    }

    /// Invited or collaborating: not over yet.
    public var isOpen: Bool { !view.state.isClosed }
}
