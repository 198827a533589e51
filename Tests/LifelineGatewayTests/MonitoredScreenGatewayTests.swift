import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The monitored technician's screen through the gateway (E1): asked by the administrator, shared
/// by the technician's console, passed to the administrator's consoles, paced by their
/// acknowledgements, and stopped by either side or by the monitoring's end.
@Suite("A monitored technician's screen (E1)")
struct MonitoredScreenGatewayTests {
    static func envelope(_ id: String, _ update: [UInt8]) -> [UInt8] { [UInt8(id.utf8.count)] + Array(id.utf8) + update }

    @Test("asked, shared, drawn and acknowledged; the technician may not ask for it; stopping and ending the monitoring stop it")
    func screen() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let una = try await gw.technician(named: "Una", permissions: MonitoringGatewayTests.permissions, adminToken: admin)
            let unaId = try #require(try await gw.request(.get, "/api/v1/me", token: una).json()["id"] as? String)
            let adminConsole = gw.console(token: admin)
            let unaConsole = gw.console(token: una)
            for console in [adminConsole, unaConsole] {
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            }
            let id = try #require(try await gw.request(.post, "/api/v1/monitorings", token: admin, json: ["technicianId": unaId])
                .json()["id"] as? String)
            _ = try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && $0.state == .active }
            let frameId = "monitoring:\(id)"

            // Before anyone shares, her pictures are dropped; only the administrator may ask.
            unaConsole.send(binary: Self.envelope(frameId, SharedScreenGatewayTests.frame(1)))
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "unexpected_frame" } else { false } }
            let byUna = try await gw.request(.post, "/api/v1/monitorings/\(id)/screen", token: una)
            #expect(byUna.status == .forbidden && byUna.errorCode == "administrators_only")

            let asked = try await gw.request(.post, "/api/v1/monitorings/\(id)/screen", token: admin)
            #expect(try asked.status == .ok && asked.json()["screen"] as? String == "asked")
            _ = try await unaConsole.expect(GatewayToConsole.self) {
                $0 == .monitorScreenRequest(.init(monitoringId: id, administratorName: "Administrator", watching: true))
            }
            // Only the watched technician answers: the administrator's own answer is refused.
            adminConsole.send(ConsoleToGateway.monitorScreenAnswer(.init(monitoringId: id, shared: true)))
            _ = try await adminConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "monitoring_not_found" } else { false } }
            unaConsole.send(ConsoleToGateway.monitorScreenAnswer(.init(monitoringId: id, shared: true)))
            _ = try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && $0.screen == .shared }

            // A picture reaches the administrator as it came; their acknowledgement reaches Una.
            unaConsole.send(binary: Self.envelope(frameId, SharedScreenGatewayTests.frame(1)))
            #expect(await adminConsole.nextBinary() == Self.envelope(frameId, SharedScreenGatewayTests.frame(1)))
            adminConsole.send(ConsoleToGateway.frameAck(.init(sessionId: frameId, sequence: 1)))
            _ = try await unaConsole.expect(GatewayToConsole.self) { $0 == .technicianScreenAck(.init(sessionId: frameId, sequence: 1)) }
            // A malformed picture is refused and goes nowhere.
            unaConsole.send(binary: Self.envelope(frameId, [9, 9, 9]))
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "malformed_message" } else { false } }
            // Video is for the customer's applet only: an administrator's second console could not join one midway.
            let video = ScreenUpdate(sequence: 2, screenWidth: 64, screenHeight: 32,
                                     tiles: [.init(x: 0, y: 0, width: 64, height: 32, encoding: .vp8, bytes: [0x10])]).encoded()
            unaConsole.send(binary: Self.envelope(frameId, video))
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "malformed_message" } else { false } }
            // So is a second screen: the monitoring view shows one.
            var second = SharedScreenGatewayTests.frame(3)
            second[3] = 1
            unaConsole.send(binary: Self.envelope(frameId, second))
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "malformed_message" } else { false } }

            // The administrator stops watching the screen; Una's console is told, her pictures dropped.
            let stopped = try await gw.request(.delete, "/api/v1/monitorings/\(id)/screen", token: admin)
            #expect(try stopped.status == .ok && stopped.json()["screen"] as? String == "none")
            _ = try await unaConsole.expect(GatewayToConsole.self) {
                $0 == .monitorScreenRequest(.init(monitoringId: id, administratorName: "Administrator", watching: false))
            }
            unaConsole.send(binary: Self.envelope(frameId, SharedScreenGatewayTests.frame(2)))
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "unexpected_frame" } else { false } }

            // Asked again and declined; then the monitoring ends and her console hears it.
            _ = try await gw.request(.post, "/api/v1/monitorings/\(id)/screen", token: admin)
            unaConsole.send(ConsoleToGateway.monitorScreenAnswer(.init(monitoringId: id, shared: false)))
            _ = try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && $0.screen == .declined }
            #expect(try await gw.request(.delete, "/api/v1/monitorings/\(id)", token: admin).status == .ok)
            _ = try await unaConsole.expect(GatewayToConsole.self) {
                $0 == .monitorScreenRequest(.init(monitoringId: id, administratorName: "Administrator", watching: false))
            }
            let gone = try await gw.request(.post, "/api/v1/monitorings/\(id)/screen", token: admin)
            #expect(gone.status == .notFound && gone.errorCode == "monitoring_not_found")
        }
    }
}
