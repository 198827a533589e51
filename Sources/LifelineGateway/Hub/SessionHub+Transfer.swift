import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Transfer (C6): the sender sees Outgoing, the recipient Incoming. The recipient's Start takes
/// the session over (it leaves the sender's queue); the sender's Start cancels (it leaves the
/// recipient's); the recipient's End declines it (the sender has it active again).
extension SessionHub {
    static let maximumCommentLength = 500

    func transfer(_ id: String, to target: TransferTarget, comment rawComment: String, by actor: Actor) async throws -> SessionSummary {
        try actor.require(.transferSessions)
        guard let session = registry.session(id) else {
            _ = try await visibleSession(id, by: actor)
            throw GatewayError.sessionNotFound
        }
        return try await session.transfer(to: target, comment: rawComment, by: actor)
    }

    func transferQueues(of organisationId: String) async throws -> ([TechnicianGroup], [Channel]) {
        (try await store.groups(organisationId: organisationId), try await store.channels(organisationId: organisationId))
    }

    /// Checks the target is in the actor's organisation and may receive it; returns how the log names it.
    /// A Lens session goes only to a technician whose group allows Lens sessions (the manual).
    func checkedTarget(_ target: TransferTarget, for actor: Actor, sessionType: SessionType = .standard) async throws -> String {
        let organisationId = actor.technician.organisationId
        if let needed = sessionType.requiredPermission, target.technicianId == nil {
            throw GatewayError(.notForLens, "A Lens session can be transferred only to a technician allowed Lens sessions, not to a queue (\(needed.rawValue)).")
        }
        switch target {
        case .technician(let targetId):
            guard targetId != actor.id else { throw GatewayError.badRequest("You cannot transfer a session to yourself.") }
            guard let colleague = try await store.technician(id: targetId), colleague.organisationId == organisationId,
                  !colleague.disabled
            else { throw GatewayError(.technicianNotFound, "There is no such technician in your organisation.") }
            let status = self.status(of: targetId)
            guard status.acceptsTransfers else {
                throw GatewayError(.technicianUnavailable,
                                   "\(colleague.name) is \(status.rawValue) and cannot receive a transfer now.")
            }
            if let needed = sessionType.requiredPermission,
               try await !Accounts(store: store, environment: environment).permissions(of: colleague).allows(needed) {
                throw GatewayError(.notForLens, "\(colleague.name)'s technician group does not allow Lens sessions (\(needed.rawValue)).")
            }
            return colleague.name
        case .group(let groupId):
            guard let group = try await store.group(id: groupId), group.organisationId == organisationId else {
                throw GatewayError(.groupNotFound, "There is no such technician group.")
            }
            return "the \(group.name) group's queue"
        case .channel(let channelId):
            guard let channel = await channel(channelId), channel.organisationId == organisationId else {
                throw GatewayError(.channelNotFound, "There is no such channel.")
            }
            return "the \(channel.name) channel's queue"
        }
    }
}
