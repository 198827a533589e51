import Foundation
import LifelineCore
import LifelineProtocol

/// The technicians' open consoles.
extension SessionHub {
    func consoleConnected(_ actor: Actor, outlet: Outlet) async {
        sockets.addConsole(outlet, of: actor.id)
        presenceBoard.setOrganisation(actor.technician.organisationId, of: actor.id)
        let sessions = await self.sessions(of: actor, tab: .all)
        outlet.send(WireCodec.encode(GatewayToConsole.snapshot(.init(technicianId: actor.id, sessions: sessions, console: outlet.id.uuidString))))
        let now = environment.now()
        await updatePresence(of: actor.id) {
            $0.openConsoles += 1
            $0.lastActivityAt = now
        }
        await monitoredTechnicianReached(actor.id)
    }

    func consoleDisconnected(technicianId: String, outletId: UUID) async {
        let (removed, wasLast) = sockets.removeConsole(outletId, of: technicianId)
        guard removed else { return }
        if wasLast {
            // Monitorings of and by them follow their status: they may have a console on another node.
            await endRemotes(of: technicianId, reason: "The technician's console closed.")
            await clusterNode.withLockedValue({ $0 })?.consolesClosed(of: technicianId)
        }
        await updatePresence(of: technicianId) { $0.openConsoles = max(0, $0.openConsoles - 1) }
    }

    /// The technician's consoles on another gateway node (one stand-in for them here) closed, or
    /// the link to that node broke.
    func otherNodeConsolesGone(technicianId: String, outletId: UUID) async {
        identities.remove(outletId)
        let (removed, wasLast) = sockets.removeConsole(outletId, of: technicianId)
        guard removed, wasLast else { return }
        await endRemotes(of: technicianId, reason: "The technician's console closed.")
    }

    /// Nobody is left to watch: the customer is told at once instead of being watched by no one,
    /// and a reloaded console can ask again instead of finding the desktop "already running".
    private func endRemotes(of technicianId: String, reason: String) async {
        for record in registry.involving(technicianId) {
            await registry.session(record.id)?.endRemote(ifRunBy: technicianId, reason: reason)
            await registry.session(record.id)?.endFileManager(ifRunBy: technicianId, reason: reason)
            await registry.session(record.id)?.endTechnicianScreen(ifSharedBy: technicianId)
        }
    }

    /// Closes every console of a technician, on every gateway node: on logout and when an administrator disables them.
    func closeConsoles(of technicianId: String, reason: String) async {
        await closeConsolesHere(of: technicianId, reason: reason)
        outbox.announce(.change(.consolesClosed(technicianId: technicianId, reason: reason)))
    }

    func closeConsolesHere(of technicianId: String, reason: String) async {
        sockets.removeConsoles(of: technicianId).forEach { $0.close(reason: reason) }
        monitoredTechnicianLeft(technicianId)
        monitoringAdministratorLeft(technicianId)
        await endRemotes(of: technicianId, reason: "The technician's console closed.")
        await updatePresence(of: technicianId) { $0.openConsoles = 0 }
    }


    /// An administrator changed what the technician may do or is called: their open consoles act
    /// on it from their next message, and the queues they see follow — on every gateway node.
    func consolesChanged(of technicianId: String, accounts: Accounts) async {
        await refreshConsoles(of: technicianId, accounts: accounts)
        outbox.announce(.change(.technician(technicianId)))
    }

    func refreshConsoles(of technicianId: String, accounts: Accounts) async {
        do {
            let actors = try await identities.refresh(technicianId: technicianId) { hash, viaCookie in
                try await accounts.actor(forTokenHash: hash, viaCookie: viaCookie)
            }
            if let actor = actors.first { remember(actor) }
        } catch {
            logger.error("Could not refresh a technician's consoles", metadata: ["technician.id": "\(technicianId)", "error": "\(error)"])
        }
    }
}
