import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Console options saved on the gateway; auto-start of incoming sessions (B3, B4)")
struct ConsoleOptionsTests {
    @Test("options are saved per technician and read back")
    func roundTrip() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let initial = try await gw.request(.get, "/api/v1/me/options", token: token).json()
            #expect((initial["options"] as? [String: Any])?["confirmEnd"] as? Bool == true)
            #expect(initial["autoStartDefault"] as? Bool == false)
            #expect(initial["urgentAfterSeconds"] as? Int == 120, "waiting sessions turn urgent after two minutes by default")
            let saved = try await gw.request(.put, "/api/v1/me/options", token: token,
                                             json: ["autoStartIncoming": true, "confirmEnd": false, "confirmLogout": true])
            #expect(saved.status == .ok)
            let again = try await gw.request(.get, "/api/v1/me/options", token: token).json()["options"] as? [String: Any]
            #expect(again?["autoStartIncoming"] as? Bool == true)
            #expect(again?["confirmEnd"] as? Bool == false)
            let bad = try await gw.request(.put, "/api/v1/me/options", token: token, json: ["confirmEnd": "maybe"])
            #expect(bad.status == .badRequest)
        }
    }

    @Test("administrators set the organisation's defaults; technicians cannot")
    func organisationDefaults() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tech = try await gw.technician(named: "Ola", permissions: ["chat"], adminToken: admin)
            let saved = try await gw.request(.put, "/api/v1/admin/settings", token: admin,
                                             json: ["autoStartDefault": true, "urgentAfterSeconds": 45])
            #expect(saved.status == .ok)
            let options = try await gw.request(.get, "/api/v1/me/options", token: tech).json()
            #expect(options["autoStartDefault"] as? Bool == true)
            #expect(options["urgentAfterSeconds"] as? Int == 45)
            let refused = try await gw.request(.put, "/api/v1/admin/settings", token: tech,
                                               json: ["autoStartDefault": false, "urgentAfterSeconds": 45])
            #expect(refused.status == .forbidden)
            let silly = try await gw.request(.put, "/api/v1/admin/settings", token: admin,
                                             json: ["autoStartDefault": false, "urgentAfterSeconds": 1])
            #expect(silly.status == .badRequest)
        }
    }

    @Test("auto-start: the session goes active without Start; a customer leaving before the technician acts left 'while waiting'")
    func autoStartThenCustomerLeaves() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            _ = try await gw.request(.put, "/api/v1/me/options", token: token,
                                     json: ["autoStartIncoming": true, "confirmEnd": true, "confirmLogout": true])
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("active", of: id, token: token)
            applet.send(AppletToGateway.quit)
            try await gw.waitForState("closed_by_customer_waiting", of: id, token: token)
            let states = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array().compactMap { $0["state"] as? String }
            #expect(states == ["connecting", "waiting", "active", "closed_by_customer_waiting"])
        }
    }

    @Test("auto-start, then the technician chats: the customer leaving is an ordinary 'closed by customer'")
    func autoStartThenEngaged() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: token, json: ["autoStartDefault": true])
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("active", of: id, token: token)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: token, json: ["text": "Hello!"])
            applet.send(AppletToGateway.quit)
            try await gw.waitForState("closed_by_customer", of: id, token: token)
        }
    }
}
