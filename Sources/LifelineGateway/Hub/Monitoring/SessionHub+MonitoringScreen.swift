import Foundation
import LifelineCore
import LifelineProtocol

/// The monitored technician's screen (E1): the administrator asks, the technician's console asks
/// them (their browser's picker is their agreement), and the pictures go up their console socket
/// as binary frames named `monitoring:<id>` — the layout of the remote desktop's — on to the
/// administrator's consoles on every node (the monitoring's node gets them from any node: its id
/// names it); the administrator's acknowledgements pace the sharer.
extension SessionHub {
    static let monitoringFramePrefix = "monitoring:"

    /// The monitoring a binary frame's or acknowledgement's id names, if it names one.
    static func monitoringId(fromFrameId id: String) -> String? {
        id.hasPrefix(monitoringFramePrefix) ? String(id.dropFirst(monitoringFramePrefix.count)) : nil
    }

    func askMonitoredScreen(_ id: String, by actor: Actor) throws -> MonitoringSummary {
        let entry = try changeMonitoring(id, by: actor) { monitoring throws(TechnicianMonitoring.Refusal) in try monitoring.askScreen() }
        tellTechnicianAboutScreen(entry, watching: true)
        return entry.summary
    }

    func stopMonitoredScreen(_ id: String, by actor: Actor) throws -> MonitoringSummary {
        let entry = try changeMonitoring(id, by: actor) { monitoring throws(TechnicianMonitoring.Refusal) in monitoring.stopScreen() }
        tellTechnicianAboutScreen(entry, watching: false)
        return entry.summary
    }

    /// The technician shared (after picking a screen), declined, or stopped sharing.
    func monitoredScreenAnswered(_ answer: MonitorScreenAnswer, by actor: Actor) throws {
        let changed: MonitoringBoard.Entry?
        do throws(TechnicianMonitoring.Refusal) {
            changed = try monitorings.changeWatched(answer.monitoringId, of: actor.id) { monitoring throws(TechnicianMonitoring.Refusal) in
                try monitoring.screenAnswered(shared: answer.shared)
            }
        } catch {
            throw GatewayError.monitoring(error)
        }
        guard let changed else { throw Self.monitoringNotFound }
        tellAdministrator(changed)
    }

    /// A picture of the technician's screen, to the administrator's consoles; only while they share it.
    func monitoredScreenFrame(_ frame: [UInt8], whole: [UInt8], monitoring id: String, by technicianId: String) throws {
        guard let entry = monitorings.watchedEntry(id, of: technicianId), entry.monitoring.screen == .shared else {
            throw GatewayError(.unexpectedFrame, "Nobody is watching your screen in this monitoring: the picture was dropped.")
        }
        // Pictures of one screen: an administrator's second console could not join a video midway.
        try GatewayError.checkTechnicianPicture(frame, toApplet: false)
        sockets.sendToConsoles(of: entry.monitoring.administratorId, binary: whole)
    }

    /// The administrator's console drew a picture: the technician's consoles may send the next.
    func monitoredScreenDrawn(_ sequence: UInt32, monitoring id: String, by actor: Actor) {
        guard let entry = monitorings.entry(id, of: actor.id), entry.monitoring.screen == .shared else { return }
        sockets.sendToConsoles(of: entry.monitoring.technicianId, WireCodec.encode(GatewayToConsole.technicianScreenAck(
            .init(sessionId: Self.monitoringFramePrefix + id, sequence: sequence))))
    }

    /// The technician's consoles learn the administrator wants their screen, or no longer does
    /// (also when the monitoring ends): a sharing console stops.
    func tellTechnicianAboutScreen(_ entry: MonitoringBoard.Entry, watching: Bool) {
        sockets.sendToConsoles(of: entry.monitoring.technicianId, WireCodec.encode(GatewayToConsole.monitorScreenRequest(.init(
            monitoringId: entry.monitoring.id, administratorName: entry.administratorName, watching: watching))))
    }

    private func changeMonitoring(_ id: String, by actor: Actor,
                                  _ body: (inout TechnicianMonitoring) throws(TechnicianMonitoring.Refusal) -> Void) throws -> MonitoringBoard.Entry {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        let changed: MonitoringBoard.Entry?
        do throws(TechnicianMonitoring.Refusal) {
            changed = try monitorings.change(id, of: actor.id, body)
        } catch {
            throw GatewayError.monitoring(error)
        }
        guard let changed else { throw Self.monitoringNotFound }
        tellAdministrator(changed)
        return changed
    }
}
