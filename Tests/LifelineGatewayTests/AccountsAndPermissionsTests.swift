import Foundation
import HTTPTypes
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Accounts, permissions and limits are enforced by the gateway")
struct AccountsAndPermissionsTests {
    @Test("login sets an HttpOnly SameSite=Strict cookie and returns a bearer token that works")
    func login() async throws {
        try await GatewayHarness.run { gw in
            let reply = try await gw.request(.post, "/api/v1/auth/login",
                                             json: ["email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword, "remember": true])
            #expect(reply.status == .ok)
            let cookie = try #require(reply.headers[.setCookie])
            #expect(cookie.contains("lifeline_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Max-Age=2592000"), "remember me keeps the login 30 days")
            let token = try #require(try reply.json()["token"] as? String)
            let me = try await gw.request(.get, "/api/v1/me", token: token)
            #expect(try me.json()["email"] as? String == GatewayHarness.adminEmail)
            let byCookie = try await gw.request(.get, "/api/v1/me", headers: [.cookie: "lifeline_session=\(token)"])
            #expect(byCookie.status == .ok)
        }
    }

    @Test("a wrong password and a missing login are refused; ten wrong passwords lock the address")
    func refusedLogins() async throws {
        try await GatewayHarness.run { gw in
            let wrong = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": "nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "bad_credentials")
            #expect(try await gw.request(.get, "/api/v1/sessions").status == .unauthorized)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: "forged").status == .unauthorized)
            for _ in 0..<9 { _ = try await gw.request(.post, "/api/v1/auth/login", json: ["email": "x@y.z", "password": "nope"]) }
            let locked = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword])
            #expect(locked.status == .tooManyRequests)
        }
    }

    @Test("logout revokes the token and closes the technician's console sockets")
    func logoutClosesSockets() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let console = gw.console(token: token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            #expect(try await gw.request(.post, "/api/v1/auth/logout", token: token).status == .noContent)
            #expect(await console.closes(within: 3), "the console socket is closed")
            #expect(try await gw.request(.get, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test("disabling a technician closes their sockets and their token stops working")
    func disablingClosesSockets() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tech = try await gw.technician(named: "Tom", permissions: ["start_private_sessions", "connect_by_pin", "chat"], adminToken: admin)
            let console = gw.console(token: tech)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let tomId = try await gw.technicianId(named: "Tom", adminToken: admin)
            let patched = try await gw.request(.patch, "/api/v1/admin/technicians/\(tomId)", token: admin, json: ["disabled": true])
            #expect(patched.status == .ok)
            #expect(await console.closes(within: 3))
            #expect(try await gw.request(.get, "/api/v1/sessions", token: tech).status == .unauthorized)
        }
    }

    @Test("a disabled account answers a wrong password exactly as any account does; only the right password learns it is disabled")
    func disabledAccountIsNoPasswordOracle() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            _ = try await gw.technician(named: "Tom", permissions: ["chat"], adminToken: admin)
            let tomId = try await gw.technicianId(named: "Tom", adminToken: admin)
            #expect(try await gw.request(.patch, "/api/v1/admin/technicians/\(tomId)", token: admin, json: ["disabled": true]).status == .ok)
            let wrong = try await gw.request(.post, "/api/v1/auth/login", json: ["email": "tom@lifeline.test", "password": "not the password"])
            let unknown = try await gw.request(.post, "/api/v1/auth/login", json: ["email": "nobody@lifeline.test", "password": "not the password"])
            #expect(wrong.status == .unauthorized && wrong.errorCode == "bad_credentials")
            #expect(wrong.status == unknown.status && wrong.body == unknown.body, "\(String(decoding: wrong.body, as: UTF8.self)) vs \(String(decoding: unknown.body, as: UTF8.self))")
            let right = try await gw.request(.post, "/api/v1/auth/login", json: ["email": "tom@lifeline.test", "password": "long enough password"])
            #expect(right.status == .forbidden && right.errorCode == "account_disabled")
        }
    }

    @Test("each gated action is refused without its permission", arguments: [
        ("link session without connect_by_link", ["start_private_sessions", "connect_by_pin"], "link", "create"),
        ("any session without start_private_sessions", ["connect_by_pin", "connect_by_link"], "pin", "create"),
        ("hold without hold_sessions", ["start_private_sessions", "connect_by_pin", "chat"], "pin", "hold"),
        ("chat without chat", ["start_private_sessions", "connect_by_pin", "hold_sessions"], "pin", "chat"),
        ("email invitation without connect_by_email", ["start_private_sessions", "connect_by_link"], "link", "email"),
        ("SMS invitation without connect_by_sms", ["start_private_sessions", "connect_by_link", "connect_by_email"], "link", "sms"),
    ])
    func permissionRefusals(label: String, permissions: [String], method: String, action: String) async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tech = try await gw.technician(named: "Pat", permissions: permissions, adminToken: admin)
            if action == "create" {
                let reply = try await gw.request(.post, "/api/v1/sessions", token: tech, json: ["method": method])
                #expect(reply.status == .forbidden, "\(label)")
                #expect(reply.errorCode == "permission_denied")
                return
            }
            if action == "email" || action == "sms" {
                let (id, _) = try await gw.createSession(token: tech, method: "link")
                let calls: [(HTTPRequest.Method, String)] = action == "sms" ? [(.post, "sms")] : [(.post, "email"), (.get, "email-draft")]
                for (method, path) in calls {
                    let reply = try await gw.request(method, "/api/v1/sessions/\(id)/invitations/\(path)", token: tech,
                                                     json: method == .post ? ["to": action == "sms" ? "+33612345678" : "a@b.test"] : nil)
                    #expect(reply.status == .forbidden, "\(label)")
                }
                return
            }
            let (id, pin) = try await gw.createSession(token: tech)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: tech).status == .ok)
            let reply = action == "hold"
                ? try await gw.request(.post, "/api/v1/sessions/\(id)/hold", token: tech)
                : try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: tech, json: ["text": "hi"])
            #expect(reply.status == .forbidden, "\(label)")
            #expect(reply.errorCode == "permission_denied")
            await applet.close()
        }
    }

    @Test("another technician's session is invisible: 404 for every action on it")
    func foreignSessionsAreNotFound() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let other = try await gw.technician(named: "Olga", permissions: ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions"], adminToken: admin)
            let (id, _) = try await gw.createSession(token: admin)
            for path in ["", "/log"] {
                #expect(try await gw.request(.get, "/api/v1/sessions/\(id)\(path)", token: other).status == .notFound)
            }
            for command in ["start", "hold", "end"] {
                let reply = try await gw.request(.post, "/api/v1/sessions/\(id)/\(command)", token: other)
                #expect(reply.status == .notFound)
                #expect(reply.errorCode == "session_not_found")
            }
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: other, json: ["text": "x"]).status == .notFound)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: other).array().isEmpty)
            let console = gw.console(token: other)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            console.send(ConsoleToGateway.command(.init(sessionId: id, command: .end)))
            let error = try await console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            #expect(error == .error(.init(code: "session_not_found", message: GatewayError.sessionNotFound.message, sessionId: id)))
            #expect(try await gw.state(of: id, token: admin) == "connecting", "nothing happened to it")
        }
    }

    @Test("technicians cannot use the admin API")
    func adminOnly() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tech = try await gw.technician(named: "Tina", permissions: ["chat"], adminToken: admin)
            let reply = try await gw.request(.post, "/api/v1/admin/groups", token: tech, json: ["name": "mine", "permissions": ["reboot"]])
            #expect(reply.status == .forbidden)
            #expect(reply.errorCode == "administrators_only")
            let unknown = try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "x", "permissions": ["fly"]])
            #expect(unknown.status == .badRequest)
        }
    }

    @Test("an eleventh active session is refused; holding one frees a place")
    func eleventhActiveSession() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            var ids: [String] = []
            var applets: [SocketProbe] = []
            for index in 0..<11 {
                let (id, pin) = try await gw.createSession(token: token, name: "Customer \(index)")
                applets.append(try await gw.connectApplet(pin: pin).probe)
                ids.append(id)
            }
            for id in ids.prefix(10) {
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
            }
            let refused = try await gw.request(.post, "/api/v1/sessions/\(ids[10])/start", token: token)
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "too_many_active_sessions")
            #expect(try await gw.state(of: ids[10], token: token) == "waiting")
            _ = try await gw.request(.post, "/api/v1/sessions/\(ids[0])/hold", token: token)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(ids[10])/start", token: token).status == .ok)
            for applet in applets { await applet.close() }
        }
    }
}
