import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The one interpreter of `SessionChange`: memory first, then each effect in order.
extension LiveSession {
    /// Memory changes before any suspension point, so a check made on memory (the ten-active
    /// limit, a PIN still unused) and the change it allows can never be split by another request.
    /// Runs in the session's turn (`serialised`).
    func run(_ change: SessionChange, claimingActiveSlotOf technicianId: String? = nil) async throws -> SessionRecord {
        var stored = change.record
        let state = stored.machine.state
        let memory = (record: record, wasLive: isLive, link: hub.registry.link(of: id), awaiting: awaitingTechnician)
        if let technicianId { try remember(stored, claimingActiveSlotOf: technicianId) } else { remember(stored) }
        if state != .connecting { hub.registry.setLink(nil, of: id) }
        if state.isRemovedFromQueue { awaitingTechnician = false }
        let viewsChanged = memory.record.otherViews != stored.otherViews
        for effect in change.effects {
            do {
                stored = try await perform(effect, for: stored, viewsChanged: viewsChanged)
            } catch where effect == .persist {
                // Nothing changed after all: memory goes back to what the store still holds.
                if memory.wasLive { remember(memory.record) }
                hub.registry.setLink(memory.link, of: id)
                awaitingTechnician = memory.awaiting
                throw error
            }
        }
        if state == .active { await runStartScriptsIfDue() }
        return stored
    }

    /// Runs one effect; the record comes back as stored (a `persist` gives it its new version).
    private func perform(_ effect: SessionEffect, for record: SessionRecord, viewsChanged: Bool) async throws -> SessionRecord {
        switch effect {
        case .persist:
            return try await persist(record, viewsChanged: viewsChanged)
        case .logTransition(let from, let to):
            logger.info("Session state changed", metadata: ["session.id": "\(record.id)", "session.from": "\(from.rawValue)", "session.to": "\(to.rawValue)"])
        case .logViewLeftBehind(let technicianId, let reason):
            logger.error("A view could not follow its session", metadata: ["session.id": "\(record.id)", "technician.id": "\(technicianId)", "error": "\(reason)"])
        case .stopRemoteDesktop(let reason, let state):
            if remote != nil { await endRemote(reason: reason, tellApplet: true, sessionState: state) }
            // The file manager lives exactly as long: only Active keeps it (C5, C6); scripts too (N2).
            if !FileManagerAccess.survives(state) {
                await endFileManager(reason: reason, tellApplet: true)
                stopScripts(reason: reason)
            }
        case .publishToViewers:
            await hub.publish(record)
        case .publishView(let view, let technicianId):
            await hub.publish(record, as: view, to: technicianId)
        case .tellQueueLeavers(let before):
            await hub.tellQueueLeavers(before: before, after: record)
        case .handOver(let previousOwnerId, let view):
            await endRemote(ifRunBy: previousOwnerId, reason: "The session went to another technician.")
            await endFileManager(ifRunBy: previousOwnerId, reason: "The session went to another technician.")
            stopScripts(reason: "The session went to another technician.")
            await hub.publish(record, as: view, to: previousOwnerId)
            sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.technicianChanged(.init(name: await hub.technicianName(record.technicianId)))))
        case .refreshPresence(let technicianIds):
            for technicianId in Set(technicianIds + (await hub.queueAudience(of: record))) { await hub.updatePresence(of: technicianId) { _ in } }
        case .logStatus(let state):
            let entry = try await store.appendLog(sessionId: record.id, at: environment.now(), kind: .status, authorRole: .system,
                                                  author: "Lifeline", text: StatusText.entering(state), state: state)
            await hub.publish(entry, to: record)
            sockets.sendToApplet(of: record.id, WireCodec.encode(GatewayToApplet.status(entry)))
        case .sendSurvey:
            await hub.sendSurveyAtEnd(of: record)
        case .endApplet(let reason):
            hub.endApplet(of: id, reason: reason)
        case .followCollaborators(let event):
            await hub.followExternalCollaborators(of: record, event: event)
        }
        return record
    }

}

extension SessionHub {
    /// Who saw the session through a queue (a channel's, a group's it was transferred to) and no
    /// longer does (taken, cancelled, closed) is told it left their queue.
    func tellQueueLeavers(before: SessionRecord, after record: SessionRecord) async {
        let audienceBefore = await queueAudience(of: before)
        guard !audienceBefore.isEmpty else { return }
        let audienceAfter = record.machine.state.isRemovedFromQueue ? [] : await queueAudience(of: record)
        let stillSeeing = Set(audienceAfter).union(await viewers(of: record, includingQueue: false))
        let droppedFor = Set(audienceBefore).subtracting(stillSeeing)
        guard !droppedFor.isEmpty else { return }
        let now = environment.now()
        let gone = SessionMachine(restoring: .closed, role: .lead, resumeState: nil, createdAt: record.machine.createdAt,
                                  stateEnteredAt: now, heldSince: nil, lastActivityAt: now)
        for technicianId in droppedFor.sorted() { await publish(record, as: gone, to: technicianId) }
    }
}
