import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// An administrator watching a technician's console through the gateway (E1, E2).
@Suite("Technician monitoring (E1, E2)")
struct MonitoringGatewayTests {
    static let permissions = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions"]

    static func monitoring(_ console: SocketProbe, _ match: @escaping @Sendable (MonitoringSummary) -> Bool) async throws -> MonitoringSummary {
        let message = try await console.expect(GatewayToConsole.self) { if case .monitoring(let m) = $0 { match(m) } else { false } }
        guard case .monitoring(let summary) = message else { throw HarnessError("not a monitoring") }
        return summary
    }

    static func monitored(_ console: SocketProbe, _ match: @escaping @Sendable (MonitoredUpdate) -> Bool) async throws -> MonitoredUpdate {
        let message = try await console.expect(GatewayToConsole.self) { if case .monitored(let m) = $0 { match(m) } else { false } }
        guard case .monitored(let update) = message else { throw HarnessError("not a mirror update") }
        return update
    }

    @Test("the administrator watches Una's queue and chats live, joins her session, and the monitoring ends as the appendix says")
    func watchAndJoin() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let una = try await gw.technician(named: "Una", permissions: Self.permissions, adminToken: admin)
            let unaId = try #require(try await gw.request(.get, "/api/v1/me", token: una).json()["id"] as? String)
            let (earlier, _) = try await gw.createSession(token: una, name: "Vera")
            let adminConsole = gw.console(token: admin)
            _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }

            // Una is offline: the monitoring waits for her console.
            let started = try await gw.request(.post, "/api/v1/monitorings", token: admin, json: ["technicianId": unaId])
            #expect(started.status == .created)
            #expect(try started.json()["state"] as? String == "waiting")
            #expect(try started.json()["technicianName"] as? String == "Una")
            let id = try #require(try started.json()["id"] as? String)
            let again = try await gw.request(.post, "/api/v1/monitorings", token: admin, json: ["technicianId": unaId])
            #expect(again.status == .conflict && again.errorCode == "already_monitoring")

            let unaConsole = gw.console(token: una)
            _ = try await unaConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            _ = try await Self.monitoring(adminConsole) { $0.id == id && $0.state == .active }
            let snapshot = try await Self.monitored(adminConsole) { $0.sessions != nil }
            #expect(snapshot.sessions?.map(\.id) == [earlier], "her queue as she sees it")
            _ = try await unaConsole.expect(GatewayToConsole.self) { $0 == .monitorNotice(.init(administratorName: "Administrator", watching: true)) }

            // Her new session, its customer and its chat reach the mirror as they happen.
            let (sessionId, pin) = try await gw.createSession(token: una, name: "Walt")
            _ = try await Self.monitored(adminConsole) { $0.session?.id == sessionId }
            let (applet, _) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(sessionId)/start", token: una).status == .ok)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(sessionId)/messages", token: una, json: ["text": "Let me look"]).status == .created)
            _ = try await Self.monitored(adminConsole) { $0.entry?.text == "Let me look" }
            #expect(try await gw.request(.post, "/api/v1/sessions/\(sessionId)/end", token: admin).status == .notFound, "watching is not acting")

            // E2: the administrator joins the session as a colleague, straight into Collaboration.
            let joined = try await gw.request(.post, "/api/v1/monitorings/\(id)/sessions/\(sessionId)/join", token: admin)
            #expect(joined.status == .ok)
            #expect(try joined.json()["state"] as? String == "collaboration")
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Administrator", joined: true)) }
            let colleagues = try await gw.request(.get, "/api/v1/sessions/\(sessionId)", token: una).json()["colleagues"] as? [[String: Any]]
            #expect(colleagues?.first?["name"] as? String == "Administrator")
            let twice = try await gw.request(.post, "/api/v1/monitorings/\(id)/sessions/\(sessionId)/join", token: admin)
            #expect(twice.status == .conflict && twice.errorCode == "already_collaborating")

            // Una closes her console: Closed by customer; the administrator ends it: Closed.
            await unaConsole.close()
            _ = try await Self.monitoring(adminConsole) { $0.id == id && $0.state == .closedByCustomer }
            let ended = try await gw.request(.delete, "/api/v1/monitorings/\(id)", token: admin)
            #expect(try ended.json()["state"] as? String == "closed")
            #expect(try await gw.request(.get, "/api/v1/monitorings", token: admin).array().isEmpty)
            #expect(try await gw.request(.delete, "/api/v1/monitorings/\(id)", token: admin).errorCode == "monitoring_not_found")
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: admin).array().compactMap { $0["action"] as? String }
            #expect(audit.contains("monitoring_started") && audit.contains("monitoring_ended"))
            await applet.close()
        }
    }

    @Test("a technician, an administrator of another group, and oneself are refused")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let master = try await gw.login()
            let una = try await gw.technician(named: "Una", permissions: Self.permissions, adminToken: master)
            let unaId = try #require(try await gw.request(.get, "/api/v1/me", token: una).json()["id"] as? String)
            let ted = try await gw.technician(named: "Ted", permissions: Self.permissions, adminToken: master)
            let tedId = try #require(try await gw.request(.get, "/api/v1/me", token: ted).json()["id"] as? String)
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: master).array()
            let tedGroup = try #require(groups.first { $0["name"] as? String == "Ted group" }?["id"] as? String)
            #expect(try await gw.request(.post, "/api/v1/admin/technicians", token: master, json: [
                "email": "scoped@lifeline.test", "name": "Scoped", "password": "long enough password", "role": "administrator",
                "managedGroupIds": [tedGroup]]).status == .created)
            let scoped = try await gw.login("scoped@lifeline.test", "long enough password")

            let byTechnician = try await gw.request(.post, "/api/v1/monitorings", token: una, json: ["technicianId": tedId])
            #expect(byTechnician.status == .forbidden && byTechnician.errorCode == "administrators_only")
            let outside = try await gw.request(.post, "/api/v1/monitorings", token: scoped, json: ["technicianId": unaId])
            #expect(outside.status == .forbidden && outside.errorCode == "outside_scope")
            #expect(try await gw.request(.post, "/api/v1/monitorings", token: scoped, json: ["technicianId": tedId]).status == .created)
            let listed = try await gw.request(.get, "/api/v1/monitorings/technicians", token: scoped).array().compactMap { $0["name"] as? String }
            #expect(listed == ["Ted"])
            let me = try #require(try await gw.request(.get, "/api/v1/me", token: master).json()["id"] as? String)
            #expect(try await gw.request(.post, "/api/v1/monitorings", token: master, json: ["technicianId": me]).status == .badRequest)
            let unknown = try await gw.request(.post, "/api/v1/monitorings", token: master, json: ["technicianId": "nobody"])
            #expect(unknown.status == .notFound)
        }
    }

    @Test("20 concurrent starts of the same monitoring: exactly one is made")
    func racedStarts() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let una = try await gw.technician(named: "Una", permissions: Self.permissions, adminToken: admin)
            let unaId = try #require(try await gw.request(.get, "/api/v1/me", token: una).json()["id"] as? String)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { Int(try await gw.request(.post, "/api/v1/monitorings", token: admin, json: ["technicianId": unaId]).status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 19)
            #expect(try await gw.request(.get, "/api/v1/monitorings", token: admin).array().count == 1)
        }
    }
}
