import Foundation
import Testing
import LifelineCore
@testable import LifelineGateway

@Suite("Sessions and technician performance reports (R3)")
struct ReportsGatewayTests {
    @Test("waiting and handling times, how sessions ended, per technician averages, CSV, time zone, scope")
    func reports() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tina = try await gw.technician(named: "Tina", permissions: ["start_private_sessions", "connect_by_pin", "chat"], adminToken: admin)
            let (served, pin) = try await gw.createSession(token: tina, name: "Ann")
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("waiting", of: served, token: tina)
            gw.clock.advance(by: 60)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(served)/start", token: tina).status == .ok)
            gw.clock.advance(by: 300)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(served)/end", token: tina).status == .ok)
            await applet.close()
            _ = try await gw.createSession(token: tina, name: "Never came")

            // 1_800_000_000 is 2027-01-15 08:00 UTC: 09:00 in Paris.
            let query = "from=2027-01-15&to=2027-01-15&timeZone=Europe/Paris"
            let rows = try await gw.request(.get, "/api/v1/reports/sessions?\(query)", token: admin).array()
            #expect(rows.count == 2)
            let ann = try #require(rows.first { $0["customer"] as? String == "Ann" })
            #expect(ann["technician"] as? String == "Tina")
            #expect(ann["group"] as? String == "Tina group")
            #expect(ann["created"] as? String == "2027-01-15 09:00")
            #expect(ann["waitingSeconds"] as? Int == 60)
            #expect(ann["handlingSeconds"] as? Int == 300)
            #expect(ann["handling"] as? String == "5:00")
            #expect(ann["endState"] as? String == "closed")
            let never = try #require(rows.first { $0["customer"] as? String == "Never came" })
            #expect(never["waitingSeconds"] is NSNull || never["waitingSeconds"] == nil)
            #expect(never["endState"] as? String == "connecting")

            let csv = try await gw.request(.get, "/api/v1/reports/sessions?\(query)&format=csv", token: admin)
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(text.hasPrefix("Session ID,Customer,Technician,Group,Channel,Method,Created,Picked up,Waiting time,Handling time,State at end"))
            #expect(text.contains("Ann,Tina,Tina group,,pin,2027-01-15 09:00,2027-01-15 09:01,1:00,5:00,closed"))

            let performance = try await gw.request(.get, "/api/v1/reports/technicians?\(query)", token: admin).array()
            #expect(performance.count == 1)
            #expect(performance.first?["sessions"] as? Int == 2)
            #expect(performance.first?["handled"] as? Int == 1)
            #expect(performance.first?["averagePickUpSeconds"] as? Int == 60)
            #expect(performance.first?["averageHandlingSeconds"] as? Int == 300)
            let performanceCSV = String(decoding: try await gw.request(.get, "/api/v1/reports/technicians?\(query)&format=csv", token: admin).body, as: UTF8.self)
            #expect(performanceCSV.contains("Tina,Tina group,2,1,1:00,5:00"))

            // Filters, and the next day is empty; an administrator of another group sees none of Tina's sessions.
            #expect(try await gw.request(.get, "/api/v1/reports/sessions?\(query)&technicianId=nobody", token: admin).array().isEmpty)
            #expect(try await gw.request(.get, "/api/v1/reports/sessions?from=2027-01-16&to=2027-01-16&timeZone=Europe/Paris", token: admin).array().isEmpty)
            #expect(try await gw.request(.get, "/api/v1/reports/sessions?from=2027-02-30", token: admin).status == .badRequest)
            let other = try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "Other", "permissions": []]).json()
            _ = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": "olga@lifeline.test", "name": "Olga", "password": "long enough password", "role": "administrator",
                "managedGroupIds": [other["id"] as! String]])
            let olga = try await gw.login("olga@lifeline.test", "long enough password")
            #expect(try await gw.request(.get, "/api/v1/reports/sessions?\(query)", token: olga).array().isEmpty)
            #expect(try await gw.request(.get, "/api/v1/reports/sessions?\(query)", token: tina).status == .forbidden)
        }
    }
}
