import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Ending a process through the gateway (L2), with a socket playing the applet: refused without
/// the `system_actions` permission, on a session not active, or for a nonsense PID; passed on
/// without the session under an id of the gateway's; what the applet did is logged and audited,
/// and the answer goes to the technician who asked under theirs.
@Suite("Changes to the customer's system through the gateway (L2)")
struct SystemActionGatewayTests {
    func ask(_ scene: RemoteScene, _ requestId: String, _ action: SystemAction) {
        scene.console.send(ConsoleToGateway.systemActionRequest(.init(sessionId: scene.sessionId, requestId: requestId, action: action)))
    }

    /// The request as the applet gets it.
    static func passedOn(_ applet: SocketProbe) async throws -> SystemActionRequestMessage {
        let asked = try await applet.expect(GatewayToApplet.self) { if case .systemActionRequest = $0 { true } else { false } }
        guard case .systemActionRequest(let request) = asked else { throw HarnessError("not a request") }
        return request
    }

    @Test("refused without the permission, when not active or for a nonsense PID; passed on, logged, audited, answered")
    func endAProcess() async throws {
        try await GatewayHarness.run { gw in
            // A group that may read the system information but not change it: refused per message.
            let reader = try await RemoteScene.make(gw, permissions: ["system_info"])
            ask(reader, "r1", .endProcess(pid: 4242, started: 1_700_000_000))
            try await reader.expectError("permission_denied")

            let scene = try await RemoteScene.make(gw)
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/hold", token: scene.token)
            ask(scene, "held", .endProcess(pid: 4242, started: 1_700_000_000))
            try await scene.expectError("session_not_active")
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.token)
            ask(scene, "zero", .endProcess(pid: 0, started: 1_700_000_000))
            try await scene.expectError("bad_request")
            ask(scene, "negative", .endProcess(pid: 12, started: -5))
            try await scene.expectError("bad_request")

            ask(scene, "e1", .endProcess(pid: 4242, started: 1_700_000_000.25))
            let e1 = try await Self.passedOn(scene.applet)
            #expect(e1.sessionId == nil && e1.action == .endProcess(pid: 4242, started: 1_700_000_000.25))
            ask(scene, "e1", .endProcess(pid: 4242, started: 1_700_000_000.25))
            try await scene.expectError("bad_request")

            // An answer to nothing asked is dropped; the real one is logged, audited and answered.
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: "stray",
                                                                      result: .processEnded(pid: 1, name: "init", children: 0, forced: true))))
            let result = SystemActionResult.processEnded(pid: 4242, name: "editor", children: 2, forced: true)
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: e1.requestId, result: result)))
            let answer = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            #expect(answer == .systemActionReply(.init(sessionId: scene.sessionId, requestId: "e1", result: result)), "the stray one came first?")
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator ended editor (PID 4242) on the customer's computer (2 child processes with it); it did not close when asked and was killed."), "\(texts)")
            #expect(!texts.contains { $0.contains("init") })
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            let change = try #require(audit.first { $0["action"] as? String == "customer_system_changed" })
            let after = try JSONSerialization.jsonObject(with: Data(((change["after"] as? String) ?? "{}").utf8)) as? [String: String]
            #expect(after == ["operation": "kill_process", "pid": "4242", "name": "editor", "children": "2"], "\(change)")

            // A failure is answered and changes nothing in the logs.
            ask(scene, "e2", .endProcess(pid: 4343, started: 1_700_000_000))
            let e2 = try await Self.passedOn(scene.applet).requestId
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: e2, result: .failed(code: "not_permitted", message: "x"))))
            let failed = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            #expect(failed == .systemActionReply(.init(sessionId: scene.sessionId, requestId: "e2", result: .failed(code: "not_permitted", message: "x"))))
            let audited = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            #expect(audited.filter { $0["action"] as? String == "customer_system_changed" }.count == 1)

            // A service: passed on, and logged under the name the gateway checked.
            ask(scene, "s1", .service(name: "ssh.service", scope: .system, operation: .restart))
            let s1 = try await Self.passedOn(scene.applet).requestId
            let unit = ServiceUnit(name: "ssh.service", scope: .system, description: "OpenBSD Secure Shell server", loadState: "loaded",
                                   activeState: "active", subState: "running", enablement: "enabled")
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: s1,
                                                                      result: .serviceChanged(unit: unit, operation: .restart, job: "done"))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            ask(scene, "s2", .service(name: "cups.service", scope: .system, operation: .enable))
            let s2 = try await Self.passedOn(scene.applet).requestId
            // An answer about another service than the one asked changes nothing in the logs.
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: s2,
                                                                      result: .serviceChanged(unit: unit, operation: .enable, job: nil))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            ask(scene, "s3", .service(name: "../ssh.service", scope: .system, operation: .stop))
            try await scene.expectError("bad_request")
            let lines = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(lines.contains("Administrator ran “restart” on the service ssh.service on the customer's computer (done)."), "\(lines)")
            #expect(!lines.contains { $0.contains("cups.service") || $0.contains("“enable”") })
            // Startup entries: a name that is no autostart file refused; a change logged and audited.
            ask(scene, "u0", .startup(kind: .autostart, name: "../../.bashrc", scope: .user, enabled: false))
            try await scene.expectError("bad_request")
            ask(scene, "u1", .startup(kind: .autostart, name: "notes-sync.desktop", scope: .system, enabled: false))
            let u1 = try await Self.passedOn(scene.applet).requestId
            let entry = StartupEntry(kind: .autostart, name: "notes-sync.desktop", title: "Notes sync", command: "notes-sync", scope: .user,
                                     enabled: false, reason: "hidden")
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: u1, result: .startupChanged(entry))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            let logged = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(logged.contains("Administrator turned off notes-sync.desktop at startup on the customer's computer."), "\(logged)")
            let changes = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
                .filter { $0["action"] as? String == "customer_system_changed" }
            #expect(changes.count == 3)
            await scene.applet.close()
        }
    }

    @Test("uninstalling needs uninstall_applications, a package name, and for a Debian package the elevated applet; it is logged as asked")
    func uninstall() async throws {
        try await GatewayHarness.run { gw in
            // system_actions is not enough.
            let changer = try await RemoteScene.make(gw, permissions: ["system_info", "system_actions"])
            ask(changer, "n1", .uninstall(source: .flatpak, name: "org.example.Notes"))
            try await changer.expectError("permission_denied")

            let scene = try await RemoteScene.make(gw)
            ask(scene, "bad", .uninstall(source: .dpkg, name: "--force-all"))
            try await scene.expectError("bad_request")
            // This applet said hello without administrator rights: a Debian package cannot go.
            ask(scene, "root", .uninstall(source: .dpkg, name: "cowsay"))
            try await scene.expectError("bad_request")
            // A Flatpak of the customer's own is theirs to remove: passed on.
            ask(scene, "f1", .uninstall(source: .flatpak, name: "org.example.Notes"))
            let f1 = try await Self.passedOn(scene.applet)
            #expect(f1.sessionId == nil && f1.action == .uninstall(source: .flatpak, name: "org.example.Notes"))
            // An answer naming another application changes nothing in the logs; the right one is logged.
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: f1.requestId,
                                                                      result: .uninstalled(source: .flatpak, name: "org.example.Other", output: ""))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            ask(scene, "f2", .uninstall(source: .flatpak, name: "org.example.Notes"))
            let f2 = try await Self.passedOn(scene.applet).requestId
            scene.applet.send(AppletToGateway.systemActionReply(.init(sessionId: nil, requestId: f2,
                                                                      result: .uninstalled(source: .flatpak, name: "org.example.Notes", output: "done"))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .systemActionReply = $0 { true } else { false } }
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            #expect(texts.filter { $0.contains("uninstalled") } == ["Administrator uninstalled org.example.Notes (flatpak) from the customer's computer."])
            await scene.applet.close()
        }
    }
}
