import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// What the lead does about the colleagues of one session (I1, I3), in the session's turn. The
/// order of refusals is the gateway's usual one: a session the actor does not see is "not
/// found", then a missing permission, then the rule (not the lead, the colleague's status …).
extension LiveSession {
    func inviteColleague(_ colleagueId: String, permissions chosen: [Permission]?, comment rawComment: String,
                         by actor: Actor, from source: String) async throws -> SessionSummary {
        try await serialised {
            let current = try await hub.visibleSession(id, by: actor)
            guard isLive else { throw GatewayError.sessionNotFound }
            try actor.require(.inviteInternalTechnicians)
            let colleague = try await hub.invitableColleague(colleagueId, for: actor)
            let comment = rawComment.trimmingCharacters(in: .whitespacesAndNewlines)
            do throws(InternalCollaboration.Refusal) {
                try InternalCollaboration.checkInvitation(
                    byLead: current.technicianId == actor.id, state: record.machine.state,
                    inviteeIsLead: colleagueId == record.technicianId, inviteeAlreadyIn: record.otherViews[colleagueId] != nil,
                    inviteeStatus: colleague.status, collaborators: record.collaborations.count, comment: comment,
                    sessionType: record.sessionType)
            } catch {
                throw GatewayError.collaboration(error, name: colleague.name)
            }
            var changed = record
            changed.otherViews[colleagueId] = .invitation(at: environment.now())
            changed.collaborations[colleagueId] = CollaborationTerms(invitedBy: actor.id, permissions: chosen, comment: comment)
            let stored = try await commit(changed, ownerTransition: nil)
            let by = actor.technician.name
            try await hub.logEvent(comment.isEmpty ? .colleagueInvited(technician: by, colleague: colleague.name)
                : .colleagueInvitedWithComment(technician: by, colleague: colleague.name, comment: comment), in: stored)
            try await hub.audit.record(.colleagueInvited, by: actor, objectType: "session", objectId: id,
                                       after: AuditTrail.json(["technician": colleague.name, "permissions": Self.described(chosen)]), source: source)
            return await hub.summary(of: stored)
        }
    }

    /// An administrator watching the lead joins as a colleague (E2): straight into Collaboration,
    /// with all their group's permissions, under the same limits as an invitation.
    func joinAsMonitor(by actor: Actor) async throws -> SessionSummary {
        try await serialised {
            guard isLive else { throw GatewayError.sessionNotFound }
            do throws(InternalCollaboration.Refusal) {
                try InternalCollaboration.checkInvitation(
                    byLead: true, state: record.machine.state, inviteeIsLead: actor.id == record.technicianId,
                    inviteeAlreadyIn: record.otherViews[actor.id] != nil, inviteeStatus: .online,
                    collaborators: record.collaborations.count, comment: "", sessionType: record.sessionType)
            } catch {
                throw GatewayError.collaboration(error, name: actor.technician.name)
            }
            let now = environment.now()
            var view = SessionMachine.invitation(at: now)
            _ = try hub.move(&view, by: .start, at: now)
            var changed = record
            changed.otherViews[actor.id] = view
            changed.collaborations[actor.id] = CollaborationTerms(invitedBy: actor.id, permissions: nil, comment: "")
            let stored = try await commit(changed, ownerTransition: nil)
            try await hub.logEvent(.colleagueJoined(technician: actor.technician.name), in: stored)
            tellCustomer(colleague: actor.technician.name, joined: true)
            try await hub.audit.record(.colleagueJoined, by: actor, objectType: "session", objectId: id,
                                       after: AuditTrail.json(["monitoring": "joined while monitoring the lead"]))
            return await hub.summary(of: stored, view: view)
        }
    }

    /// The lead removes a colleague, or withdraws an invitation not yet accepted.
    func removeColleague(_ colleagueId: String, by actor: Actor) async throws -> SessionSummary {
        try await serialised {
            _ = try await leadsNow(actor)
            let name = await hub.technicianName(colleagueId)
            guard var view = record.otherViews[colleagueId], record.collaborations[colleagueId] != nil else {
                throw GatewayError.collaboration(.notColleague, name: name)
            }
            let joined = view.state != .invitation
            _ = try hub.move(&view, by: .removedByLead, at: environment.now())
            let stored = try await commit(record, ownerTransition: nil, leavingViews: [colleagueId: view])
            try await hub.logEvent(.colleagueRemoved(technician: actor.technician.name, colleague: name), in: stored)
            if joined { tellCustomer(colleague: name, joined: false) }
            try await hub.audit.record(.colleagueRemoved, by: actor, objectType: "session", objectId: id,
                                       after: AuditTrail.json(["technician": name]))
            return await hub.summary(of: stored)
        }
    }

    /// The lead changes what a colleague may do here (nil: all their group's).
    func setColleaguePermissions(_ chosen: [Permission]?, of colleagueId: String, by actor: Actor) async throws -> SessionSummary {
        try await serialised {
            _ = try await leadsNow(actor)
            let name = await hub.technicianName(colleagueId)
            guard let terms = record.collaborations[colleagueId] else { throw GatewayError.collaboration(.notColleague, name: name) }
            let before = Self.described(terms.permissions)
            var changed = record
            changed.collaborations[colleagueId]?.permissions = chosen?.sorted()
            let stored = try await commit(changed, ownerTransition: nil)
            try await hub.logEvent(.colleaguePermissionsChanged(technician: actor.technician.name, colleague: name), in: stored)
            try await hub.audit.record(.colleaguePermissionsChanged, by: actor, objectType: "session", objectId: id,
                                       before: AuditTrail.json(["technician": name, "permissions": before]),
                                       after: AuditTrail.json(["technician": name, "permissions": Self.described(chosen)]))
            return await hub.summary(of: stored)
        }
    }

