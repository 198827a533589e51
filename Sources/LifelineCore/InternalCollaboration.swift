#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Colleagues of one organisation working one session together (I1, I3, I4; the manual's
/// "Collaboration"): the lead invites an Online colleague into an active session with the
/// permissions they choose; the colleague's view is Invitation until they start it, then
/// Collaboration. Who may do what in a shared session is decided here.
public enum InternalCollaboration {
    /// The manual: collaboration is not a meeting tool — four or five technicians at most.
    public static let maximumCollaborators = 4
    public static let maximumCommentLength = 500

    public enum Refusal: Error, Equatable, Sendable {
        case notLead
        case sessionNotActive
        case inviteeIsLead
        case inviteeAlreadyIn
        case inviteeNotAvailable(TechnicianStatus)
        case tooMany
        case commentTooLong
        case notColleague
        case notPermitted(Permission)
        case leadOnHold
        case notCollaborating
        case handOverPending
        case noHandOverOffered
        /// The manual: no technician collaboration in a Lens session.
        case lensSession
    }

    public static func describe(_ refusal: Refusal, invitee: String = "The technician") -> String {
        switch refusal {
        case .notLead: "Only the session's lead technician can do this."
        case .lensSession: "Technicians cannot collaborate on a Lens session."
        case .sessionNotActive: "A colleague can be invited only into an active session."
        case .inviteeIsLead: "You lead this session already."
        case .inviteeAlreadyIn: "\(invitee) is already invited to or working in this session."
        case .inviteeNotAvailable(let status): "\(invitee) is \(status.rawValue) and cannot be invited now."
        case .tooMany: "A session has at most \(maximumCollaborators) collaborating technicians (the lead makes five)."
        case .commentTooLong: "A comment has at most \(maximumCommentLength) characters."
        case .notColleague: "\(invitee) is not invited to or working in this session."
        case .notPermitted(let permission): "The lead technician did not allow \(permission.rawValue) in this session."
        case .leadOnHold: "The lead technician put the session on hold; it goes on when they start it again."
        case .notCollaborating: "\(invitee) must have started the collaboration first."
        case .handOverPending: "The lead role is already offered to a colleague: cancel that offer first."
        case .noHandOverOffered: "The lead role was not offered to you, or the offer was withdrawn."
        }
    }

    /// Whether the lead may invite this colleague now. `collaborators` counts those invited or
    /// collaborating already.
    public static func checkInvitation(byLead isLead: Bool, state: SessionState, inviteeIsLead: Bool, inviteeAlreadyIn: Bool,
                                       inviteeStatus: TechnicianStatus, collaborators: Int, comment: String,
                                       sessionType: SessionType = .standard) throws(Refusal) {
        guard sessionType.allowsCollaboration else { throw .lensSession }
        guard isLead else { throw .notLead }
        guard state == .active else { throw .sessionNotActive }
        guard !inviteeIsLead else { throw .inviteeIsLead }
        guard !inviteeAlreadyIn else { throw .inviteeAlreadyIn }
        guard inviteeStatus == .online else { throw .inviteeNotAvailable(inviteeStatus) }
        guard collaborators < maximumCollaborators else { throw .tooMany }
        guard comment.count <= maximumCommentLength else { throw .commentTooLong }
    }

    /// A colleague's Transfer (I4) passes their place in the session to another colleague: they
    /// collaborate (not invited, not on hold), the lead allowed transfers in this session, and the
    /// one they choose could be invited by the lead (Online, not in it yet, the session active).
    /// The appendix has no Collaboration → Outgoing: the session stays with its lead, the place
    /// changes hands (theirs closes, the other gets an Invitation). `collaborators` counts the
    /// colleague passing theirs.
    public static func checkPassingPlace(view: SessionState, granted: Set<Permission>, leadState: SessionState, recipientIsLead: Bool,
                                         recipientAlreadyIn: Bool, recipientStatus: TechnicianStatus, collaborators: Int,
                                         comment: String) throws(Refusal) {
        guard view == .collaboration else { throw .notCollaborating }
        guard may(.transfer, as: .collaborator, permissions: granted) else { throw .notPermitted(.transferSessions) }
        try checkInvitation(byLead: true, state: leadState, inviteeIsLead: recipientIsLead, inviteeAlreadyIn: recipientAlreadyIn,
                            inviteeStatus: recipientStatus, collaborators: collaborators - 1, comment: comment)
    }

