import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("External collaborators (I2, A3)")
struct CollaboratorGatewayTests {
    /// An active session of `token`'s technician with its applet connected.
    static func activeSession(_ gw: GatewayHarness, token: String) async throws -> (id: String, applet: SocketProbe) {
        let (id, pin) = try await gw.createSession(token: token)
        let (applet, _) = try await gw.connectApplet(pin: pin)
        #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
        return (id, applet)
    }

    static func collaboratorSocket(_ gw: GatewayHarness, token: String) async throws -> (SocketProbe, CollaboratorWelcome) {
        let probe = SocketProbe(port: gw.port, path: "/ws/collaborator")
        probe.send(CollaboratorToGateway.hello(.init(token: token)))
        let welcome = try await probe.expect(GatewayToCollaborator.self) { if case .welcome = $0 { true } else { false } }
        guard case .welcome(let payload) = welcome else { throw HarnessError("no welcome") }
        return (probe, payload)
    }

    @Test("invited by link in the inviter's language: joins once, chats with the customer, the lead removes them")
    func linkInvitation() async throws {
        try await GatewayHarness.run { gw in
            // The inviter works in French: the sign-in's language is kept for the account.
            let admin = try #require(try await gw.request(.post, "/api/v1/auth/login", json: [
                "email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword, "language": "fr"]).json()["token"] as? String)
            let (id, applet) = try await Self.activeSession(gw, token: admin)
            let invited = try await gw.request(.post, "/api/v1/sessions/\(id)/collaborators", token: admin,
                                               json: ["name": "Dana Vendor", "email": "dana@vendor.test"])
            #expect(invited.status == .created)
            let invitation = try invited.json()
            #expect(invitation["language"] as? String == "fr", "the inviter's language")
            #expect(invitation["state"] as? String == "invitation")
            #expect(invitation["approved"] as? Bool == false)
            let link = try #require(invitation["link"] as? String)
            let token = String(link.split(separator: "/").last!)
            #expect(link.contains("/collaborate/"))

            let page = try await gw.request(.get, "/api/v1/collaborators/invitations/\(token)").json()
            #expect(page["language"] as? String == "fr" && page["inviterName"] as? String == "Administrator")
            #expect(page["limited"] as? Bool == true)
            let joined = try await gw.request(.post, "/api/v1/collaborators/join", json: ["link": link, "name": "Dana"])
            #expect(joined.status == .ok)
            let collaboratorToken = try #require(try joined.json()["token"] as? String)
            #expect(try await gw.request(.post, "/api/v1/collaborators/join", json: ["link": link]).status == .notFound, "a link works once")

            // The customer is told who joined.
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Dana", joined: true)) }
            let (probe, welcome) = try await Self.collaboratorSocket(gw, token: collaboratorToken)
            #expect(welcome.state == .collaboration && welcome.name == "Dana" && welcome.limited)
            let listed = try await gw.request(.get, "/api/v1/sessions/\(id)/collaborators", token: admin).array()
            #expect(listed.map { $0["state"] as? String } == ["collaboration"])
            #expect(listed.first?["link"] == nil, "the list never shows the link again")

            // The customer and the lead read the collaborator; the collaborator reads the customer.
            probe.send(CollaboratorToGateway.chat(.init(text: "Vendor here, checking the driver.")))
            let toCustomer = try await applet.expect(GatewayToApplet.self) { if case .chat = $0 { true } else { false } }
            guard case .chat(let entry) = toCustomer else { return }
            #expect(entry.author == "Dana" && entry.text == "Vendor here, checking the driver.")
            applet.send(AppletToGateway.chat(.init(text: "Thanks!")))
            _ = try await probe.expect(GatewayToCollaborator.self) {
                if case .log(let entry) = $0 { entry.text == "Thanks!" } else { false }
            }

            let collaboratorId = try #require(listed.first?["id"] as? String)
            #expect(try await gw.request(.delete, "/api/v1/sessions/\(id)/collaborators/\(collaboratorId)", token: admin).status == .noContent)
            _ = try await probe.expect(GatewayToCollaborator.self) { $0 == .ended(.init(reason: "removed")) }
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Dana", joined: false)) }
            #expect(await probe.closes())
            #expect(try await gw.request(.get, "/api/v1/sessions/\(id)/collaborators", token: admin).array().isEmpty)
            await applet.close()
        }
    }

