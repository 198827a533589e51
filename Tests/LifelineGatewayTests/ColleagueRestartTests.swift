import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// A colleague restarts the customer's computer (M1 in a collaboration: the appendix's
/// Collaboration → Rebooting), when their group and the lead allow it.
@Suite("A collaborating technician restarts the customer's computer")
struct ColleagueRestartTests {
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
}
