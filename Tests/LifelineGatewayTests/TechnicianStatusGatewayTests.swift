import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Technician status through the gateway (A6)")
struct TechnicianStatusGatewayTests {
    func status(of name: String, in gw: GatewayHarness, token: String) async throws -> String? {
        try await gw.request(.get, "/api/v1/technicians", token: token).array()
            .first { $0["name"] as? String == name }?["status"] as? String
    }

    @Test("Offline without a console, Online with one, Away by hand and back; colleagues are told")
    func manualAway() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tech = try await gw.technician(named: "Una", permissions: ["chat"], adminToken: admin)
            #expect(try await status(of: "Una", in: gw, token: admin) == "offline")
            let adminConsole = gw.console(token: admin)
            _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let unaConsole = gw.console(token: tech)
            _ = try await adminConsole.expect(GatewayToConsole.self) {
                if case .technicianStatus(let view) = $0 { view.name == "Una" && view.status == .online } else { false }
            }
            let away = try await gw.request(.put, "/api/v1/me/status", token: tech, json: ["away": true])
            #expect(try away.json()["status"] as? String == "away")
            _ = try await adminConsole.expect(GatewayToConsole.self) {
                if case .technicianStatus(let view) = $0 { view.name == "Una" && view.status == .away } else { false }
            }
            _ = try await gw.request(.put, "/api/v1/me/status", token: tech, json: ["away": false])
            #expect(try await status(of: "Una", in: gw, token: admin) == "online")
            await unaConsole.close()
            _ = try await adminConsole.expect(GatewayToConsole.self) {
                if case .technicianStatus(let view) = $0 { view.name == "Una" && view.status == .offline } else { false }
            }
        }
    }

    @Test("Away after the inactivity delay; activity at the console brings them back Online")
    func automaticAway() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let console = gw.console(token: admin)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            gw.clock.advance(by: 15 * 60)
            await gw.hub.runTimers()
            #expect(try await status(of: "Administrator", in: gw, token: admin) == "away")
            console.send(ConsoleToGateway.activity)
            _ = try await console.expect(GatewayToConsole.self) {
                if case .technicianStatus(let view) = $0 { view.status == .online } else { false }
            }
        }
    }

    @Test("the administrator's inactivity delay applies at once to open consoles")
    func administratorsAwayDelay() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let console = gw.console(token: admin)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["awayAfterMinutes": 5])
            gw.clock.advance(by: 4 * 60)
            await gw.hub.runTimers()
            #expect(try await status(of: "Administrator", in: gw, token: admin) == "online")
            gw.clock.advance(by: 60)
            await gw.hub.runTimers()
            #expect(try await status(of: "Administrator", in: gw, token: admin) == "away")
        }
    }

    @Test("Busy at the administrator's threshold of active sessions; holding one makes them Online again")
    func busyAtThreshold() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["busyAtSessions": 2, "awayAfterMinutes": 0])
            let console = gw.console(token: admin)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            var applets: [SocketProbe] = []
            var ids: [String] = []
            for _ in 0..<2 {
                let (id, pin) = try await gw.createSession(token: admin)
                applets.append(try await gw.connectApplet(pin: pin).probe)
                _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin)
                ids.append(id)
            }
            #expect(try await status(of: "Administrator", in: gw, token: admin) == "busy")
            _ = try await gw.request(.post, "/api/v1/sessions/\(ids[0])/hold", token: admin)
            #expect(try await status(of: "Administrator", in: gw, token: admin) == "online")
            for applet in applets { await applet.close() }
        }
    }
}
