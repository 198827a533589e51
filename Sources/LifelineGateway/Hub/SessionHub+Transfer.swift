import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Transfer (C6): the sender sees Outgoing, the recipient Incoming. The recipient's Start takes
/// the session over (it leaves the sender's queue); the sender's Start cancels (it leaves the
/// recipient's); the recipient's End declines it (the sender has it active again).
extension SessionHub {
    static let maximumCommentLength = 500

    func transfer(_ id: String, to targetId: String, comment rawComment: String, by actor: Actor) async throws -> SessionSummary {
        try actor.require(.transferSessions)
        var record = try await visibleSession(id, by: actor)
        guard live[id] != nil else { throw GatewayError.sessionNotFound }
        guard let ownerId = record.technicianId else {
            throw GatewayError(.conflict, "not_started", "Start the session before transferring it.")
        }
        // The recipient of a pending transfer may pass it on, or back to the sender.
        let passingOn = ownerId != actor.id
        guard passingOn ? record.transfer?.toTechnicianId == actor.id : record.transfer == nil else {
            throw GatewayError.transferPending
        }
        guard targetId != actor.id else { throw GatewayError.badRequest("You cannot transfer a session to yourself.") }
        guard let target = try await store.technician(id: targetId), target.organisationId == actor.technician.organisationId,
              !target.disabled
        else { throw GatewayError(.notFound, "technician_not_found", "There is no such technician in your organisation.") }
        let status = self.status(of: targetId)
        guard status.acceptsTransfers else {
            throw GatewayError(.conflict, "technician_unavailable",
                               "\(target.name) is \(status.rawValue) and cannot receive a transfer now.")
        }
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
            let senderId = ownerId
            record.otherViews[actor.id] = nil
            if senderId == targetId {
                // Back to the sender: their Outgoing view becomes Incoming.
                _ = try move(&sender, by: .transferIn, at: now)
                record.otherViews[targetId] = sender
            } else {
                // Passed on: the first sender is out of it.
                _ = try move(&sender, by: .transferTakenOver, at: now)
                previousOwner = (senderId, sender)
                record.otherViews[targetId] = .incomingTransfer(at: now)
            }
            record.technicianId = actor.id
            record.machine = mine
        } else {
            transition = try move(&record.machine, by: .transferOut, at: now)
            record.otherViews[targetId] = .incomingTransfer(at: now)
        }
        record.transfer = PendingTransfer(fromTechnicianId: actor.id, toTechnicianId: targetId, comment: comment, at: now)
        record = try await commit(record, ownerTransition: transition, previousOwner: previousOwner)
        let note = comment.isEmpty ? "" : ": \(comment)"
        try await logTransfer("\(actor.technician.name) transferred the session to \(target.name)\(note)", in: record)
        return await summary(of: record)
    }

    /// The sender starts the Outgoing session: the transfer is cancelled.
    func cancelTransfer(of record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        var record = record
        let now = environment.now()
        let transition = try move(&record.machine, by: .start, at: now)
        var leaving: [String: SessionMachine] = [:]
        if let transfer = record.transfer, var view = record.otherViews[transfer.toTechnicianId] {
            _ = try move(&view, by: .droppedFromQueue, at: now)
            leaving[transfer.toTechnicianId] = view
        }
        record = try await commit(record, ownerTransition: transition, leavingViews: leaving)
        try await logTransfer("\(actor.technician.name) took the session back.", in: record)
        return await summary(of: record)
    }

    /// What the recipient of a transfer can do: Start takes it over, End declines it.
    func performAsRecipient(_ command: SessionCommand, on record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        guard var incoming = record.otherViews[actor.id] else { throw GatewayError.sessionNotFound }
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
            try await logTransfer("\(actor.technician.name) took over the session.", in: record)
            return await summary(of: record)
        case .end:
            _ = try move(&incoming, by: .end, at: now)
            let transition = try move(&record.machine, by: .start, at: now)
            record = try await commit(record, ownerTransition: transition, leavingViews: [actor.id: incoming])
            try await logTransfer("\(actor.technician.name) declined the transfer.", in: record)
            return await summary(of: record, view: incoming)
        case .hold:
            throw GatewayError.refused(TransitionRefused(state: incoming.state, event: .hold))
        }
    }

    private func logTransfer(_ text: String, in record: SessionRecord) async throws {
        let entry = try await store.appendLog(sessionId: record.id, at: environment.now(), kind: .status,
                                              authorRole: .system, author: "Lifeline", text: text, state: nil)
        await publish(entry, to: record)
    }
}
