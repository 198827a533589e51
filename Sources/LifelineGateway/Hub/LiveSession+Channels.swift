import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// A channel session (F2) taken from its queue, removed from it, and its custom fields edited (C3).
extension LiveSession {
    /// The first Start on a queued channel session: the technician becomes its owner and it
    /// leaves every other technician's queue. Two Starts take turns on the session.
    func takeFromQueue(_ record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        guard let channel = await hub.channel(record.channelId), hub.seesQueue(of: channel, actor.id) else { throw GatewayError.sessionNotFound }
        guard ChannelRules.mayTake(groupId: actor.technician.groupId, permissions: actor.permissions,
                                   status: hub.status(of: actor.id), channelGroups: Set(channel.groupIds))
        else {
            throw GatewayError(.technicianUnavailable, "Set your status to Online to take channel sessions.")
        }
        try hub.activeLimitAllows(actor.id, excluding: record.id)
        var taken = record
        taken.technicianId = actor.id
        let transition = try hub.move(&taken.machine, by: .start, at: environment.now())
        taken = try await commit(taken, ownerTransition: transition, claimingActiveSlotOf: actor.id)
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.technicianChanged(.init(name: actor.technician.name))))
        try await hub.logEvent(.takenFromChannel(technician: actor.technician.name, channel: channel.name), in: taken)
        return await hub.summary(of: taken)
    }

    /// A technician of the queue removes a request nobody will take (End on a queued session).
    func removeFromQueue(_ record: SessionRecord, by actor: Actor) async throws -> SessionSummary {
        guard let channel = await hub.channel(record.channelId), hub.seesQueue(of: channel, actor.id) else { throw GatewayError.sessionNotFound }
        var removed = record
        removed.technicianId = actor.id
        let transition = try hub.move(&removed.machine, by: .end, at: environment.now())
        removed = try await commit(removed, ownerTransition: transition)
        return await hub.summary(of: removed)
    }

    /// The custom fields of a session in the actor's queue, as a technician with the permission edits them (C3).
    func editFields(to values: [String: String], by actor: Actor) async throws -> SessionSummary {
        try await serialised { try await editFieldsNow(to: values, by: actor) }
    }

    private func editFieldsNow(to values: [String: String], by actor: Actor) async throws -> SessionSummary {
        var record = try await hub.visibleSession(id, by: actor)
        guard isLive else { throw GatewayError(.sessionClosed, "A closed session cannot be edited.") }
        let names = hub.settings.customFieldNames
        var merged = record.fields
        do {
            let cleaned = try CustomFields.validatedValues(values, names: names)
            // A field sent empty is cleared.
            for name in values.keys { merged[name] = cleaned[name] }
        } catch {
            throw GatewayError.badRequest(CustomFields.describe(error))
        }
        record.fields = merged
        record = try await commit(record, ownerTransition: nil)
        return await hub.summary(of: record, view: await hub.view(of: record, for: actor.id))
    }
}
