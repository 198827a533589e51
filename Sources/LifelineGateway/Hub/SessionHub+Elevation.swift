import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The elevated restart of the applet (J3): the owner of an active session, with elevate_applet,
/// sends the customer machine's administrator credentials; the applet restarts itself with root
/// rights and reconnects into the same session. The credentials pass through, never kept or logged.
extension SessionHub {
    func elevateApplet(_ credentials: ElevationCredentials, on id: String, by actor: Actor) async throws {
        let record = try await ownedActiveSession(id, by: actor, permission: .elevateApplet,
                                                  activeOnly: "The applet can be restarted with administrator rights")
        guard credentials.isValid else {
            throw GatewayError.badRequest("Enter a user name (up to 128 characters) and a password (up to 256), on one line each.")
        }
        let applet = try connectedApplet(of: id)
        if record.customer?.privileged == true {
            throw GatewayError(.alreadyElevated, "The applet already runs with administrator rights.")
        }
        applet.send(WireCodec.encode(GatewayToApplet.elevate(.init(credentials: credentials, technicianName: actor.technician.name))))
        try await logEvent(.elevationRequested(technician: actor.technician.name), in: record)
    }

    func appletElevationFailed(reason: String, sessionId: String, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: sessionId), let record = registry.record(sessionId) else { return }
        await note(.elevationFailed(reason: String(reason.prefix(200))), in: record)
    }

    /// Said in the log when an applet comes back with other rights than before.
    static func privilegeChange(from before: CustomerInfo?, to after: CustomerInfo) -> SessionLogEvent? {
        guard let before, before.privileged != after.privileged else { return nil }
        return after.privileged ? .elevated : .unelevated
    }
}
