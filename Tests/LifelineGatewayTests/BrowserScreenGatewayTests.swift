import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

/// A browser customer shows their screen (issue 16, item 3): view only, frames through the gateway,
/// every tool that would act on the customer's side refused per message.
@Suite("Browser screen sharing: view only, frames through the gateway")
struct BrowserScreenGatewayTests {
    static func customer(_ screen: BrowserScreen?) -> CustomerInfo {
        CustomerInfo(hostname: "", user: "", platform: "Browser (Win32)", client: .browser, browserScreen: screen)
    }

    /// A started session whose customer joined from a browser, with or without a screen to share.
    static func scene(_ gw: GatewayHarness, screen: BrowserScreen?) async throws -> RemoteScene {
        let token = try await gw.login()
        let (console, consoleId) = try await RemoteScene.openConsole(gw, token: token)
        let (id, pin) = try await gw.createSession(token: token, name: "Wanda")
        let appletToken = try await gw.join(pin: pin).json()["appletToken"] as! String
        let browser = SocketProbe(port: gw.port, path: "/ws/applet")
        browser.send(AppletToGateway.hello(.init(token: appletToken, appletVersion: "instant-chat", customer: Self.customer(screen))))
        _ = try await browser.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
        return RemoteScene(gw: gw, token: token, console: console, applet: browser, appletToken: appletToken, sessionId: id,
                           consoleId: consoleId)
    }

    static func logCodes(_ scene: RemoteScene) async throws -> [String] {
        try await scene.gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array()
            .compactMap { ($0["event"] as? [String: Any])?["code"] as? String }
    }

    @Test("chosen: control refused with browser_view_only; the view is asked, its frames reach the console; customer-side tools refused")
    func viewOnly() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await Self.scene(gw, screen: .chosen)
            #expect(try await Self.logCodes(scene).contains("joined_to_show_screen"))

            scene.ask(.control)
            try await scene.expectError("browser_view_only")
            scene.ask(.view)
            let request = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(request == .remoteRequest(.init(mode: .view, technicianName: "Administrator", webrtc: WebRTCSetup(iceServers: []))))
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            _ = try await scene.expectRemote(.active)
            #expect(try await Self.logCodes(scene).contains("browser_screen_frames"))

