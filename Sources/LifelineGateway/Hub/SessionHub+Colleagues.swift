import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Colleagues of the organisation working one session with its lead (I1, I3, I4): the lead
/// invites, edits, removes and hands over the lead; the colleague starts, holds for themselves,
/// leaves and accepts the lead. The rules are `InternalCollaboration`'s; the work on the session
/// happens in its turn (LiveSession+Colleagues).
extension SessionHub {
    func inviteColleague(_ colleagueId: String, permissions: [Permission]?, comment: String, to id: String,
                         by actor: Actor, from source: String) async throws -> SessionSummary {
        try await liveSession(id, for: actor).inviteColleague(colleagueId, permissions: permissions, comment: comment, by: actor, from: source)
    }

    func removeColleague(_ colleagueId: String, from id: String, by actor: Actor) async throws -> SessionSummary {
        try await liveSession(id, for: actor).removeColleague(colleagueId, by: actor)
    }

    func setColleaguePermissions(_ permissions: [Permission]?, of colleagueId: String, in id: String, by actor: Actor) async throws -> SessionSummary {
        try await liveSession(id, for: actor).setColleaguePermissions(permissions, of: colleagueId, by: actor)
    }

    func offerLead(to colleagueId: String, in id: String, by actor: Actor) async throws -> SessionSummary {
        try await liveSession(id, for: actor).offerLead(to: colleagueId, by: actor)
    }

    func withdrawLeadOffer(in id: String, by actor: Actor) async throws -> SessionSummary {
        try await liveSession(id, for: actor).withdrawLeadOffer(by: actor)
    }

    func acceptLead(in id: String, by actor: Actor) async throws -> SessionSummary {
        try await liveSession(id, for: actor).acceptLead(by: actor)
    }

    func sendPrivateChat(_ text: String, to id: String, by actor: Actor) async throws -> LogEntry {
        try await liveSession(id, for: actor).sendPrivateChat(text, by: actor)
    }

    /// The colleagues of a session as its technicians see them; nil when there are none.
    func colleagues(of record: SessionRecord) async -> [ColleagueSummary]? {
        guard !record.collaborations.isEmpty else { return nil }
        var result: [ColleagueSummary] = []
        for (technicianId, terms) in record.collaborations.sorted(by: { $0.key < $1.key }) {
            guard let view = record.otherViews[technicianId] else { continue }
            result.append(ColleagueSummary(
                technicianId: technicianId, name: await technicianName(technicianId), state: view.state,
                permissions: terms.permissions?.map(\.rawValue), invitedBy: await technicianName(terms.invitedBy),
                comment: terms.comment, leadOffered: terms.leadOffered))
        }
        return result
    }

    /// What the actor may do in this session: their group's permissions; for a colleague, only those
    /// of them the lead chose.
    func sessionPermissions(of actor: Actor, in record: SessionRecord) -> Set<Permission> {
        guard record.technicianId != actor.id, let terms = record.collaborations[actor.id] else { return actor.permissions.granted }
        return InternalCollaboration.granted(chosen: terms.permissions.map(Set.init), byGroup: actor.permissions.granted)
    }

    /// The colleague one may invite: of the organisation, enabled, with their status now.
    func invitableColleague(_ colleagueId: String, for actor: Actor) async throws -> (name: String, status: TechnicianStatus) {
        guard let colleague = try await store.technician(id: colleagueId), colleague.organisationId == actor.technician.organisationId,
              !colleague.disabled, colleague.deletedAt == nil
        else { throw GatewayError(.technicianNotFound, "There is no such technician in your organisation.") }
        return (colleague.name, status(of: colleagueId))
    }
}

extension GatewayError {
    /// How the gateway answers a collaboration rule's refusal.
    static func collaboration(_ refusal: InternalCollaboration.Refusal, name: String = "The technician") -> GatewayError {
        let message = InternalCollaboration.describe(refusal, invitee: name)
        return switch refusal {
        case .notLead: GatewayError(.notLead, message)
        case .sessionNotActive, .notCollaborating: GatewayError(.sessionNotActive, message)
        case .inviteeIsLead, .inviteeAlreadyIn: GatewayError(.alreadyCollaborating, message)
        case .inviteeNotAvailable: GatewayError(.technicianUnavailable, message)
        case .tooMany: GatewayError(.tooManyCollaborators, message)
        case .commentTooLong: GatewayError(.badRequest, message)
        case .notColleague: GatewayError(.collaboratorNotFound, message)
        case .notPermitted: GatewayError(.permissionDenied, message)
        case .leadOnHold: GatewayError(.leadOnHold, message)
        case .handOverPending: GatewayError(.leadOfferPending, message)
        case .noHandOverOffered: GatewayError(.noLeadOffer, message)
        case .lensSession: GatewayError(.notForLens, message)
        }
    }
}
