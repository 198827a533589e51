import Foundation
import Testing
@testable import LifelineCore

@Suite("Internal collaboration: who may invite whom, and who may do what in a shared session (I1, I3, I4)")
struct InternalCollaborationTests {
    struct InvitationRow: Sendable, CustomStringConvertible {
        var lead = true
        var state = SessionState.active
        var isLead = false
        var alreadyIn = false
        var status = TechnicianStatus.online
        var collaborators = 0
        var comment = "Printer driver expert needed"
        let expected: InternalCollaboration.Refusal?
        var description: String { "\(expected.map { "\($0)" } ?? "allowed")" }
    }

    @Test("an invitation is refused with the manual's reasons", arguments: [
        InvitationRow(expected: nil),
        InvitationRow(collaborators: 3, expected: nil),
        InvitationRow(lead: false, expected: .notLead),
        InvitationRow(state: .waiting, expected: .sessionNotActive),
        InvitationRow(state: .onHold, expected: .sessionNotActive),
        InvitationRow(isLead: true, expected: .inviteeIsLead),
        InvitationRow(alreadyIn: true, expected: .inviteeAlreadyIn),
        InvitationRow(status: .away, expected: .inviteeNotAvailable(.away)),
        InvitationRow(status: .busy, expected: .inviteeNotAvailable(.busy)),
        InvitationRow(status: .offline, expected: .inviteeNotAvailable(.offline)),
        InvitationRow(collaborators: 4, expected: .tooMany),
        InvitationRow(comment: String(repeating: "x", count: 501), expected: .commentTooLong),
    ])
    func invitation(_ row: InvitationRow) {
        let refusal: InternalCollaboration.Refusal?
        do {
            try InternalCollaboration.checkInvitation(byLead: row.lead, state: row.state, inviteeIsLead: row.isLead, inviteeAlreadyIn: row.alreadyIn,
                                                      inviteeStatus: row.status, collaborators: row.collaborators, comment: row.comment)
            refusal = nil
        } catch {
            refusal = error
        }
        #expect(refusal == row.expected)
    }

    struct PassingRow: Sendable, CustomStringConvertible {
        var view = SessionState.collaboration
        var granted: Set<Permission> = [.transferSessions, .chat]
        var leadState = SessionState.active
        var toLead = false
        var alreadyIn = false
        var status = TechnicianStatus.online
        var collaborators = 4
        let expected: InternalCollaboration.Refusal?
        var description: String { "\(expected.map { "\($0)" } ?? "allowed")" }
    }

    /// A colleague's Transfer passes their place: the session stays with its lead (I4).
    @Test("a colleague passes their place only while collaborating, with transfer allowed, to someone the lead could invite", arguments: [
        PassingRow(expected: nil),
        PassingRow(view: .invitation, expected: .notCollaborating),
        PassingRow(view: .onHold, expected: .notCollaborating),
        PassingRow(granted: [.chat], expected: .notPermitted(.transferSessions)),
        PassingRow(leadState: .onHold, expected: .sessionNotActive),
        PassingRow(toLead: true, expected: .inviteeIsLead),
        PassingRow(alreadyIn: true, expected: .inviteeAlreadyIn),
        PassingRow(status: .busy, expected: .inviteeNotAvailable(.busy)),
    ])
    func passingPlace(_ row: PassingRow) {
        let refusal: InternalCollaboration.Refusal?
        do {
            try InternalCollaboration.checkPassingPlace(view: row.view, granted: row.granted, leadState: row.leadState, recipientIsLead: row.toLead,
                                                        recipientAlreadyIn: row.alreadyIn, recipientStatus: row.status,
                                                        collaborators: row.collaborators, comment: "Over to you")
            refusal = nil
        } catch {
            refusal = error
        }
        #expect(refusal == row.expected, "four colleagues: the one leaving makes room for the one coming")
    }

