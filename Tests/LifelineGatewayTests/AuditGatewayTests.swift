import Foundation
import Logging
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Audit log: sign-ins, PINs, admin changes with before/after, consent; hash-chained and reported")
struct AuditGatewayTests {
    @Test("what happens is written in order, chained, readable by administrators only, and verifies")
    func trail() async throws {
        try await GatewayHarness.run { gw in
            _ = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": "wrong guess"])
            let admin = try await gw.login()
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin,
                                             json: ["name": "Desk", "permissions": ["chat", "start_private_sessions", "connect_by_pin", "remote_control"]]).json()
            let created = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": "rene@lifeline.test", "name": "René", "password": "tea kettle on the sill", "groupId": group["id"] as! String,
            ]).json()
            _ = try await gw.request(.patch, "/api/v1/admin/technicians/\(created["id"] as! String)", token: admin, json: ["name": "René Roy"])
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["urgentAfterSeconds": 300])
            let rene = try await gw.login("rene@lifeline.test", "tea kettle on the sill")
            let scene = try await RemoteScene.make(gw)
            scene.ask(.control)
            try await scene.accept()

            let rows = try await gw.request(.get, "/api/v1/admin/audit", token: admin).array()
            let actions = rows.compactMap { $0["action"] as? String }
            #expect(actions.starts(with: ["sign_in_failed", "sign_in", "group_created", "technician_created", "technician_changed",
                                          "settings_changed", "sign_in"]), "\(actions)")
            #expect(actions.contains("pin_created") && actions.contains("customer_joined") && actions.contains("consent_given"))
            let failed = try #require(rows.first)
            #expect(failed["actor"] as? String == GatewayHarness.adminEmail)
            #expect((failed["after"] as? String)?.contains("bad_credentials") == true)
            let renamed = try #require(rows.first { $0["action"] as? String == "technician_changed" })
            #expect((renamed["before"] as? String)?.contains(#""name":"René""#) == true)
            #expect((renamed["after"] as? String)?.contains(#""name":"René Roy""#) == true)
            let settings = try #require(rows.first { $0["action"] as? String == "settings_changed" })
            #expect((settings["before"] as? String)?.contains(#""urgentAfterSeconds":120"#) == true)
            #expect((settings["after"] as? String)?.contains(#""urgentAfterSeconds":300"#) == true)
            let consent = try #require(rows.first { $0["action"] as? String == "consent_given" })
            #expect(consent["objectType"] as? String == "remote_control" && consent["actor"] as? String == "customer")
            #expect(!rows.contains { ($0["after"] as? String)?.contains("tea kettle") == true }, "never a password")

            #expect(try await gw.request(.get, "/api/v1/admin/audit", token: rene).status == .forbidden)
            let csv = String(decoding: try await gw.request(.get, "/api/v1/admin/audit?format=csv", token: admin).body, as: UTF8.self)
            #expect(csv.hasPrefix("Entry,Time,Who,Action,Object type,Object,Before,After,Source,Hash\r\n1,"))

            var logger = Logger(label: "test")
            logger.logLevel = .critical
            guard case .intact(let count, _) = try await verifyAuditLog(in: gw.database, logger: logger) else {
                Issue.record("the untouched log should verify")
                return
            }
            #expect(count == rows.count)
            await scene.applet.close()
        }
    }
}
