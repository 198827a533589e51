import Foundation
import LifelineCore
import LifelineProtocol

/// Technician status (A6): Online while a console is open and in use, Away by hand or after the
/// inactivity delay, Busy at the active-session threshold, Offline without a console.
extension SessionHub {
    func presence(of technicianId: String) -> TechnicianPresence {
        presenceBoard.presence(of: technicianId, at: environment.now())
    }

    func status(of technicianId: String) -> TechnicianStatus {
        presenceBoard.status(of: technicianId, at: environment.now(), settings: presenceSettings)
    }

    /// Changes one technician's presence and tells their organisation when the status changed; on
    /// several gateway nodes this node's part goes to the others when it changed.
    func updatePresence(of technicianId: String, _ change: (inout TechnicianPresence) -> Void) async {
        // Sessions other nodes serve count toward Busy too.
        let activeSessions = registry.activeCount(of: technicianId) + remoteSessions.activeTypes(of: technicianId, excluding: "").count
        let node = sharedNode
        let (changed, share) = presenceBoard.update(technicianId, activeSessions: activeSessions, at: environment.now(),
                                                    settings: presenceSettings, node: node?.id, change)
        if let changed { await tellColleagues(technicianId, status: changed) }
        // Off the message's path (a chat line must not wait for it); crossing saves keep the later version.
        if let node, let share { Task { await node.sharePresence(share, of: technicianId) } }
    }

    /// The other nodes' parts of these technicians' presences (everyone's when nil), as read now.
    func otherNodesPresence(_ parts: [(technicianId: String, part: TechnicianPresence.Part)], of technicianIds: Set<String>?) async {
        for (technicianId, status) in presenceBoard.setOthers(parts, of: technicianIds, at: environment.now(), settings: presenceSettings) {
            await tellColleagues(technicianId, status: status)
        }
    }

    func recordTechnicianActivity(_ technicianId: String) async {
        let now = environment.now()
        await updatePresence(of: technicianId) { $0.lastActivityAt = now }
    }

    func setAway(_ away: Bool, for actor: Actor) async -> TechnicianStatus {
        let now = environment.now()
        await updatePresence(of: actor.id) {
            $0.manuallyAway = away
            $0.awayChangedAt = now
            $0.lastActivityAt = now
        }
        return status(of: actor.id)
    }

    /// Everyone of the actor's organisation who is not disabled, with their status.
    func colleagues(of actor: Actor) async throws -> [TechnicianStatusView] {
        try await store.technicians(organisationId: actor.technician.organisationId)
            .filter { !$0.disabled }
            .map { TechnicianStatusView(id: $0.id, name: $0.name, status: status(of: $0.id)) }
    }

    /// Re-derives every status (automatic Away needs the clock) and publishes the changes.
    func refreshStatuses() async {
        for (technicianId, status) in presenceBoard.changedWithTime(at: environment.now(), settings: presenceSettings) {
            await tellColleagues(technicianId, status: status)
        }
    }

    private func tellColleagues(_ technicianId: String, status: TechnicianStatus) async {
        await monitoringsFollow(technicianId, status: status)
        guard let organisationId = presenceBoard.organisation(of: technicianId) else { return }
        let message = WireCodec.encode(GatewayToConsole.technicianStatus(
            TechnicianStatusView(id: technicianId, name: await technicianName(technicianId), status: status)))
        for colleague in presenceBoard.technicians(of: organisationId) { sockets.sendToLocalConsoles(of: colleague, message) }
        logger.info("Technician status changed", metadata: ["technician.id": "\(technicianId)", "technician.status": "\(status.rawValue)"])
    }
}
