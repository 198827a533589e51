import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Organisation settings set by administrators (R4, C7, A6)")
struct OrganisationSettingsTests {
    @Test("the administrator's idle timeout times an active session out; a restart keeps the setting")
    func idleTimeout() async throws {
        let data = GatewayHarness.newDataDirectory()
        let clock = TestClock()
        try await GatewayHarness.run(dataDirectory: data, clock: clock) { gw in
            let admin = try await gw.login()
            let saved = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["idleTimeoutMinutes": 10])
            #expect(try saved.json()["idleTimeoutMinutes"] as? Int == 10)
            #expect(try saved.json()["connectingTimeoutMinutes"] as? Int == 20, "what is left out stays")
            let (id, pin) = try await gw.createSession(token: admin)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin)
            gw.clock.advance(by: 9 * 60)
            await gw.hub.runTimers()
            #expect(try await gw.state(of: id, token: admin) == "active")
            gw.clock.advance(by: 61)
            await gw.hub.runTimers()
            #expect(try await gw.state(of: id, token: admin) == "timed_out")
            await applet.close()
        }
        try await GatewayHarness.run(dataDirectory: data, clock: clock) { gw in
            let admin = try await gw.login()
            #expect(try await gw.request(.get, "/api/v1/admin/settings", token: admin).json()["idleTimeoutMinutes"] as? Int == 10)
            let queue = try await gw.request(.get, "/api/v1/sessions", token: admin).array()
            #expect(queue.map { $0["state"] as? String } == ["timed_out"], "a timed-out session stays until the technician ends it")
        }
    }

    @Test("the hold limit: a held session times out after the administrator's days, not before")
    func holdTimeout() async throws {
        try await GatewayHarness.run { gw in
            // Days pass: a remembered sign-in (30 days) outlives them.
            let admin = try #require(try await gw.request(.post, "/api/v1/auth/login", json: [
                "email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword, "remember": true]).json()["token"] as? String)
            #expect(try await gw.request(.get, "/api/v1/admin/settings", token: admin).json()["holdTimeoutDays"] as? Int == 14)
            #expect(try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["holdTimeoutDays": 15]).status == .badRequest)
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["holdTimeoutDays": 2])
            let (id, pin) = try await gw.createSession(token: admin)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin)
            let held = try await gw.request(.post, "/api/v1/sessions/\(id)/hold", token: admin)
            #expect(held.status == .ok)
            gw.clock.advance(by: 86_400)
            await gw.hub.runTimers()
            let heldDay = try await gw.state(of: id, token: admin)
            #expect(heldDay == "on_hold")
            gw.clock.advance(by: 86_401)
            await gw.hub.runTimers()
            #expect(try await gw.state(of: id, token: admin) == "timed_out")
            await applet.close()
        }
    }

    @Test("the email invitation uses the administrator's template; a template without {link} is refused")
    func emailTemplate() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let bad = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: [
                "emailTemplate": ["subject": "Help", "body": "Call us."]])
            #expect(bad.status == .badRequest)
            #expect(((try bad.json()["error"] as? [String: Any])?["message"] as? String)?.contains("{link}") == true)
            #expect(try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: [
                "emailTemplate": ["subject": "Help from {organisation}", "body": "Hi {customer}, {technician} waits at {link} {ticket}"]]).status == .badRequest,
                    "unknown placeholders are refused")
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: [
                "emailTemplate": ["subject": "  Help from {technician}  ", "body": "Hi {customer},\nclick {link} to start."]])
            let (id, link) = try await gw.createSession(token: admin, name: "Ann", method: "link")
            let draft = try await gw.request(.get, "/api/v1/sessions/\(id)/invitations/email-draft", token: admin).json()
            #expect(draft["subject"] as? String == "Help from Administrator")
            #expect(draft["body"] as? String == "Hi Ann,\nclick \(link) to start.")
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["resetEmailTemplate": true])
            let (other, _) = try await gw.createSession(token: admin, name: "Bo", method: "link")
            let standard = try await gw.request(.get, "/api/v1/sessions/\(other)/invitations/email-draft", token: admin).json()
            #expect((standard["body"] as? String)?.hasPrefix("Hello Bo,") == true)
        }
    }

    @Test("the connecting timeout closes an unused PIN at the administrator's delay")
    func connectingTimeout() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["connectingTimeoutMinutes": 5])
            let (id, pin) = try await gw.createSession(token: admin)
            gw.clock.advance(by: 5 * 60 + 1)
            #expect(try await gw.join(pin: pin).errorCode == "pin_expired", "the PIN is dead at once, and says so")
            await gw.hub.runTimers()
            #expect(try await gw.request(.get, "/api/v1/sessions", token: admin).array().isEmpty)
            _ = id
        }
    }

    @Test("out-of-range values are refused with the setting's name; technicians cannot change settings")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tech = try await gw.technician(named: "Una", permissions: ["chat"], adminToken: admin)
            let bad = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["busyAtSessions": 11])
            #expect(bad.status == .badRequest)
            #expect(String(decoding: bad.body, as: UTF8.self).contains("busyAtSessions"))
            #expect(try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["customFieldNames": ["a", "A"]]).status == .badRequest)
            #expect(try await gw.request(.put, "/api/v1/admin/settings", token: tech, json: ["idleTimeoutMinutes": 1]).status == .forbidden)
            #expect(try await gw.request(.get, "/api/v1/admin/settings", token: admin).json()["busyAtSessions"] as? Int == 10, "nothing changed")
        }
    }
}
