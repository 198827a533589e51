import Foundation
import Testing
import LifelineCore
import LifelineProtocol
import LifelineTestSupport
@testable import LifelineGateway

/// An administrator monitoring through one gateway node a technician whose console and session are
/// on another (E1, E2 across nodes): the monitoring lives on the node it was started through, its
/// id names it, and everything about it finds it there.
@Suite("Two gateway nodes on one database: monitoring a technician whose console is on the other node",
       .enabled(if: TestDatabase.postgresServer != nil))
struct ClusterMonitoringTests {
    @Test("reached, mirrored, her screen and her answers carried, joined, the log read through either node, closed when she leaves")
    func acrossNodes() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let adminOnA = try await a.login()
            let adminOnB = try await b.login()
            let una = try await b.technician(named: "Una", permissions: MonitoringGatewayTests.permissions, adminToken: adminOnB)
            let unaId = try #require(try await b.request(.get, "/api/v1/me", token: una).json()["id"] as? String)
            let unaConsole = b.console(token: una)
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let (sessionId, pin) = try await b.createSession(token: una, name: "Walt")
            let (applet, _) = try await b.connectApplet(pin: pin)
            #expect(try await b.request(.post, "/api/v1/sessions/\(sessionId)/start", token: una).status == .ok)
            try await ClusterFeedTests.copied(sessionId, in: .active, from: b, to: a)
            let adminConsole = a.console(token: adminOnA)
            _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }

            // Started through A: Una's console on B reaches it; the mirror comes from A's copies.
            let started = try await a.request(.post, "/api/v1/monitorings", token: adminOnA, json: ["technicianId": unaId])
            #expect(started.status == .created)
            let id = try #require(try started.json()["id"] as? String)
            #expect(SessionHub.homeNode(ofMonitoring: id) == a.parts.node.id, "its id names the node it lives on")
            _ = try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && $0.state == .active }
            let snapshot = try await MonitoringGatewayTests.monitored(adminConsole) { $0.sessions != nil }
            #expect(snapshot.sessions?.map(\.id) == [sessionId], "her queue, though her console is on B")
            #expect(try await b.request(.post, "/api/v1/sessions/\(sessionId)/messages", token: una, json: ["text": "On it"]).status == .created)
            _ = try await MonitoringGatewayTests.monitored(adminConsole) { $0.entry?.text == "On it" }
            let log = try await b.request(.get, "/api/v1/monitorings/\(id)/sessions/\(sessionId)/log", token: adminOnB)
            let lines = try log.array()
            #expect(log.status == .ok && lines.contains { $0["text"] as? String == "On it" }, "asked through B, answered by A")

            // Her screen: asked through B (passed to A), her answer and pictures from B reach A and the administrator.
            #expect(try await b.request(.post, "/api/v1/monitorings/\(id)/screen", token: adminOnB).status == .ok)
            _ = try await unaConsole.expect(GatewayToConsole.self) {
                if case .monitorScreenRequest(let asked) = $0 { asked.monitoringId == id && asked.watching } else { false }
            }
            unaConsole.send(ConsoleToGateway.monitorScreenAnswer(.init(monitoringId: id, shared: true)))
            _ = try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && $0.screen == .shared }
            let frameId = SessionHub.monitoringFramePrefix + id
            let picture = TechnicianScreenGatewayTests.frame(1)
            unaConsole.send(binary: TechnicianScreenGatewayTests.envelope(frameId, picture))
            let drawn = try #require(await adminConsole.nextBinary())
            #expect(Array(drawn.dropFirst(1 + Int(drawn[0]))) == picture)
            adminConsole.send(ConsoleToGateway.frameAck(.init(sessionId: frameId, sequence: 1)))
            _ = try await unaConsole.expect(GatewayToConsole.self) { $0 == .technicianScreenAck(.init(sessionId: frameId, sequence: 1)) }

            // E2: joined from A into the session B serves.
            let joined = try await a.request(.post, "/api/v1/monitorings/\(id)/sessions/\(sessionId)/join", token: adminOnA)
            let joinedState = try joined.json()["state"] as? String
            #expect(joined.status == .ok && joinedState == "collaboration")
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Administrator", joined: true)) }
            let twice = try await a.request(.post, "/api/v1/monitorings/\(id)/sessions/\(sessionId)/join", token: adminOnA)
            #expect(twice.status == .conflict && twice.errorCode == "already_collaborating", "B's refusal, as B gave it")

            // She closes her console on B: Closed by customer on A; ended through B.
            await unaConsole.close()
            _ = try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && $0.state == .closedByCustomer }
            let ended = try await b.request(.delete, "/api/v1/monitorings/\(id)", token: adminOnB)
            #expect(try ended.json()["state"] as? String == "closed")
            await adminConsole.close()
            await applet.close()
        }
    }
}
