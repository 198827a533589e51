import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Transfer (C6) of one session: the sender's Outgoing, the recipient's Incoming, and who may
/// take, cancel or decline it, in the session's turn.
extension LiveSession {
    func transfer(to target: TransferTarget, comment rawComment: String, by actor: Actor) async throws -> SessionSummary {
        try await serialised { try await transferNow(to: target, comment: rawComment, by: actor) }
    }

    private func transferNow(to target: TransferTarget, comment rawComment: String, by actor: Actor) async throws -> SessionSummary {
        var record = try await hub.visibleSession(id, by: actor)
        guard isLive else { throw GatewayError.sessionNotFound }
        guard let ownerId = record.technicianId else {
            throw GatewayError(.notStarted, "Start the session before transferring it.")
        }
        // A colleague's Transfer passes their place on; the session stays with its lead (I4).
        if ownerId != actor.id, record.collaborations[actor.id] != nil {
            return try await passPlace(to: target, comment: rawComment, current: record, by: actor)
        }
        // The recipient of a pending transfer may pass it on, or back to the sender.
        let passingOn = ownerId != actor.id
        guard passingOn ? record.transfer?.to.technicianId == actor.id : record.transfer == nil else {
            throw GatewayError.transferPending
        }
        let targetName = try await hub.checkedTarget(target, for: actor, sessionType: record.sessionType)
        let comment = rawComment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= SessionHub.maximumCommentLength else {
            throw GatewayError.badRequest("The comment is longer than \(SessionHub.maximumCommentLength) characters.")
        }
        let now = environment.now()
        var previousOwner: (id: String, machine: SessionMachine)?
        let transition: Transition
        if passingOn, var mine = record.otherViews[actor.id] {
            transition = try hub.move(&mine, by: .transferOut, at: now)
            var sender = record.machine
            record.otherViews[actor.id] = nil
            if target.technicianId == ownerId {
                // Back to the sender: their Outgoing view becomes Incoming.
                _ = try hub.move(&sender, by: .transferIn, at: now)
                record.otherViews[ownerId] = sender
            } else {
                // Passed on: the first sender is out of it.
                _ = try hub.move(&sender, by: .transferTakenOver, at: now)
                previousOwner = (ownerId, sender)
                if let recipient = target.technicianId { record.otherViews[recipient] = .incomingTransfer(at: now) }
            }
            record.technicianId = actor.id
            record.machine = mine
        } else {
            transition = try hub.move(&record.machine, by: .transferOut, at: now)
            if let recipient = target.technicianId { record.otherViews[recipient] = .incomingTransfer(at: now) }
        }
        record.transfer = PendingTransfer(fromTechnicianId: actor.id, to: target, comment: comment, at: now)
        record = try await commit(record, ownerTransition: transition, previousOwner: previousOwner)
        let event: SessionLogEvent = comment.isEmpty ? .transferred(technician: actor.technician.name, target: targetName)
            : .transferredWithComment(technician: actor.technician.name, target: targetName, comment: comment)
        try await hub.logEvent(event, in: record)
        return await hub.summary(of: record)
    }

    /// The sender starts the Outgoing session: the transfer is cancelled.
    func cancelTransfer(of record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        var record = record
        let now = environment.now()
        let transition = try hub.move(&record.machine, by: .start, at: now)
        var leaving: [String: SessionMachine] = [:]
        if let recipient = record.transfer?.to.technicianId, var view = record.otherViews[recipient] {
            _ = try hub.move(&view, by: .droppedFromQueue, at: now)
            leaving[recipient] = view
        }
        // A transfer into a queue ends here too; its audience sees it leave (commit).
        record.transfer = nil
        record = try await commit(record, ownerTransition: transition, leavingViews: leaving, claimingActiveSlotOf: actor.id)
        try await hub.logEvent(.transferTakenBack(technician: actor.technician.name), in: record)
        return await hub.summary(of: record)
    }

    /// What the recipient of a transfer can do: Start takes it over, End declines it.
    func performAsRecipient(_ command: SessionCommand, on record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        let fromQueue = record.otherViews[actor.id] == nil
        guard var incoming = await hub.view(of: record, for: actor.id), incoming.state == .incoming || !fromQueue else {
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
            try hub.activeLimitAllows(actor.id, excluding: record.id)
            let transition = try hub.move(&incoming, by: .start, at: now)
            var previous = record.machine
            _ = try hub.move(&previous, by: .transferTakenOver, at: now)
            guard let previousOwner = record.technicianId else { throw GatewayError.sessionNotFound }
            record.technicianId = actor.id
            record.machine = incoming
            record.otherViews[actor.id] = nil
            record.transfer = nil
            record.transferredBy = previousOwner
            record = try await commit(record, ownerTransition: transition, previousOwner: (previousOwner, previous), claimingActiveSlotOf: actor.id)
            try await hub.logEvent(.transferTakenOver(technician: actor.technician.name), in: record)
            return await hub.summary(of: record)
        case .end:
            _ = try hub.move(&incoming, by: .end, at: now)
            let transition = try hub.move(&record.machine, by: .start, at: now)
            record = try await commit(record, ownerTransition: transition, leavingViews: [actor.id: incoming])
            try await hub.logEvent(.transferDeclined(technician: actor.technician.name), in: record)
            return await hub.summary(of: record, view: incoming)
        case .hold:
            throw GatewayError.refused(TransitionRefused(state: incoming.state, event: .hold))
        }
    }
}
