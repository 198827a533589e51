import Foundation
import LifelineCore
import LifelineProtocol
import NIOConcurrencyHelpers

/// Where each running remote desktop's traffic goes, readable without the hub: an applet's screen
/// and pointer frames go from its socket straight to the consoles of everyone who sees it (the
/// lead and the colleagues, issue 21; `ScreenFanOut` decides), the controller's input and the
/// quickest console's frame acknowledgements straight back to the applet, never queueing behind
/// other sessions' work in the session's actor. Each session keeps its route current (`LiveSession.remote` updates it as
/// it changes), the sockets are the directory's, and the hub collects the activity input stands
/// for on its ticks.
final class ScreenRelay: Sendable {
    /// A remote desktop passing frames on: its lead, the colleagues who see it too, the external
    /// collaborators watching from the full console (I2), and whose input passes (control mode;
    /// nil in view mode).
    struct Route: Equatable, Sendable {
        let technicianId: String
        let colleagues: Set<String>
        /// External collaborators' ids: they watch, never control.
        let externals: Set<String>
        let controller: String?
        /// The applet is acknowledged in binary (`FrameAcknowledgement`); a browser sharing its
        /// screen, with `frame_ack` texts.
        let customerIsApplet: Bool

        init(technicianId: String, colleagues: Set<String> = [], externals: Set<String> = [], controller: String?,
             customerIsApplet: Bool = true) {
            self.technicianId = technicianId
            self.colleagues = colleagues
            self.externals = externals
            self.controller = controller
            self.customerIsApplet = customerIsApplet
        }

        /// The technicians who see it.
        var viewers: Set<String> { colleagues.union([technicianId]) }

        /// Whether `viewer` (a technician's id, or `ScreenRelay.external(_:)` of a collaborator's) sees it.
        func sees(_ viewer: String) -> Bool {
            viewers.contains(viewer) || externals.contains { ScreenRelay.external($0) == viewer }
        }
    }

    /// How an external collaborator is named among the viewers, apart from every technician's id.
    static func external(_ collaboratorId: String) -> String { "external:" + collaboratorId }

    private struct Stream {
        var route: Route
        var fanOut = ScreenFanOut()
    }

    private struct Routes {
        var sessions: [String: Stream] = [:]
        /// When input last went on, per session and per technician, since the hub last collected it.
        var sessionActivity: [String: Date] = [:]
        var technicianActivity: [String: Date] = [:]
    }

    private let routes = NIOLockedValueBox(Routes())
    private let sockets: SocketDirectory

    init(sockets: SocketDirectory) {
        self.sockets = sockets
    }

    /// The session's route, or nil while its remote desktop passes no frames. Consoles that came
    /// with it wait for the whole screen, asked of the applet now.
    func setRoute(_ route: Route?, for sessionId: String) {
        guard let route else {
            routes.withLockedValue { $0.sessions[sessionId] = nil }
            return
        }
        let consoles = viewerConsoles(route, of: sessionId)
        let askRefresh = routes.withLockedValue { routes -> Bool in
            var stream = routes.sessions[sessionId] ?? Stream(route: route)
            stream.route = route
            defer { routes.sessions[sessionId] = stream }
            return stream.fanOut.consolesChanged(consoles.technicians)
        }
        if askRefresh { sockets.sendToApplet(of: sessionId, WireCodec.encode(GatewayToApplet.screenRefresh)) }
    }

    /// Passes a frame of `sessionId`'s applet (socket `outletId`) to the consoles that see it;
    /// false when no remote desktop of that socket is passing frames, or the frame is malformed.
    func forward(_ frame: [UInt8], sessionId: String, from outletId: UUID) -> Bool {
        guard let route = routes.withLockedValue({ $0.sessions[sessionId]?.route }),
              let applet = sockets.applet(of: sessionId), applet.id == outletId else { return false }
        let consoles = viewerConsoles(route, of: sessionId)
        let prefix = Self.prefix(sessionId)
        if frame.count > 2, frame[0] == ScreenUpdate.magic, frame[2] == ScreenUpdate.Kind.cursor.rawValue {
            // The pointer: a few bytes outside flow control, to everyone, on the page (it is drawn there).
            do { _ = try CursorUpdate.decode(frame) } catch { return false }
            let message = prefix + frame
            for console in consoles.pages { console.send(binary: message) }
            return true
        }
        let update: ScreenUpdate
        do { update = try ScreenUpdate.decode(frame) } catch { return false }
        guard let decision = routes.withLockedValue({ routes -> ScreenFanOut.Decision? in
            guard routes.sessions[sessionId]?.route == route else { return nil }
            return routes.sessions[sessionId]?.fanOut.received(update, consoles: consoles.technicians)
        }) else { return false }
        carry(decision, frame: prefix + frame, prefix: prefix, consoles: consoles.outlets, applet: applet, route: route)
        RelayMetrics.screenFrames.increment()
        RelayMetrics.screenBytes.increment(by: Int64(frame.count))
        return true
    }