    @Test("by PIN: wrong PINs are refused and slowed down; the session's end ends the collaboration")
    func pinInvitation() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let (id, applet) = try await Self.activeSession(gw, token: admin)
            let invitation = try await gw.request(.post, "/api/v1/sessions/\(id)/collaborators", token: admin, json: ["name": "Sam"]).json()
            let pin = try #require(invitation["pin"] as? String)
            let wrong = pin == "000000" ? "000001" : "000000"
            #expect(try await gw.request(.post, "/api/v1/collaborators/pin-check", json: ["pin": wrong]).status == .notFound)
            let checked = try await gw.request(.post, "/api/v1/collaborators/pin-check", json: ["pin": pin]).json()
            #expect(checked["name"] as? String == "Sam")
            let token = try #require(try await gw.request(.post, "/api/v1/collaborators/join", json: ["pin": pin]).json()["token"] as? String)
            let (probe, _) = try await Self.collaboratorSocket(gw, token: token)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: admin).status == .ok)
            _ = try await probe.expect(GatewayToCollaborator.self) { $0 == .ended(.init(reason: "session ended")) }
            #expect(await probe.closes())
            // The token is dead with the collaboration.
            let again = SocketProbe(port: gw.port, path: "/ws/collaborator")
            again.send(CollaboratorToGateway.hello(.init(token: token)))
            _ = try await again.expect(GatewayToCollaborator.self) {
                if case .error(let failure) = $0 { failure.code == "unknown_collaborator_token" } else { false }
            }
            await applet.close()
            for _ in 0..<12 { _ = try await gw.request(.post, "/api/v1/collaborators/pin-check", json: ["pin": wrong]) }
            #expect(try await gw.request(.post, "/api/v1/collaborators/pin-check", json: ["pin": wrong]).status == .tooManyRequests)
        }
    }

    @Test("refused without the permission (403), in another's session (404), before the session is active (409), with bad input (400)")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let plain = try await gw.technician(named: "Plain", permissions: ["chat", "start_private_sessions", "connect_by_pin"], adminToken: admin)
            let (mine, applet) = try await Self.activeSession(gw, token: plain)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(mine)/collaborators", token: plain, json: ["name": "X"]).status == .forbidden)
            let (adminSession, adminApplet) = try await Self.activeSession(gw, token: admin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(adminSession)/collaborators", token: plain, json: ["name": "X"]).status == .notFound)
            #expect(try await gw.request(.get, "/api/v1/sessions/\(adminSession)/collaborators", token: plain).status == .notFound)
            let (waiting, _) = try await gw.createSession(token: admin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(waiting)/collaborators", token: admin, json: ["name": "X"]).status == .conflict)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(adminSession)/collaborators", token: admin, json: ["name": "  "]).status == .badRequest)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(adminSession)/collaborators", token: admin,
                                         json: ["name": "X", "email": "not an address"]).status == .badRequest)
            for number in 1...ExternalCollaboration.maximumPerSession {
                #expect(try await gw.request(.post, "/api/v1/sessions/\(adminSession)/collaborators", token: admin, json: ["name": "N\(number)"]).status == .created)
            }
            #expect(try await gw.request(.post, "/api/v1/sessions/\(adminSession)/collaborators", token: admin, json: ["name": "One more"]).status == .conflict)
            await applet.close()
            await adminApplet.close()
        }
    }

    @Test("an approved address gets the full console; an invitation survives a gateway restart")
    func approvedAndRestart() async throws {
        let data = GatewayHarness.newDataDirectory()
        let clock = TestClock()
        let kept = LinkBox()
        try await GatewayHarness.run(dataDirectory: data, clock: clock) { gw in
            let admin = try await gw.login()
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["approvedExternalTechnicians": ["partner@example.com"]])
            let (id, applet) = try await Self.activeSession(gw, token: admin)
            let invitation = try await gw.request(.post, "/api/v1/sessions/\(id)/collaborators", token: admin,
                                                  json: ["name": "Pat", "email": "Partner@Example.com"]).json()
            #expect(invitation["approved"] as? Bool == true)
            await kept.keep(try #require(invitation["link"] as? String))
            await applet.close()
        }
        try await GatewayHarness.run(dataDirectory: data, clock: clock) { gw in
            let token = String(await kept.link.split(separator: "/").last!)
            let page = try await gw.request(.get, "/api/v1/collaborators/invitations/\(token)")
            #expect(page.status == .ok, "the invitation was kept")
            #expect(try page.json()["limited"] as? Bool == false)
        }
    }
}

/// What the first gateway run hands to the second.
actor LinkBox {
    var link = ""
    func keep(_ link: String) { self.link = link }
}
