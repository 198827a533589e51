import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// A technician with an open console and an active session whose "applet" is a socket probe.
struct RemoteScene {
    let gw: GatewayHarness
    let token: String
    let console: SocketProbe
    let applet: SocketProbe
    let appletToken: String
    let sessionId: String
    /// The console socket's id, from its snapshot: its page's workers name it (issue 23).
    let consoleId: String

    static func make(_ gw: GatewayHarness, permissions: [String]? = nil) async throws -> RemoteScene {
        var token = try await gw.login()
        if let permissions {
            token = try await gw.technician(named: "Rita", permissions: ["start_private_sessions", "connect_by_pin"] + permissions,
                                            adminToken: token)
        }
        let (console, consoleId) = try await openConsole(gw, token: token)
        let (id, pin) = try await gw.createSession(token: token)
        let (applet, appletToken) = try await gw.connectApplet(pin: pin)
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
        return RemoteScene(gw: gw, token: token, console: console, applet: applet, appletToken: appletToken, sessionId: id,
                           consoleId: consoleId)
    }

    /// A console socket and its id, once its snapshot came.
    static func openConsole(_ gw: GatewayHarness, token: String) async throws -> (SocketProbe, String) {
        let console = gw.console(token: token)
        let snapshot = try await console.expect(GatewayToConsole.self, within: 20) { if case .snapshot = $0 { true } else { false } }
        guard case .snapshot(let first) = snapshot, let consoleId = first.console else { throw HarnessError("the snapshot names no console") }
        return (console, consoleId)
    }

    func ask(_ mode: RemoteMode = .control) { console.send(ConsoleToGateway.remoteRequest(.init(sessionId: sessionId, mode: mode))) }

    func expectRemote(_ phase: RemotePhase) async throws -> RemoteStatus {
        let message = try await console.expect(GatewayToConsole.self) {
            if case .remote(let s) = $0 { s.sessionId == sessionId && s.phase == phase } else { false }
        }
        guard case .remote(let status) = message else { throw HarnessError("not a remote status") }
        return status
    }

    func expectError(_ code: String) async throws {
        _ = try await console.expect(GatewayToConsole.self) { if case .error(let failure) = $0 { failure.code == code } else { false } }
    }

    func accept() async throws {
        _ = try await applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
        applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
        _ = try await expectRemote(.active)
    }

    static let frame = ScreenUpdate(sequence: 1, screenWidth: 64, screenHeight: 64,
                                    tiles: [.init(x: 0, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: [0xFF, 0xD8, 0xFF, 0xD9])])
}

