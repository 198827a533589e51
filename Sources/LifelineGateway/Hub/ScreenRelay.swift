import Foundation
import LifelineProtocol
import NIOConcurrencyHelpers

/// Where each running remote desktop's screen goes, readable without the hub: an applet's screen
/// and pointer frames go from its socket straight to the owner's consoles, never queueing behind
/// other sessions' work in the hub actor. The hub keeps the routes current (`SessionHub.remotes`,
/// `applets` and `consoles` update them as they change).
final class ScreenRelay: Sendable {
    private struct Routes {
        /// Sessions whose remote desktop passes frames on: the owner, and the applet socket allowed to send.
        var sessions: [String: (technicianId: String, appletOutletId: UUID)] = [:]
        var consoles: [String: [Outlet]] = [:]
    }

    private let routes = NIOLockedValueBox(Routes())

    func setSessions(_ sessions: [String: (technicianId: String, appletOutletId: UUID)]) {
        routes.withLockedValue { $0.sessions = sessions }
    }

    func setConsoles(_ consoles: [String: [Outlet]]) {
        routes.withLockedValue { $0.consoles = consoles }
    }

    /// Passes a frame of `sessionId`'s applet (socket `outletId`) to the owner's consoles; false
    /// when no remote desktop of that socket is passing frames, or the frame is malformed.
    func forward(_ frame: [UInt8], sessionId: String, from outletId: UUID) -> Bool {
        let targets = routes.withLockedValue { routes -> [Outlet]? in
            guard let route = routes.sessions[sessionId], route.appletOutletId == outletId else { return nil }
            return routes.consoles[route.technicianId] ?? []
        }
        guard let targets else { return false }
        do { try ScreenUpdate.validateAnyKind(frame) } catch { return false }
        let id = Array(sessionId.utf8)
        let message = [UInt8(id.count)] + id + frame
        for console in targets { console.send(binary: message) }
        return true
    }
}
