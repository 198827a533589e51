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
        try await serialised(id) { try await transferNow(id, to: target, comment: rawComment, by: actor) }
    }

    private func transferNow(_ id: String, to target: TransferTarget, comment rawComment: String, by actor: Actor) async throws -> SessionSummary {
        try actor.require(.transferSessions)
        var record = try await visibleSession(id, by: actor)
        guard live[id] != nil else { throw GatewayError.sessionNotFound }
        guard let ownerId = record.technicianId else {
            throw GatewayError(.notStarted, "Start the session before transferring it.")
        }
        // The recipient of a pending transfer may pass it on, or back to the sender.
        let passingOn = ownerId != actor.id
        guard passingOn ? record.transfer?.to.technicianId == actor.id : record.transfer == nil else {
            throw GatewayError.transferPending
        }
        let targetName = try await checkedTarget(target, for: actor)
        let comment = rawComment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= Self.maximumCommentLength else {
            throw GatewayError.badRequest("The comment is longer than \(Self.maximumCommentLength) characters.")
        }
        let now = environment.now()
        var previousOwner: (id: String, machine: SessionMachine)?
        let transition: Transition
        if passingOn, var mine = record.otherViews[actor.id] {
            transition = try move(&mine, by: .transferOut, at: now)
            var sender = record.machine
            record.otherViews[actor.id] = nil
            if target.technicianId == ownerId {
                // Back to the sender: their Outgoing view becomes Incoming.
                _ = try move(&sender, by: .transferIn, at: now)
                record.otherViews[ownerId] = sender
            } else {
                // Passed on: the first sender is out of it.
                _ = try move(&sender, by: .transferTakenOver, at: now)
                previousOwner = (ownerId, sender)
                if let recipient = target.technicianId { record.otherViews[recipient] = .incomingTransfer(at: now) }
            }
            record.technicianId = actor.id
            record.machine = mine
        } else {
            transition = try move(&record.machine, by: .transferOut, at: now)
            if let recipient = target.technicianId { record.otherViews[recipient] = .incomingTransfer(at: now) }
        }
        record.transfer = PendingTransfer(fromTechnicianId: actor.id, to: target, comment: comment, at: now)
        record = try await commit(record, ownerTransition: transition, previousOwner: previousOwner)
        let event: SessionLogEvent = comment.isEmpty ? .transferred(technician: actor.technician.name, target: targetName)
            : .transferredWithComment(technician: actor.technician.name, target: targetName, comment: comment)
        try await logEvent(event, in: record)
        return await summary(of: record)
    }

    func transferQueues(of organisationId: String) async throws -> ([TechnicianGroup], [Channel]) {
        (try await store.groups(organisationId: organisationId), try await store.channels(organisationId: organisationId))
    }

    /// Checks the target is in the actor's organisation and may receive it; returns how the log names it.
    private func checkedTarget(_ target: TransferTarget, for actor: Actor) async throws -> String {
        let organisationId = actor.technician.organisationId
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

    /// The sender starts the Outgoing session: the transfer is cancelled.
    func cancelTransfer(of record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        var record = record
        let now = environment.now()
        let transition = try move(&record.machine, by: .start, at: now)
        var leaving: [String: SessionMachine] = [:]
        if let recipient = record.transfer?.to.technicianId, var view = record.otherViews[recipient] {
            _ = try move(&view, by: .droppedFromQueue, at: now)
            leaving[recipient] = view
        }
        // A transfer into a queue ends here too; its audience sees it leave (commit).
        record.transfer = nil
        record = try await commit(record, ownerTransition: transition, leavingViews: leaving)
        try await logEvent(.transferTakenBack(technician: actor.technician.name), in: record)
        return await summary(of: record)
    }

    /// What the recipient of a transfer can do: Start takes it over, End declines it.
    func performAsRecipient(_ command: SessionCommand, on record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        let fromQueue = record.otherViews[actor.id] == nil
        guard var incoming = await view(of: record, for: actor.id), incoming.state == .incoming || !fromQueue else {
            throw GatewayError.sessionNotFound
        }
        if fromQueue && command == .end {
            throw GatewayError(.queueTransfer,
                               "This session was transferred to a queue: Start takes it; only the sender can take it back.")
        }
        var record = record
        let now = environment.now()
        switch command {
        case .start:
            try activeLimitAllows(actor.id, excluding: record.id)
            let transition = try move(&incoming, by: .start, at: now)
            var previous = record.machine
            _ = try move(&previous, by: .transferTakenOver, at: now)
            guard let previousOwner = record.technicianId else { throw GatewayError.sessionNotFound }
            record.technicianId = actor.id
            record.machine = incoming
            record.otherViews[actor.id] = nil
            record.transfer = nil
            record.transferredBy = previousOwner
            record = try await commit(record, ownerTransition: transition, previousOwner: (previousOwner, previous))
            try await logEvent(.transferTakenOver(technician: actor.technician.name), in: record)
            return await summary(of: record)
        case .end:
            _ = try move(&incoming, by: .end, at: now)
            let transition = try move(&record.machine, by: .start, at: now)
            record = try await commit(record, ownerTransition: transition, leavingViews: [actor.id: incoming])
            try await logEvent(.transferDeclined(technician: actor.technician.name), in: record)
            return await summary(of: record, view: incoming)
        case .hold:
            throw GatewayError.refused(TransitionRefused(state: incoming.state, event: .hold))
        }
    }
}