            scene.applet.send(binary: RemoteScene.frame.encoded())
            let received = try #require(await scene.console.nextBinary())
            let id = Array(scene.sessionId.utf8)
            #expect(try ScreenUpdate.decode(Array(received.dropFirst(1 + id.count))) == RemoteScene.frame)
            scene.console.send(ConsoleToGateway.frameAck(.init(sessionId: scene.sessionId, sequence: 1)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .frameAck(.init(sequence: 1)) }

            // Nothing can act on the customer's side: input, laser, pen, monitors, clipboard.
            scene.console.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: [.move(x: 1, y: 1)])))
            try await scene.expectError("view_only")
            for tool: RemoteTool in [.laser(x: 3, y: 3), .draw(points: [.init(x: 1, y: 1), .init(x: 2, y: 2)]), .monitor(index: 0)] {
                scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: tool)))
                try await scene.expectError("not_in_browser")
            }
            let stray = try? await scene.applet.expect(GatewayToApplet.self, within: 0.5) {
                switch $0 { case .input, .remoteTool: true; default: false }
            }
            #expect(stray == nil, "no input or tool reaches the browser")

            // The customer stops sharing.
            scene.applet.send(AppletToGateway.remoteEnded(.init(reason: "The customer stopped sharing their screen.")))
            let ended = try await scene.expectRemote(.ended)
            #expect(ended.reason == "The customer stopped sharing their screen.")
            await scene.applet.close()
        }
    }

    static let stun = WebRTCSetup(iceServers: [IceServer(urls: ["stun:stun.example.test:3478"]),
                                               IceServer(urls: ["turn:turn.example.test:3478"], username: "help", credential: "s3cr:t@")])
    static let offer = WebRTCSignal(kind: .offer, sdp: "v=0 offer")
    static let answer = WebRTCSignal(kind: .answer, sdp: "v=0 answer")
    static let candidate = WebRTCSignal(kind: .candidate, candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0)

    @Test("a direct path: the customer's offer reaches the owner's consoles, the first to answer is the only other end; transport changes are logged; malformed or foreign signals refused")
    func directPath() async throws {
        try await GatewayHarness.run(webRTC: Self.stun) { gw in
            let scene = try await Self.scene(gw, screen: .chosen)
            let second = gw.console(token: scene.token)
            _ = try await second.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let id = scene.sessionId
            func signal(_ signal: WebRTCSignal) -> ConsoleToGateway { .webrtcSignal(.init(sessionId: id, signal: signal)) }

            // Nothing to answer before the customer shares.
            scene.console.send(signal(Self.answer))
            try await scene.expectError("remote_not_running")
            scene.ask(.view)
            let request = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(request == .remoteRequest(.init(mode: .view, technicianName: "Administrator", webrtc: Self.stun)))
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            #expect(try await scene.expectRemote(.active).webrtc == Self.stun)

            // The offer to both consoles; a console never offers.
            scene.applet.send(AppletToGateway.webrtcSignal(Self.offer))
            let relayed = GatewayToConsole.webrtcSignal(.init(sessionId: id, signal: Self.offer))
            _ = try await scene.console.expect(GatewayToConsole.self) { $0 == relayed }
            _ = try await second.expect(GatewayToConsole.self) { $0 == relayed }
            scene.console.send(signal(Self.offer))
            try await scene.expectError("no_direct_path")
            scene.console.send(signal(WebRTCSignal(kind: .answer, sdp: String(repeating: "x", count: WebRTCSignal.maximumSDPBytes + 1))))
            try await scene.expectError("bad_request")

            // The first console answers; the second is refused and hears no more of it.
            scene.console.send(signal(Self.answer))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .webrtcSignal(Self.answer) }
            second.send(signal(Self.answer))
            _ = try await second.expect(GatewayToConsole.self) { if case .error(let failure) = $0 { failure.code == "no_direct_path" } else { false } }
            scene.applet.send(AppletToGateway.webrtcSignal(Self.candidate))
            _ = try await scene.console.expect(GatewayToConsole.self) { $0 == .webrtcSignal(.init(sessionId: id, signal: Self.candidate)) }
            let stray = try? await second.expect(GatewayToConsole.self, within: 0.5) { if case .webrtcSignal = $0 { true } else { false } }
            #expect(stray == nil, "the candidate went to the console that answered only")
            scene.console.send(signal(Self.candidate))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .webrtcSignal(Self.candidate) }

            // Another technician cannot take part.
            let other = try await gw.technician(named: "Otto", permissions: ["desktop_view"], adminToken: scene.token)
            let otto = gw.console(token: other)
            _ = try await otto.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            otto.send(signal(Self.candidate))
            _ = try await otto.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }

            scene.applet.send(AppletToGateway.screenTransport(.init(transport: .webrtc)))
            try await Self.waitForLog(scene, "browser_screen_webrtc")
            scene.applet.send(AppletToGateway.screenTransport(.init(transport: .frames)))
            try await Self.waitForLog(scene, "browser_screen_back_to_frames")
            await scene.applet.close()
        }
    }

    static func waitForLog(_ scene: RemoteScene, _ code: String) async throws {
        for _ in 0..<50 {
            if try await logCodes(scene).contains(code) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(code) never logged")
    }

    @Test("no direct path from the applet, nor when the operator turned WebRTC off")
    func noDirectPath() async throws {
        try await GatewayHarness.run(webRTC: nil) { gw in
            let scene = try await Self.scene(gw, screen: .chosen)
            scene.ask(.view)
            let request = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(request == .remoteRequest(.init(mode: .view, technicianName: "Administrator", webrtc: nil)))
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            #expect(try await scene.expectRemote(.active).webrtc == nil)
            scene.applet.send(AppletToGateway.webrtcSignal(Self.offer))
            scene.console.send(ConsoleToGateway.webrtcSignal(.init(sessionId: scene.sessionId, signal: Self.answer)))
            try await scene.expectError("no_direct_path")
            await scene.applet.close()
        }
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask(.view)
            let request = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(request == .remoteRequest(.init(mode: .view, technicianName: "Administrator", webrtc: nil)))
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            _ = try await scene.expectRemote(.active)
            scene.applet.send(AppletToGateway.webrtcSignal(Self.offer))
            let stray = try? await scene.console.expect(GatewayToConsole.self, within: 0.5) { if case .webrtcSignal = $0 { true } else { false } }
            #expect(stray == nil, "an applet's signal goes nowhere")
            scene.console.send(ConsoleToGateway.webrtcSignal(.init(sessionId: scene.sessionId, signal: Self.answer)))
            try await scene.expectError("no_direct_path")
            await scene.applet.close()
        }
    }

    @Test("a browser that cannot share its screen: the view is refused with chat_only; the log says Instant Chat")
    func chatOnlyBrowser() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await Self.scene(gw, screen: nil)
            #expect(try await Self.logCodes(scene).contains("joined_instant_chat"))
            scene.ask(.view)
            try await scene.expectError("chat_only")
            await scene.applet.close()
        }
    }

    @Test("the applet's join is logged as such")
    func appletJoinLogged() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            #expect(try await Self.logCodes(scene).contains("joined_with_applet"))
            await scene.applet.close()
        }
    }
}