    /// Mouse and keyboard of the technician in control, straight to the applet while their remote
    /// control runs and their group allows it. False otherwise: the hub then answers why (not
    /// running, view only, not in control, not permitted, not their session, bad events).
    func forwardInput(_ events: [InputEvent], sessionId: String, technicianId: String, permissions: PermissionSet, at now: Date) -> Bool {
        guard permissions.allows(.remoteControl), Self.isAcceptable(events) else { return false }
        guard let applet = sockets.applet(of: sessionId) else { return false }
        let passes = routes.withLockedValue { routes -> Bool in
            guard routes.sessions[sessionId]?.route.controller == technicianId else { return false }
            routes.sessionActivity[sessionId] = now
            routes.technicianActivity[technicianId] = now
            return true
        }
        guard passes else { return false }
        applet.send(WireCodec.encode(GatewayToApplet.input(events)))
        return true
    }

    /// A console drew a frame: it may have what it missed, and the applet may send the next
    /// when it is the quickest (flow control, J7). `viewer`: the technician's id, or
    /// `external(_:)` of a collaborator's. False when that console sees no such screen.
    /// `video`: that console decodes video tiles; `lostTrack`: it wants the whole screen (issue 23).
    func forwardFrameAck(_ sequence: UInt32, sessionId: String, viewer: String, console: UUID, video: Bool = false,
                         lostTrack: Bool = false) -> Bool {
        guard let route = routes.withLockedValue({ $0.sessions[sessionId]?.route }), route.sees(viewer),
              let applet = sockets.applet(of: sessionId) else { return false }
        guard let decision = routes.withLockedValue({
            $0.sessions[sessionId]?.fanOut.acknowledged(sequence, by: console, technicianId: viewer, video: video, lostTrack: lostTrack)
        }) else { return false }
        let outlets = decision.sends.isEmpty ? [:] : viewerConsoles(route, of: sessionId).outlets
        carry(decision, frame: [], prefix: Self.prefix(sessionId), consoles: outlets, applet: applet, route: route)
        return true
    }

    /// Sends what the fan-out decided.
    private func carry(_ decision: ScreenFanOut.Decision, frame: [UInt8], prefix: [UInt8], consoles: [UUID: Outlet], applet: Outlet,
                       route: Route) {
        for (console, payload) in decision.sends {
            guard let outlet = consoles[console] else { continue }
            switch payload {
            case .asReceived: outlet.send(binary: frame)
            case .merged(let update):
                outlet.send(binary: prefix + update.encoded())
                RelayMetrics.mergedScreenFrames.increment()
            }
        }
        if let sequence = decision.acknowledgeApplet {
            if route.customerIsApplet {
                applet.send(binary: FrameAcknowledgement(sequence: sequence, video: decision.video).encoded())
            } else {
                applet.send(WireCodec.encode(GatewayToApplet.frameAck(.init(sequence: sequence, video: decision.video ? true : nil))))
            }
        }
        if decision.askRefresh { applet.send(WireCodec.encode(GatewayToApplet.screenRefresh)) }
    }

    /// A console that sees the screen opened (an external collaborator's, which comes after
    /// their view changed), or a console's worker opened or closed the socket its updates go on
    /// (issue 23): it waits for the whole screen, asked of the applet now.
    func consoleOpened(in sessionId: String) {
        guard let route = routes.withLockedValue({ $0.sessions[sessionId]?.route }) else { return }
        setRoute(route, for: sessionId)
    }

    /// Where everyone who sees the screen gets its updates, with whose they are: each open
    /// console, or the socket its worker opened for this screen (issue 23: a viewer of its own,
    /// which starts from a whole screen); `pages`: the consoles themselves, where the pointer is drawn.
    private func viewerConsoles(_ route: Route, of sessionId: String) -> (outlets: [UUID: Outlet], technicians: [UUID: String], pages: [Outlet]) {
        var outlets: [UUID: Outlet] = [:], technicians: [UUID: String] = [:], pages: [Outlet] = []
        for technicianId in route.viewers {
            for console in sockets.consoles(of: technicianId) {
                let updates = sockets.screens(ofConsole: console.id, session: sessionId) ?? console
                outlets[updates.id] = updates
                technicians[updates.id] = technicianId
                pages.append(console)
            }
        }
        for collaboratorId in route.externals {
            guard let console = sockets.collaborator(collaboratorId) else { continue }
            outlets[console.id] = console
            technicians[console.id] = Self.external(collaboratorId)
            pages.append(console)
        }
        return (outlets, technicians, pages)
    }

    /// Where a frame another gateway node passed on for `console` goes (issue 23): a screen update
    /// of a session to the socket the console's worker opened for it, anything else (the pointer,
    /// a monitored screen) to the console itself.
    func updatesOutlet(for console: Outlet, frame: [UInt8]) -> Outlet {
        guard let idLength = frame.first.map(Int.init), idLength > 0, frame.count > 3 + idLength,
              let sessionId = String(validating: frame[1...idLength], as: UTF8.self) else { return console }
        let update = frame[(1 + idLength)...]
        let isCursor = update[update.startIndex] == ScreenUpdate.magic && update[update.startIndex + 2] == ScreenUpdate.Kind.cursor.rawValue
        return isCursor ? console : sockets.screens(ofConsole: console.id, session: sessionId) ?? console
    }

    /// A binary frame to a console starts with its session's id (length byte, then the id).
    private static func prefix(_ sessionId: String) -> [UInt8] {
        let id = Array(sessionId.utf8)
        return [UInt8(id.count)] + id
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