    /// The lead offers the lead role to a colleague who collaborates; it is theirs when they accept.
    func offerLead(to colleagueId: String, by actor: Actor) async throws -> SessionSummary {
        try await serialised {
            _ = try await leadsNow(actor)
            let name = await hub.technicianName(colleagueId)
            do throws(InternalCollaboration.Refusal) {
                guard record.collaborations[colleagueId] != nil else { throw .notColleague }
                try InternalCollaboration.checkHandOver(to: record.otherViews[colleagueId],
                                                        offerPending: record.collaborations.values.contains { $0.leadOffered })
            } catch {
                throw GatewayError.collaboration(error, name: name)
            }
            var changed = record
            changed.collaborations[colleagueId]?.leadOffered = true
            let stored = try await commit(changed, ownerTransition: nil)
            try await hub.logEvent(.leadOffered(technician: actor.technician.name, colleague: name), in: stored)
            return await hub.summary(of: stored)
        }
    }

    /// The lead cancels the offer before it is accepted.
    func withdrawLeadOffer(by actor: Actor) async throws -> SessionSummary {
        try await serialised {
            _ = try await leadsNow(actor)
            guard let colleagueId = record.collaborations.first(where: { $0.value.leadOffered })?.key else {
                throw GatewayError(.noLeadOffer, "The lead role is not offered to anyone.")
            }
            let name = await hub.technicianName(colleagueId)
            var changed = record
            changed.collaborations[colleagueId]?.leadOffered = false
            let stored = try await commit(changed, ownerTransition: nil)
            try await hub.logEvent(.leadOfferWithdrawn(technician: actor.technician.name, colleague: name), in: stored)
            return await hub.summary(of: stored)
        }
    }

    /// The colleague offered the lead accepts: their view turns Active and the session is theirs;
    /// the former lead collaborates with all their group's permissions.
    func acceptLead(by actor: Actor) async throws -> SessionSummary {
        try await serialised {
            _ = try await hub.visibleSession(id, by: actor)
            guard isLive, let formerLeadId = record.technicianId else { throw GatewayError.sessionNotFound }
            guard record.collaborations[actor.id]?.leadOffered == true, var mine = record.otherViews[actor.id] else {
                throw GatewayError.collaboration(.noHandOverOffered)
            }
            try hub.activeLimitAllows(actor.id, excluding: id)
            let now = environment.now()
            _ = try hub.move(&mine, by: .leadAccepted, at: now)
            var formerLead = record.machine
            _ = try hub.move(&formerLead, by: .leadHandedOver, at: now)
            var changed = record
            changed.technicianId = actor.id
            changed.machine = mine
            changed.otherViews[actor.id] = nil
            changed.collaborations[actor.id] = nil
            changed.otherViews[formerLeadId] = formerLead
            changed.collaborations[formerLeadId] = CollaborationTerms(invitedBy: actor.id, permissions: nil, comment: "")
            // No status line: for the customer the session goes on as it was, with another technician's name.
            let stored = try await commit(changed, ownerTransition: nil, previousOwner: (formerLeadId, formerLead), claimingActiveSlotOf: actor.id)
            try await hub.logEvent(.leadTaken(technician: actor.technician.name), in: stored)
            try await hub.audit.record(.leadChanged, by: actor, objectType: "session", objectId: id,
                                       before: AuditTrail.json(["lead": await hub.technicianName(formerLeadId)]),
                                       after: AuditTrail.json(["lead": actor.technician.name]))
            return await hub.summary(of: stored)
        }
    }

    /// A line for the technicians of the session only: the customer never gets it, and it works
    /// while the chat with the customer is off (the manual).
    func sendPrivateChat(_ text: String, by actor: Actor) async throws -> LogEntry {
        let current = try await hub.visibleSession(id, by: actor)
        await hub.recordTechnicianActivity(actor.id)
        let collaborating = current.collaborations[actor.id] != nil && current.otherViews[actor.id].map { $0.state != .invitation } == true
        guard isLive, current.technicianId == actor.id || collaborating else {
            throw GatewayError(.chatUnavailable, "The technicians' chat is for the technicians working in this session.")
        }
        let clean: String
        do { clean = try ChatText.validated(text) } catch { throw GatewayError.badRequest(SessionHub.describe(error)) }
        let entry = try await store.appendLog(sessionId: id, at: environment.now(), kind: .privateChat, authorRole: .technician,
                                              author: actor.technician.name, text: clean, state: nil)
        await hub.publish(entry, to: current)
        return entry
    }

    /// The record, when the actor leads this live session; the colleague's refusal otherwise.
    func leadsNow(_ actor: Actor) async throws -> SessionRecord {
        let current = try await hub.visibleSession(id, by: actor)
        guard isLive else { throw GatewayError.sessionNotFound }
        guard current.technicianId == actor.id else { throw GatewayError.collaboration(.notLead) }
        return current
    }

    /// The customer sees who works with their technician (I1: "the customer sees who is watching").
    func tellCustomer(colleague name: String, joined: Bool) {
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.collaborator(.init(name: name, joined: joined))))
    }

    static func described(_ permissions: [Permission]?) -> String {
        permissions.map { $0.map(\.rawValue).sorted().joined(separator: " ") } ?? "all of their group's"
    }
}
