import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Restarting the customer's machine through the gateway (M1–M3), with a socket playing the
/// applet: refused without the permission or the elevated applet; a single-use ticket for the
/// applet; Rebooting while the machine is down, Offline after five minutes, and back to where it
/// was when the restarted applet presents its ticket — exactly one of many presenting it at once.
@Suite("Restarting the customer's machine through the gateway (M1–M3)")
struct RebootGatewayTests {
    func ask(_ scene: RemoteScene, _ kind: RebootKind, requestId: String? = nil) {
        scene.console.send(ConsoleToGateway.rebootRequest(.init(sessionId: scene.sessionId, kind: kind, requestId: requestId)))
    }

    func order(_ scene: RemoteScene) async throws -> RebootOrder {
        let message = try await scene.applet.expect(GatewayToApplet.self) { if case .reboot = $0 { true } else { false } }
        guard case .reboot(let order) = message else { throw HarnessError("not a reboot order") }
        return order
    }

    func resume(_ gw: GatewayHarness, _ ticket: String) async throws -> GatewayHarness.Reply {
        try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": ticket])
    }

    @Test("refused without the permission or, for an emergency, the elevated applet; restarting → Rebooting; the ticket brings it back once")
    func restartAndReturn() async throws {
        try await GatewayHarness.run { gw in
            let other = try await RemoteScene.make(gw, permissions: ["system_info"])
            ask(other, .normal, requestId: "no-permission")
            try await other.expectError("permission_denied")

            let scene = try await RemoteScene.make(gw)
            ask(scene, .emergency)
            try await scene.expectError("bad_request")
            ask(scene, .normal, requestId: "r1")
            let first = try await order(scene)
            #expect(first.kind == .normal && first.ticket.count >= 40 && first.technician == "Administrator")
            ask(scene, .normal)
            try await scene.expectError("bad_request") // one restart waits at a time

            // The customer says no: the ticket dies with the question.
            scene.applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .refused)))
            let refused = try await scene.console.expect(GatewayToConsole.self) { if case .rebootResult = $0 { true } else { false } }
            #expect(refused == .rebootResult(.init(sessionId: scene.sessionId, kind: .normal, outcome: .refused)))
            #expect(try await resume(gw, first.ticket).status == .unauthorized)

            // Yes: Rebooting, and the socket's close changes nothing.
            ask(scene, .normal)
            let second = try await order(scene)
            scene.applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .restarting)))
            try await gw.waitForState("rebooting", of: scene.sessionId, token: scene.token)
            await scene.applet.close()
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "rebooting")

            // Thirty applets present the ticket at once: exactly one gets the session, with a new token.
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 1...30 {
                    group.addTask {
                        let reply = try await resume(gw, second.ticket)
                        return (reply.status.code, reply.status == .ok ? try reply.json()["appletToken"] as? String : nil)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 200 }.count == 1 && answers.filter { $0.0 == 401 }.count == 29, "\(answers.map(\.0))")
            let token = try #require(answers.compactMap(\.1).first)
            #expect(token != scene.appletToken)
            let oldHello = SocketProbe(port: gw.port, path: "/ws/applet")
            oldHello.send(AppletToGateway.hello(.init(token: scene.appletToken, appletVersion: "test", customer: GatewayHarness.customer)))
            #expect(await oldHello.closes())
            let back = try await gw.helloApplet(token: token)
            try await gw.waitForState("active", of: scene.sessionId, token: scene.token)
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            for line in ["Administrator asked to restart the customer's computer (normal).", "The customer did not allow the restart.",
                         "The customer's computer is restarting (normal); the session resumes when it is back.",
                         "The customer's computer restarted and the applet reconnected."] {
                #expect(texts.contains(line), "\(line) in \(texts)")
            }
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            #expect(audit.contains { $0["action"] as? String == "customer_system_changed" && ($0["after"] as? String ?? "").contains("reboot_normal: restarting") })
            await back.close()
        }
    }

    @Test("a machine not back five minutes after the restart goes Offline, and its ticket still brings it back; a failure drops the ticket")
    func tooLongAndFailed() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            ask(scene, .normal)
            let failed = try await order(scene)
            let inhibitor = RebootInhibitor(what: "shutdown:sleep", who: "Backup", why: "Copying files", mode: "block")
            scene.applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .failed,
                                                                  message: "Programs hold off the restart: Backup (Copying files).", inhibitors: [inhibitor])))
            let said = try await scene.console.expect(GatewayToConsole.self) { if case .rebootResult = $0 { true } else { false } }
            guard case .rebootResult(let result) = said else { throw HarnessError("no result") }
            #expect(result.outcome == .failed && result.inhibitors == [inhibitor])
            #expect(try await resume(gw, failed.ticket).status == .unauthorized)
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "active")

            ask(scene, .normal)
            let restarted = try await order(scene)
            scene.applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .restarting)))
            try await gw.waitForState("rebooting", of: scene.sessionId, token: scene.token)
            await scene.applet.close()
            gw.clock.advance(by: 299)
            await gw.hub.runTimers()
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "rebooting")
            gw.clock.advance(by: 2)
            await gw.hub.runTimers()
            try await gw.waitForState("offline", of: scene.sessionId, token: scene.token)
            let reply = try await resume(gw, restarted.ticket)
            let token = try #require(try reply.json()["appletToken"] as? String)
            let back = try await gw.helloApplet(token: token)
            try await gw.waitForState("active", of: scene.sessionId, token: scene.token)
            await back.close()
        }
    }

    @Test("signing the customer in by itself after the restart needs the elevated applet, and the order says so")
    func autoLogin() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.console.send(ConsoleToGateway.rebootRequest(.init(sessionId: scene.sessionId, kind: .normal, requestId: "a1", autoLogin: true)))
            let refused = try await scene.console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            guard case .error(let error) = refused else { throw HarnessError("no refusal") }
            #expect(error.code == "bad_request" && error.requestId == "a1" && error.message.contains("administrator rights"))

            // The applet comes back elevated (J3): the order carries the sign-in.
            let elevated = SocketProbe(port: gw.port, path: "/ws/applet")
            let root = CustomerInfo(hostname: "customer-pc", user: "root", platform: "Linux x86_64", privileged: true)
            elevated.send(AppletToGateway.hello(.init(token: scene.appletToken, appletVersion: "test", customer: root)))
            _ = try await elevated.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
            scene.console.send(ConsoleToGateway.rebootRequest(.init(sessionId: scene.sessionId, kind: .normal, autoLogin: true)))
            let message = try await elevated.expect(GatewayToApplet.self) { if case .reboot = $0 { true } else { false } }
            guard case .reboot(let order) = message else { throw HarnessError("no order") }
            #expect(order.autoLogin == true)
            elevated.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .failed, message: "not GDM or LightDM")))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .rebootResult = $0 { true } else { false } }
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            #expect(audit.contains { ($0["after"] as? String ?? "").contains("reboot_normal_autologin: failed") })
            await elevated.close()
        }
    }

    @Test("a restart from Waiting comes back to Waiting (the appendix's Waiting → Rebooting → Waiting); not from On hold")
    func fromWaiting() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let console = gw.console(token: token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("waiting", of: id, token: token)
            console.send(ConsoleToGateway.rebootRequest(.init(sessionId: id, kind: .normal)))
            let message = try await applet.expect(GatewayToApplet.self) { if case .reboot = $0 { true } else { false } }
            guard case .reboot(let order) = message else { throw HarnessError("no order") }
            applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .restarting)))
            try await gw.waitForState("rebooting", of: id, token: token)
            await applet.close()
            let reply = try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": order.ticket])
            let back = try await gw.helloApplet(token: try #require(try reply.json()["appletToken"] as? String))
            try await gw.waitForState("waiting", of: id, token: token)

            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/hold", token: token)
            console.send(ConsoleToGateway.rebootRequest(.init(sessionId: id, kind: .normal)))
            _ = try await console.expect(GatewayToConsole.self) { if case .error(let error) = $0 { error.code == "session_not_active" } else { false } }
            await back.close()
            await console.close()
        }
    }
}