    @Test("the idle timeout ends a colleague's collaboration only after their console was unused that long", arguments: [
        (SessionState.collaboration, 0.0, 120.0, TimeInterval?.some(120), true),
        (.collaboration, 0.0, 119.0, 120, false),
        (.collaboration, 60.0, 150.0, 120, false),
        (.collaboration, 60.0, 180.0, 120, true),
        (.collaboration, 0.0, 10_000.0, nil, false),
        (.onHold, 0.0, 10_000.0, 120, false),
        (.invitation, 0.0, 10_000.0, 120, false),
    ])
    func idledOut(state: SessionState, activityAfter: TimeInterval, nowAfter: TimeInterval, idle: TimeInterval?, ended: Bool) throws {
        let joined = Date(timeIntervalSince1970: 1_000)
        var view = SessionMachine.invitation(at: joined)
        if state != .invitation { try view.handle(.start, at: joined) }
        if state == .onHold { try view.handle(.hold, at: joined) }
        #expect(InternalCollaboration.idledOut(view, lastConsoleActivity: joined.addingTimeInterval(activityAfter),
                                               now: joined.addingTimeInterval(nowAfter), idle: idle) == ended)
    }

    @Test("a collaborator gets their group's permissions, or fewer when the lead chose: never more")
    func granted() {
        let group: Set<Permission> = [.chat, .remoteControl, .desktopView]
        #expect(InternalCollaboration.granted(chosen: nil, byGroup: group) == group)
        #expect(InternalCollaboration.granted(chosen: [.chat, .desktopView], byGroup: group) == [.chat, .desktopView])
        #expect(InternalCollaboration.granted(chosen: [.chat, .reboot], byGroup: group) == [.chat], "reboot is not the group's")
    }

    typealias Action = InternalCollaboration.Action

    struct ActionRow: Sendable, CustomStringConvertible {
        let action: Action
        let lead: Bool
        let collaborator: Bool
        var external = false
        var description: String { action.rawValue }
    }

    static let everything = Set(Permission.allCases)

    @Test("the lead's actions and the collaborator's, with every permission", arguments: [
        ActionRow(action: .handOverLead, lead: true, collaborator: false),
        ActionRow(action: .cancelHandOver, lead: true, collaborator: false),
        ActionRow(action: .removeCollaborator, lead: true, collaborator: false),
        ActionRow(action: .editPermissions, lead: true, collaborator: false),
        ActionRow(action: .inviteMore, lead: true, collaborator: false),
        ActionRow(action: .switchChat, lead: true, collaborator: false),
        ActionRow(action: .holdForAll, lead: true, collaborator: false),
        ActionRow(action: .closeForAll, lead: true, collaborator: false),
        ActionRow(action: .acceptLead, lead: false, collaborator: true),
        ActionRow(action: .acceptLead, lead: false, collaborator: false, external: true),
        ActionRow(action: .leave, lead: false, collaborator: true),
        ActionRow(action: .holdForSelf, lead: false, collaborator: true),
        ActionRow(action: .transfer, lead: true, collaborator: true),
        ActionRow(action: .transfer, lead: false, collaborator: false, external: true),
        ActionRow(action: .shareScreen, lead: true, collaborator: true),
        ActionRow(action: .chatWithCustomer, lead: true, collaborator: true),
        ActionRow(action: .privateChat, lead: true, collaborator: true),
        ActionRow(action: .receiveCustomerFiles, lead: true, collaborator: false),
    ])
    func roles(_ row: ActionRow) {
        // An external technician never leads: their rows are about the collaborator only.
        if !row.external { #expect(InternalCollaboration.may(row.action, as: .lead, permissions: Self.everything) == row.lead) }
        #expect(InternalCollaboration.may(row.action, as: .collaborator, permissions: Self.everything, external: row.external) == row.collaborator)
    }

    @Test("what a permission gates, the collaborator without it may not do")
    func permissionsGate() {
        for action in [Action.holdForSelf, .transfer, .shareScreen, .chatWithCustomer] {
            #expect(!InternalCollaboration.may(action, as: .collaborator, permissions: []), "\(action)")
        }
        #expect(!InternalCollaboration.may(.inviteMore, as: .lead, permissions: []))
        #expect(!InternalCollaboration.may(.switchChat, as: .lead, permissions: []))
        #expect(InternalCollaboration.may(.privateChat, as: .collaborator, permissions: []))
        #expect(InternalCollaboration.may(.leave, as: .collaborator, permissions: []))
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A machine in `state` as a collaborator's view, held at `heldAt` when on hold.
    static func view(_ state: SessionState, heldAt: Date? = nil, role: SessionMachine.Role = .collaborator) -> SessionMachine {
        SessionMachine(restoring: state, role: role, resumeState: nil, createdAt: t0, stateEnteredAt: heldAt ?? t0,
                       heldSince: heldAt, lastActivityAt: t0)
    }

    @Test("a colleague's view follows the lead's hold, and only the lead's start brings back those it held")
    func viewFollowsLead() throws {
        let leadHeld = Self.view(.onHold, heldAt: Self.t0.addingTimeInterval(100), role: .lead)
        let leadActive = Self.view(.active, role: .lead)
        // The lead holds: everyone collaborating is held; an invitation waits as it is.
        #expect(InternalCollaboration.viewEvent(forLead: .hold, leadBefore: leadActive, leadAfter: leadHeld, view: Self.view(.collaboration)) == .hold)
        #expect(InternalCollaboration.viewEvent(forLead: .hold, leadBefore: leadActive, leadAfter: leadHeld, view: Self.view(.invitation)) == nil)
        // The lead starts again: held with it (or after) → back; held on their own before → stays held.
        let heldWithLead = Self.view(.onHold, heldAt: Self.t0.addingTimeInterval(100))
        let heldBefore = Self.view(.onHold, heldAt: Self.t0.addingTimeInterval(50))
        #expect(InternalCollaboration.viewEvent(forLead: .start, leadBefore: leadHeld, leadAfter: leadActive, view: heldWithLead) == .start)
        #expect(InternalCollaboration.viewEvent(forLead: .start, leadBefore: leadHeld, leadAfter: leadActive, view: heldBefore) == nil)
        // A start that was no return from hold (the lead started an incoming session) moves no one.
        #expect(InternalCollaboration.viewEvent(forLead: .start, leadBefore: Self.view(.incoming, role: .lead), leadAfter: leadActive,
                                                view: heldWithLead) == nil)
        // The end is the external collaborators' rule: closed by the lead; an invitation withdrawn.
        let closed = Self.view(.closed, role: .lead)
        #expect(InternalCollaboration.viewEvent(forLead: .end, leadBefore: leadActive, leadAfter: closed, view: Self.view(.collaboration)) == .closedByLead)
        #expect(InternalCollaboration.viewEvent(forLead: .end, leadBefore: leadActive, leadAfter: closed, view: Self.view(.invitation)) == .end)
        // A colleague who held for themselves goes too: their view leaves On hold as from Collaboration
        // (On hold → Closed by customer, a pair the appendix allows), never left behind in their queue.
        let heldAlone = Self.view(.onHold, heldAt: Self.t0.addingTimeInterval(50))
        let event = InternalCollaboration.viewEvent(forLead: .end, leadBefore: leadActive, leadAfter: closed, view: heldAlone)
        #expect(event == .closedByLead)
        var moved = heldAlone
        _ = try moved.handle(.closedByLead, at: Self.t0.addingTimeInterval(60))
        #expect(moved.state == .closedByCustomer)
    }

    @Test("the lead role goes only to a colleague who collaborates, one offer at a time")
    func handOverRules() {
        #expect(throws: InternalCollaboration.Refusal.notColleague) { try InternalCollaboration.checkHandOver(to: nil, offerPending: false) }
        #expect(throws: InternalCollaboration.Refusal.notCollaborating) {
            try InternalCollaboration.checkHandOver(to: Self.view(.invitation), offerPending: false)
        }
        #expect(throws: InternalCollaboration.Refusal.notCollaborating) {
            try InternalCollaboration.checkHandOver(to: Self.view(.onHold, heldAt: Self.t0), offerPending: false)
        }
        #expect(throws: InternalCollaboration.Refusal.handOverPending) {
            try InternalCollaboration.checkHandOver(to: Self.view(.collaboration), offerPending: true)
        }
        #expect(throws: Never.self) { try InternalCollaboration.checkHandOver(to: Self.view(.collaboration), offerPending: false) }
    }
}
