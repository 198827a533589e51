import Foundation
import Testing
@testable import LifelineGateway

@Suite("The Monitored tab (C2): administrators only")
struct MonitoredTabTests {
    @Test("an administrator sees the other technicians' live sessions read-only; a technician is refused the tab")
    func monitoredTab() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let una = try await gw.technician(named: "Una", permissions: ["start_private_sessions", "connect_by_pin", "chat"], adminToken: admin)
            let (id, _) = try await gw.createSession(token: una, name: "Vera")
            _ = try await gw.createSession(token: admin, name: "Own session")
            let monitored = try await gw.request(.get, "/api/v1/sessions?queue=monitored", token: admin).array()
            #expect(monitored.map { $0["id"] as? String } == [id])
            #expect(monitored.first?["technicianName"] as? String == "Una")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: admin).status == .notFound, "watching is not acting")
            let refused = try await gw.request(.get, "/api/v1/sessions?queue=monitored", token: una)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "administrators_only")
        }
    }

    @Test("an administrator of some groups sees only their technicians' sessions in the Monitored tab")
    func scopedAdministratorSeesTheirGroupsOnly() async throws {
        try await GatewayHarness.run { gw in
            let master = try await gw.login()
            let permissions = ["start_private_sessions", "connect_by_pin", "chat"]
            let una = try await gw.technician(named: "Una", permissions: permissions, adminToken: master)
            let ted = try await gw.technician(named: "Ted", permissions: permissions, adminToken: master)
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: master).array()
            let unaGroup = try #require(groups.first { $0["name"] as? String == "Una group" }?["id"] as? String)
            let created = try await gw.request(.post, "/api/v1/admin/technicians", token: master, json: [
                "email": "scoped@lifeline.test", "name": "Scoped", "password": "long enough password", "role": "administrator",
                "managedGroupIds": [unaGroup]])
            #expect(created.status == .created)
            let scoped = try await gw.login("scoped@lifeline.test", "long enough password")
            let (unaSession, _) = try await gw.createSession(token: una, name: "Vera")
            let (tedSession, _) = try await gw.createSession(token: ted, name: "Walt")
            let seen = try await gw.request(.get, "/api/v1/sessions?queue=monitored", token: scoped).array()
            #expect(seen.map { $0["id"] as? String } == [unaSession])
            let all = try await gw.request(.get, "/api/v1/sessions?queue=monitored", token: master).array()
            #expect(Set(all.compactMap { $0["id"] as? String }) == [unaSession, tedSession])
        }
    }
}
