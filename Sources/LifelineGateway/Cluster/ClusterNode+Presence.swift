import LifelineCore
import LifelineStore

/// Technicians' presence on several gateway nodes (issue 20): each node saves its part (the
/// consoles open on it, the Away chosen there, the last activity) and tells the others, which read
/// the parts again; a node no longer heard from counts for nothing. Colleagues on every node see
/// one status, and a transfer or a channel finds a technician whose console is on another node.
extension ClusterNode {
    func sharePresence(_ share: PresenceBoard.Share, of technicianId: String) async {
        do {
            try await store.savePresence(share.part, of: technicianId, version: share.version)
            hub.outbox.announce(.change(.presence(technicianId)))
        } catch {
            hub.logger.error("Could not share a technician's presence with the other gateway nodes",
                             metadata: ["technician.id": "\(technicianId)", "error": "\(error)"])
        }
    }

    /// Reads the other live nodes' parts of one technician's presence, or of everyone's.
    func readPresence(of technicianId: String? = nil) async {
        do {
            let alive = Set(otherNodeIds)
            let parts = try await store.presenceParts(of: technicianId, notFrom: id).filter { alive.contains($0.part.nodeId) }
            await hub.otherNodesPresence(parts, of: technicianId.map { [$0] })
        } catch {
            hub.logger.error("Could not read technicians' presence on the other gateway nodes",
                             metadata: ["technician.id": "\(technicianId ?? "every")", "error": "\(error)"])
        }
    }
}
