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
}