    /// Whether the administrator's idle timeout ended a colleague's collaboration (the appendix's
    /// Collaboration → Closed): collaborating, and their console unused for `idle` since they
    /// last acted or entered the state, whichever is later. Nil `idle`: the timeout is off.
    public static func idledOut(_ view: SessionMachine, lastConsoleActivity: Date?, now: Date, idle: TimeInterval?) -> Bool {
        guard let idle, view.state == .collaboration else { return false }
        let since = max(view.stateEnteredAt, lastConsoleActivity ?? view.stateEnteredAt)
        return now.timeIntervalSince(since) >= idle
    }

    /// What a collaborator may do in the session: every permission of their own group unless the
    /// lead chose fewer (the manual), never more than their group grants.
    public static func granted(chosen: Set<Permission>?, byGroup group: Set<Permission>) -> Set<Permission> {
        chosen.map { $0.intersection(group) } ?? group
    }

    /// The event a colleague's view takes when the lead's view takes `event` (`leadBefore` and
    /// `leadAfter` are the lead's machine around it); nil when their view does not change. The
    /// lead's hold holds everyone collaborating; the lead's start brings back those it held, not
    /// a colleague who held the session for themselves before (they were on hold earlier).
    public static func viewEvent(forLead event: SessionEvent, leadBefore: SessionMachine, leadAfter: SessionMachine,
                                 view: SessionMachine) -> SessionEvent? {
        switch event {
        case .hold where view.state == .collaboration:
            return .hold
        case .start where leadBefore.state == .onHold && view.state == .onHold:
            guard let leadHeld = leadBefore.heldSince, let viewHeld = view.heldSince, viewHeld >= leadHeld else { return nil }
            return .start
        default:
            return ExternalCollaboration.viewEvent(forLead: event, leadState: leadAfter.state, viewState: view.state)
        }
    }

    /// Whether the lead may offer the lead role to this colleague: they collaborate (accepted),
    /// and no other offer waits.
    public static func checkHandOver(to view: SessionMachine?, offerPending: Bool) throws(Refusal) {
        guard let view else { throw .notColleague }
        guard view.state == .collaboration else { throw .notCollaborating }
        guard !offerPending else { throw .handOverPending }
    }

    /// What a technician does in a shared session that depends on being its lead.
    public enum Action: String, CaseIterable, Sendable {
        case handOverLead, cancelHandOver, removeCollaborator, editPermissions, inviteMore, switchChat, holdForAll, closeForAll
        case acceptLead, leave, holdForSelf
        case transfer, shareScreen, chatWithCustomer, privateChat, receiveCustomerFiles
    }

    /// Whether a technician in `role` with these session permissions may take `action`. External
    /// collaborators never lead and never take sessions.
    public static func may(_ action: Action, as role: SessionMachine.Role, permissions: Set<Permission>, external: Bool = false) -> Bool {
        switch (action, role) {
        case (.handOverLead, .lead), (.cancelHandOver, .lead), (.removeCollaborator, .lead), (.editPermissions, .lead),
             (.holdForAll, .lead), (.closeForAll, .lead):
            true
        case (.inviteMore, .lead): permissions.contains(.inviteInternalTechnicians)
        case (.switchChat, .lead): permissions.contains(.toggleChat)
        case (.acceptLead, .collaborator): !external
        case (.leave, .collaborator): true
        case (.holdForSelf, .collaborator): permissions.contains(.holdSessions)
        case (.transfer, _): !external && permissions.contains(.transferSessions)
        case (.shareScreen, _): permissions.contains(.shareScreen)
        case (.chatWithCustomer, _): permissions.contains(.chat)
        case (.privateChat, _): true
        // Files the customer sends go to the lead only.
        case (.receiveCustomerFiles, .lead): true
        default: false
        }
    }
}
