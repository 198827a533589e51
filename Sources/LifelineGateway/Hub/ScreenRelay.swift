import Foundation
import LifelineCore
import LifelineProtocol
import NIOConcurrencyHelpers

/// Where each running remote desktop's traffic goes, readable without the hub: an applet's screen
/// and pointer frames go from its socket straight to the owner's consoles, and the owner's input
/// and frame acknowledgements straight back to the applet, never queueing behind other sessions'
/// work in the hub actor. The hub keeps the routes current (`SessionHub.remotes`, `applets` and
/// `consoles` update them as they change) and collects the activity input stands for on its ticks.
final class ScreenRelay: Sendable {
    /// A remote desktop passing frames on: its owner, the applet's socket, and whether the owner
    /// controls it (remote control, not view).
    struct Route: Sendable {
        let technicianId: String
        let applet: Outlet
        let controls: Bool
    }

    private struct Routes {
        var sessions: [String: Route] = [:]
        var consoles: [String: [Outlet]] = [:]
        /// When input last went on, per session and per technician, since the hub last collected it.
        var sessionActivity: [String: Date] = [:]
        var technicianActivity: [String: Date] = [:]
    }

    private let routes = NIOLockedValueBox(Routes())

    func setSessions(_ sessions: [String: Route]) {
        routes.withLockedValue { $0.sessions = sessions }
    }

    func setConsoles(_ consoles: [String: [Outlet]]) {
        routes.withLockedValue { $0.consoles = consoles }
    }

    /// Passes a frame of `sessionId`'s applet (socket `outletId`) to the owner's consoles; false
    /// when no remote desktop of that socket is passing frames, or the frame is malformed.
    func forward(_ frame: [UInt8], sessionId: String, from outletId: UUID) -> Bool {
        let targets = routes.withLockedValue { routes -> [Outlet]? in
            guard let route = routes.sessions[sessionId], route.applet.id == outletId else { return nil }
            return routes.consoles[route.technicianId] ?? []
        }
        guard let targets else { return false }
        do { try ScreenUpdate.validateAnyKind(frame) } catch { return false }
        let id = Array(sessionId.utf8)
        let message = [UInt8(id.count)] + id + frame
        for console in targets { console.send(binary: message) }
        return true
    }

    /// The owner's mouse and keyboard, straight to the applet while their remote control runs and
    /// their group allows it. False otherwise: the hub then answers why (not running, view only,
    /// not permitted, not their session, bad events), as it always has.
    func forwardInput(_ events: [InputEvent], sessionId: String, technicianId: String, permissions: PermissionSet, at now: Date) -> Bool {
        guard permissions.allows(.remoteControl), Self.isAcceptable(events) else { return false }
        let applet = routes.withLockedValue { routes -> Outlet? in
            guard let route = routes.sessions[sessionId], route.technicianId == technicianId, route.controls else { return nil }
            routes.sessionActivity[sessionId] = now
            routes.technicianActivity[technicianId] = now
            return route.applet
        }
        guard let applet else { return false }
        applet.send(WireCodec.encode(GatewayToApplet.input(events)))
        return true
    }

    /// The owner's console drew a frame: the applet may send the next (flow control, J7).
    func forwardFrameAck(_ sequence: UInt32, sessionId: String, technicianId: String) -> Bool {
        let applet = routes.withLockedValue { routes -> Outlet? in
            guard let route = routes.sessions[sessionId], route.technicianId == technicianId else { return nil }
            return route.applet
        }
        guard let applet else { return false }
        applet.send(WireCodec.encode(GatewayToApplet.frameAck(sequence: sequence)))
        return true
    }

    /// The activity input stood for since the last call, and forgets it.
    func takeActivity() -> (sessions: [String: Date], technicians: [String: Date]) {
        routes.withLockedValue { routes in
            defer { routes.sessionActivity = [:]; routes.technicianActivity = [:] }
            return (routes.sessionActivity, routes.technicianActivity)
        }
    }

    /// Input events in one message at most.
    static let maximumInputEvents = 200

    /// One message's input: not too many events, each one valid. The hub's refusal uses it too.
    static func isAcceptable(_ events: [InputEvent]) -> Bool {
        events.count <= maximumInputEvents && events.allSatisfy(\.isValid)
    }
}
