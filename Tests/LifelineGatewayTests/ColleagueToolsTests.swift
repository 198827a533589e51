import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// A colleague's tools on the customer's computer (I1, A5): the restart (M1 in a collaboration: the
/// appendix's Collaboration → Rebooting), system information (L1–L8), scripts (N2) and the file
/// manager (K1–K5), when their group and the lead allow them and they collaborate.
@Suite("A collaborating technician's tools: restart, system information, scripts, file manager")
struct ColleagueToolsTests {
    static func refusal(_ console: SocketProbe) async throws -> String {
        let message = try await console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
        guard case .error(let error) = message else { return "" }
        return error.code
    }

    @Test("refused unless the lead allowed it and she collaborates; then the applet is asked in her name and she hears the answer")
    func restart() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["reboot"])
            try await scene.beaCollaborating(permissions: ["chat", "hold_sessions"])
            let ask = ConsoleToGateway.rebootRequest(.init(sessionId: scene.sessionId, kind: .normal))
            scene.beaConsole.send(ask)
            #expect(try await Self.refusal(scene.beaConsole) == "permission_denied", "the lead did not allow it")
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin,
                                         json: ["permissions": ["chat", "hold_sessions", "reboot"]]).status == .ok)
            #expect(try await scene.post("hold", scene.bea).json()["state"] as? String == "on_hold")
            scene.beaConsole.send(ask)
            #expect(try await Self.refusal(scene.beaConsole) == "session_not_active", "not while she holds it for herself")
            #expect(try await scene.post("start", scene.bea).json()["state"] as? String == "collaboration")

            scene.beaConsole.send(ask)
            let order = try await scene.applet.expect(GatewayToApplet.self) { if case .reboot = $0 { true } else { false } }
            guard case .reboot(let reboot) = order else { return }
            #expect(reboot.technician == "Bea", "the customer is asked in her name")
            scene.applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .restarting)))
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .rebootResult(let result) = $0 { result.outcome == .restarting } else { false }
            }
            try await gw.waitForState("rebooting", of: scene.sessionId, token: scene.bea)
            try await gw.waitForState("rebooting", of: scene.sessionId, token: scene.admin)
            await scene.applet.close()
        }
    }

    @Test("the lead and a colleague ask with the same request id: each gets their own answer; refused unless the lead allowed it")
    func systemInformation() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["system_info"])
            try await scene.beaCollaborating(permissions: ["chat"])
            let ask = { (console: SocketProbe) in
                console.send(ConsoleToGateway.systemInfoRequest(.init(sessionId: scene.sessionId, requestId: "sys-1", view: .dashboard)))
            }
            ask(scene.beaConsole)
            #expect(try await Self.refusal(scene.beaConsole) == "permission_denied", "the lead did not allow it")
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin,
                                         json: ["permissions": ["chat", "system_info"]]).status == .ok)

            ask(scene.adminConsole)
            let forLead = try await SystemInfoGatewayTests.passedOn(scene.applet)
            ask(scene.beaConsole)
            let forBea = try await SystemInfoGatewayTests.passedOn(scene.applet)
            #expect(forLead.requestId != forBea.requestId, "the applet tells them apart")
            // Answered in the other order: each console gets its own, under its own id.
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: forBea.requestId,
                                                                    reply: .failed(code: "for_bea", message: "Bea's"))))
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: forLead.requestId,
                                                                    reply: .failed(code: "for_lead", message: "the lead's"))))
            for (console, code) in [(scene.beaConsole, "for_bea"), (scene.adminConsole, "for_lead")] {
                let answer = try await console.expect(GatewayToConsole.self) { if case .systemInfoReply = $0 { true } else { false } }
                #expect(answer == .systemInfoReply(.init(sessionId: scene.sessionId, requestId: "sys-1",
                                                         reply: .failed(code: code, message: code == "for_bea" ? "Bea's" : "the lead's"))))
            }
            await scene.applet.close()
        }
    }

    @Test("a colleague runs her own script when the lead allows deploy_scripts: the customer is told her name, the output is hers")
    func script() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["deploy_scripts"])
            try await scene.beaCollaborating(permissions: ["chat"])
            let created = try await gw.request(.post, "/api/v1/scripts", token: scene.bea, json: ScriptsGatewayTests.script("Bea's check"))
            let scriptId = try #require(try created.json()["id"] as? String)
            let run = ConsoleToGateway.scriptRunRequest(.init(sessionId: scene.sessionId, requestId: "r1", scriptId: scriptId))
            scene.beaConsole.send(run)
            #expect(try await Self.refusal(scene.beaConsole) == "permission_denied", "the lead did not allow it")
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin,
                                         json: ["permissions": ["chat", "deploy_scripts"]]).status == .ok)

            scene.beaConsole.send(run)
            let order = try await scene.applet.expect(GatewayToApplet.self) { if case .scriptRun = $0 { true } else { false } }
            guard case .scriptRun(let sent) = order else { return }
            #expect(sent.technicianName == "Bea" && sent.name == "Bea's check")
            scene.applet.send(AppletToGateway.scriptOutput(.init(sessionId: nil, runId: sent.runId, chunks: [.init(at: 0.1, stream: .stdout, text: "ok\n")])))
            scene.applet.send(AppletToGateway.scriptFinished(.init(sessionId: nil, runId: sent.runId, result: ScriptResult(outcome: .exited, exitCode: 0))))
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .scriptOutput(let output) = $0 { output.chunks.map(\.text) == ["ok\n"] } else { false }
            }
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) { if case .scriptFinished = $0 { true } else { false } }
            await scene.applet.close()
        }
    }

    @Test("a colleague opens the file manager in her name when allowed; the lead waits for it; her own hold closes it")
    func fileManager() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["file_manager", "file_manager_download"])
            try await scene.beaCollaborating(permissions: ["chat", "hold_sessions"])
            let open = ConsoleToGateway.fileManagerOpen(.init(sessionId: scene.sessionId))
            scene.beaConsole.send(open)
            #expect(try await Self.refusal(scene.beaConsole) == "permission_denied", "the lead did not allow it")
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin,
                                         json: ["permissions": ["chat", "hold_sessions", "file_manager", "file_manager_download"]]).status == .ok)

            scene.beaConsole.send(open)
            let asked = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerOpen = $0 { true } else { false } }
            #expect(asked == .fileManagerOpen(.init(technicianName: "Bea")), "the customer is asked in her name")
            scene.applet.send(AppletToGateway.fileManagerAnswer(.init(accepted: true)))
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .fileManager(let status) = $0 { status.sessionId == scene.sessionId && status.phase == .open } else { false }
            }
            scene.beaConsole.send(ConsoleToGateway.fileManagerRequest(.init(sessionId: scene.sessionId, requestId: "roots", request: .roots)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerRequest(let m) = $0 { m.requestId == "roots" } else { false } }
            scene.applet.send(AppletToGateway.fileManagerReply(.init(sessionId: nil, requestId: "roots", reply: .roots([]))))
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .fileManagerReply(let reply) = $0 { reply.requestId == "roots" } else { false }
            }
            // One technician at a time: the lead is refused while Bea has it.
            scene.adminConsole.send(open)
            #expect(try await Self.refusal(scene.adminConsole) == "file_manager_in_use")

            // Bea holds the session for herself: her file manager closes, the customer's side too.
            #expect(try await scene.post("hold", scene.bea).json()["state"] as? String == "on_hold")
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .fileManagerClose = $0 { true } else { false } }
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .fileManager(let status) = $0 { status.phase == .closed } else { false }
            }
            await scene.applet.close()
        }
    }
}
