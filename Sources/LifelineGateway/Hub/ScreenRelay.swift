import Foundation
import LifelineCore
import LifelineProtocol
import NIOConcurrencyHelpers

/// Where each running remote desktop's traffic goes, readable without the hub: an applet's screen
/// and pointer frames go from its socket straight to the owner's consoles, and the owner's input
/// and frame acknowledgements straight back to the applet, never queueing behind other sessions'
/// work in the session's actor. Each session keeps its route current (`LiveSession.remote` updates it as
/// it changes), the sockets are the directory's, and the hub collects the activity input stands
/// for on its ticks.
final class ScreenRelay: Sendable {
    /// A remote desktop passing frames on: its owner, and whether the owner controls it (remote
    /// control, not view).
    struct Route: Sendable {
        let technicianId: String
        let controls: Bool
    }

    private struct Routes {
        var sessions: [String: Route] = [:]
        /// When input last went on, per session and per technician, since the hub last collected it.
        var sessionActivity: [String: Date] = [:]
        var technicianActivity: [String: Date] = [:]
    }

    private let routes = NIOLockedValueBox(Routes())
    private let sockets: SocketDirectory

    init(sockets: SocketDirectory) {
        self.sockets = sockets
    }

    /// The session's route, or nil while its remote desktop passes no frames.
    func setRoute(_ route: Route?, for sessionId: String) {
        routes.withLockedValue { $0.sessions[sessionId] = route }
    }

    /// Passes a frame of `sessionId`'s applet (socket `outletId`) to the owner's consoles; false
    /// when no remote desktop of that socket is passing frames, or the frame is malformed.
    func forward(_ frame: [UInt8], sessionId: String, from outletId: UUID) -> Bool {
        guard let technicianId = routes.withLockedValue({ $0.sessions[sessionId]?.technicianId }),
              sockets.isApplet(outletId, of: sessionId) else { return false }
        let targets = sockets.consoles(of: technicianId)
        do { try ScreenUpdate.validateAnyKind(frame) } catch { return false }
        let id = Array(sessionId.utf8)
        let message = [UInt8(id.count)] + id + frame
        for console in targets { console.send(binary: message) }
        RelayMetrics.screenFrames.increment()
        RelayMetrics.screenBytes.increment(by: Int64(frame.count))
        return true
    }

    /// The owner's mouse and keyboard, straight to the applet while their remote control runs and
    /// their group allows it. False otherwise: the hub then answers why (not running, view only,
    /// not permitted, not their session, bad events), as it always has.
    func forwardInput(_ events: [InputEvent], sessionId: String, technicianId: String, permissions: PermissionSet, at now: Date) -> Bool {
        guard permissions.allows(.remoteControl), Self.isAcceptable(events) else { return false }
        guard let applet = sockets.applet(of: sessionId) else { return false }
        let passes = routes.withLockedValue { routes -> Bool in
            guard let route = routes.sessions[sessionId], route.technicianId == technicianId, route.controls else { return false }
            routes.sessionActivity[sessionId] = now
            routes.technicianActivity[technicianId] = now
            return true
        }
        guard passes else { return false }
        applet.send(WireCodec.encode(GatewayToApplet.input(events)))
        return true
    }

    /// The owner's console drew a frame: the applet may send the next (flow control, J7).
    func forwardFrameAck(_ sequence: UInt32, sessionId: String, technicianId: String) -> Bool {
        guard routes.withLockedValue({ $0.sessions[sessionId]?.technicianId == technicianId }),
              let applet = sockets.applet(of: sessionId) else { return false }
        applet.send(WireCodec.encode(GatewayToApplet.frameAck(.init(sequence: sequence))))
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