@Suite("Remote desktop through the gateway (J1, J2)")
struct RemoteDesktopGatewayTests {
    @Test("View desktop then Remote control: the view ends, the customer is asked for control, and control runs (issue 14, item 20)")
    func viewSwitchesToControl() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask(.view)
            try await scene.accept()
            scene.ask(.control)
            let ended = try await scene.expectRemote(.ended)
            #expect(ended.mode == .view)
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteStop = $0 { true } else { false } }
            let asked = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            guard case .remoteRequest(let message) = asked else { return }
            let mode = message.mode
            #expect(mode == .control, "the customer is asked for control: it needs its own consent")
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            let active = try await scene.expectRemote(.active)
            #expect(active.mode == .control)
            await scene.applet.close()
        }
    }

    @Test("request, consent, frames to the console with the session id, input and acks to the applet, the red X")
    func lifeCycle() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask()
            _ = try await scene.expectRemote(.requested)
            let request = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(request == .remoteRequest(.init(mode: .control, technicianName: "Administrator")))
            // Frames before the customer accepts are not passed on.
            scene.applet.send(binary: RemoteScene.frame.encoded())
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .error(let failure) = $0 { failure.code == "unexpected_frame" } else { false } }
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            _ = try await scene.expectRemote(.active)

            scene.applet.send(binary: RemoteScene.frame.encoded())
            let received = try #require(await scene.console.nextBinary())
            let id = Array(scene.sessionId.utf8)
            #expect(Array(received.prefix(1 + id.count)) == [UInt8(id.count)] + id)
            #expect(try ScreenUpdate.decode(Array(received.dropFirst(1 + id.count))) == RemoteScene.frame)

            scene.console.send(ConsoleToGateway.frameAck(.init(sessionId: scene.sessionId, sequence: 1)))
            _ = try await scene.applet.expectAcknowledgement { $0.sequence == 1 }
            let events: [InputEvent] = [.button(button: 1, down: true, x: 5, y: 6), .key(keysym: 0x61, down: true)]
            scene.console.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: events)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .input(events) }

            scene.console.send(ConsoleToGateway.remoteSettings(.init(sessionId: scene.sessionId, quality: .veryLow)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .remoteSettings(.init(quality: .veryLow)) }

            scene.console.send(ConsoleToGateway.remoteStop(.init(sessionId: scene.sessionId)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteStop = $0 { true } else { false } }
            _ = try await scene.expectRemote(.ended)
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "active", "the session stays active")
            await scene.applet.close()
        }
    }

    @Test("the technician's console closing (a reload) ends the remote desktop: the customer is told, the new console can ask again")
    func consoleReloadEndsTheRemoteDesktop() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask()
            try await scene.accept()
            await scene.console.close()
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteStop = $0 { true } else { false } }
            let console = gw.console(token: scene.token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            console.send(ConsoleToGateway.remoteRequest(.init(sessionId: scene.sessionId, mode: .control)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "active")
            await scene.applet.close()
        }
    }

    @Test("without remote_control the request is refused; view only refuses input; input before consent is refused")
    func permissionsAndModes() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw, permissions: ["desktop_view"])
            scene.ask(.control)
            try await scene.expectError("permission_denied")
            // Without remote_control, input is refused for that reason whatever runs (the matrix's order).
            scene.console.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: [.move(x: 1, y: 1)])))
            try await scene.expectError("permission_denied")
            scene.ask(.view)
            try await scene.accept()
            scene.console.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: [.move(x: 1, y: 1)])))
            try await scene.expectError("permission_denied")
            await scene.applet.close()

            // With remote_control: input before consent is refused, and in view mode too.
            let allowed = try await RemoteScene.make(gw)
            allowed.console.send(ConsoleToGateway.remoteInput(.init(sessionId: allowed.sessionId, events: [.move(x: 1, y: 1)])))
            try await allowed.expectError("remote_not_running")
            allowed.ask(.view)
            try await allowed.accept()
            allowed.console.send(ConsoleToGateway.remoteInput(.init(sessionId: allowed.sessionId, events: [.move(x: 1, y: 1)])))
            try await allowed.expectError("view_only")
            await allowed.applet.close()
        }
    }

    @Test("a screenshot needs take_screenshots and a running desktop, and is logged")
    func screenshots() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw, permissions: ["desktop_view"])
            let path = "/api/v1/sessions/\(scene.sessionId)/screenshots"
            #expect(try await gw.request(.post, path, token: scene.token).status == .forbidden)
            let admin = try await RemoteScene.make(gw)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(admin.sessionId)/screenshots", token: admin.token).errorCode == "remote_not_running")
            admin.ask(.view)
            try await admin.accept()
            #expect(try await gw.request(.post, "/api/v1/sessions/\(admin.sessionId)/screenshots", token: admin.token).status == .noContent)
            let log = try await gw.request(.get, "/api/v1/sessions/\(admin.sessionId)/log", token: admin.token).array()
            #expect(log.contains { ($0["text"] as? String) == "Administrator took a screenshot of the customer's screen." })
            await scene.applet.close()
            await admin.applet.close()
        }
    }

    @Test("hold ends the remote desktop; the customer's refusal and revocation reach the console")
    func endings() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask()
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: false)))
            _ = try await scene.expectRemote(.denied)

            scene.ask()
            try await scene.accept()
            scene.applet.send(AppletToGateway.remoteEnded(.init(reason: "The customer took back control.")))
            #expect(try await scene.expectRemote(.ended).reason == "The customer took back control.")

            scene.ask()
            try await scene.accept()
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/hold", token: scene.token)
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteStop = $0 { true } else { false } }
            _ = try await scene.expectRemote(.ended)
            scene.ask()
            try await scene.expectError("session_not_active")
            await scene.applet.close()
        }
    }

    @Test("another technician cannot ask for, drive or watch someone else's session")
    func otherTechnicians() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let other = try await gw.technician(named: "Otto", permissions: ["remote_control", "desktop_view"], adminToken: scene.token)
            let otherConsole = gw.console(token: other)
            _ = try await otherConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            otherConsole.send(ConsoleToGateway.remoteRequest(.init(sessionId: scene.sessionId, mode: .view)))
            _ = try await otherConsole.expect(GatewayToConsole.self) { if case .error(let failure) = $0 { failure.code == "session_not_found" } else { false } }
            scene.ask()
            try await scene.accept()
            otherConsole.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: [.key(keysym: 0x61, down: true)])))
            _ = try await otherConsole.expect(GatewayToConsole.self) { if case .error(let failure) = $0 { failure.code == "session_not_found" } else { false } }
            scene.applet.send(binary: RemoteScene.frame.encoded())
            #expect(await otherConsole.nextBinary(within: 0.5) == nil, "frames go to the owner's consoles only")
            await scene.applet.close()
        }
    }
}
