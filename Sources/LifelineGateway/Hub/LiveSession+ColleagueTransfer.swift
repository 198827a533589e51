import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// A colleague's Transfer (I4): the appendix has no Collaboration → Outgoing, so the session stays
/// with its lead and the colleague passes their place on — their view closes (they leave, the
/// customer is told), the colleague they chose gets an Invitation with the same permissions for the
/// session and the comment, as if the lead had invited them. Called in the session's turn.
extension LiveSession {
    func passPlace(to target: TransferTarget, comment rawComment: String, current: SessionRecord,
                   by actor: Actor) async throws -> SessionSummary {
        guard case .technician(let recipientId) = target else {
            throw GatewayError.badRequest("A collaborating technician passes their place to a colleague; only the lead transfers the session to a queue.")
        }
        guard var view = current.otherViews[actor.id], let terms = current.collaborations[actor.id] else { throw GatewayError.sessionNotFound }
        guard recipientId != actor.id else { throw GatewayError.badRequest("You cannot transfer a session to yourself.") }
        let recipient = try await hub.invitableColleague(recipientId, for: actor)
        let comment = rawComment.trimmingCharacters(in: .whitespacesAndNewlines)
        do throws(InternalCollaboration.Refusal) {
            try InternalCollaboration.checkPassingPlace(
                view: view.state, granted: hub.sessionPermissions(of: actor, in: current), leadState: current.machine.state,
                recipientIsLead: recipientId == current.technicianId, recipientAlreadyIn: current.otherViews[recipientId] != nil,
                recipientStatus: recipient.status, collaborators: current.collaborations.count, comment: comment)
        } catch {
            throw GatewayError.collaboration(error, name: recipient.name)
        }
        let now = environment.now()
        _ = try hub.move(&view, by: .end, at: now)
        var changed = current
        changed.otherViews[recipientId] = .invitation(at: now)
        changed.collaborations[recipientId] = CollaborationTerms(invitedBy: actor.id, permissions: terms.permissions, comment: comment)
        let stored = try await commit(changed, ownerTransition: nil, leavingViews: [actor.id: view])
        let name = actor.technician.name
        try await hub.logEvent(comment.isEmpty ? .colleagueInvited(technician: name, colleague: recipient.name)
            : .colleagueInvitedWithComment(technician: name, colleague: recipient.name, comment: comment), in: stored)
        try await hub.logEvent(.colleagueLeft(technician: name), in: stored)
        tellCustomer(colleague: name, joined: false)
        try await hub.audit.record(.colleagueInvited, by: actor, objectType: "session", objectId: id,
                                   after: AuditTrail.json(["technician": recipient.name, "permissions": Self.described(terms.permissions),
                                                           "placeOf": name]))
        return await hub.summary(of: stored, view: view)
    }
}
