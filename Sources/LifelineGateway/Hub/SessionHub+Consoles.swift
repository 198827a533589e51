import Foundation
import LifelineCore
import LifelineProtocol

/// The technicians' open consoles.
extension SessionHub {
    func consoleConnected(_ actor: Actor, outlet: Outlet) async {
        consoles[actor.id, default: [:]][outlet.id] = outlet
        let sessions = await self.sessions(of: actor, tab: .all)
        outlet.send(WireCodec.encode(GatewayToConsole.snapshot(technicianId: actor.id, sessions: sessions)))
    }

    func consoleDisconnected(technicianId: String, outletId: UUID) {
        consoles[technicianId]?[outletId] = nil
        if consoles[technicianId]?.isEmpty == true { consoles[technicianId] = nil }
    }

    /// Closes every console of a technician: on logout and when an administrator disables them.
    func closeConsoles(of technicianId: String, reason: String) {
        consoles.removeValue(forKey: technicianId)?.values.forEach { $0.close(reason: reason) }
    }

    func openConsoleCount(of technicianId: String) -> Int { consoles[technicianId]?.count ?? 0 }
}
