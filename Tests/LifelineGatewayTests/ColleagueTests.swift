import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

let colleaguePermissions = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions", "transfer_sessions",
                                    "invite_internal_technicians"]

/// The administrator leads an active session with customer Carl; Bea and Dan, Online with a
/// console each, may be invited into it.
struct ColleagueScene {
    let gw: GatewayHarness
    let admin: String
    let bea: String
    let beaId: String
    let beaConsole: SocketProbe
    let adminConsole: SocketProbe
    let sessionId: String
    let applet: SocketProbe

    static func make(_ gw: GatewayHarness, beaPermissions: [String] = colleaguePermissions) async throws -> ColleagueScene {
        let admin = try await gw.login()
        let bea = try await gw.technician(named: "Bea", permissions: beaPermissions, adminToken: admin)
        let beaId = try #require(try await gw.request(.get, "/api/v1/me", token: bea).json()["id"] as? String)
        let beaConsole = gw.console(token: bea)
        _ = try await beaConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        let adminConsole = gw.console(token: admin)
        _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        let (id, pin) = try await gw.createSession(token: admin, name: "Carl")
        let (applet, _) = try await gw.connectApplet(pin: pin)
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin)
        return ColleagueScene(gw: gw, admin: admin, bea: bea, beaId: beaId, beaConsole: beaConsole, adminConsole: adminConsole,
                              sessionId: id, applet: applet)
    }

    func invite(_ technicianId: String? = nil, permissions: [String]? = nil, comment: String = "Printers are your thing",
                by token: String? = nil) async throws -> GatewayHarness.Reply {
        var body: [String: Any] = ["technicianId": technicianId ?? beaId, "comment": comment]
        if let permissions { body["permissions"] = permissions }
        return try await gw.request(.post, "/api/v1/sessions/\(sessionId)/colleagues", token: token ?? admin, json: body)
    }

    func post(_ path: String, _ token: String, json: [String: Any]? = nil) async throws -> GatewayHarness.Reply {
        if let json { return try await gw.request(.post, "/api/v1/sessions/\(sessionId)/\(path)", token: token, json: json) }
        return try await gw.request(.post, "/api/v1/sessions/\(sessionId)/\(path)", token: token)
    }

    /// Bea invited and collaborating.
    func beaCollaborating(permissions: [String]? = nil) async throws {
        #expect(try await invite(permissions: permissions).status == .created)
        _ = try await beaConsole.expect(GatewayToConsole.self) { if case .session(let s) = $0 { s.state == .invitation } else { false } }
        #expect(try await post("start", bea).json()["state"] as? String == "collaboration")
    }

    func beaState() async throws -> String { try await gw.state(of: sessionId, token: bea) }

    func colleagues(as token: String) async throws -> [[String: Any]] {
        try await gw.request(.get, "/api/v1/sessions/\(sessionId)", token: token).json()["colleagues"] as? [[String: Any]] ?? []
    }
}

@Suite("Colleagues in one session (I1, I3)")
struct ColleagueTests {
    @Test("invited → Invitation with the comment; Start → Collaboration; the customer is told; both chat; the private chat never reaches the customer")
    func inviteJoinChat() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            let invited = try await scene.invite()
            #expect(invited.status == .created)
            let colleague = try #require((try invited.json()["colleagues"] as? [[String: Any]])?.first)
            #expect(colleague["state"] as? String == "invitation")
            #expect(colleague["comment"] as? String == "Printers are your thing")
            #expect(colleague["invitedBy"] as? String == "Administrator")
            let seen = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .invitation } else { false }
            }
            guard case .session(let beaView) = seen else { return }
            #expect(beaView.technicianName == "Administrator", "she sees who leads it")

            #expect(try await scene.post("start", scene.bea).json()["state"] as? String == "collaboration")
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "active", "the lead's view stays Active")
            #expect(try await scene.colleagues(as: scene.admin).first?["state"] as? String == "collaboration")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Bea", joined: true)) }

            #expect(try await scene.post("technician-messages", scene.bea, json: ["text": "I think it is the driver."]).status == .created)
            _ = try await scene.adminConsole.expect(GatewayToConsole.self) {
                if case .log(let e) = $0 { e.kind == .privateChat && e.author == "Bea" } else { false }
            }
            #expect(try await scene.post("messages", scene.bea, json: ["text": "Hello Carl, I am Bea."]).status == .created)
            let chat = try await scene.applet.expect(GatewayToApplet.self) {
                if case .chat = $0 { true } else if case .status = $0 { true } else { false }
            }
            if case .chat(let entry) = chat {
                #expect(entry.text == "Hello Carl, I am Bea.", "the private line never came first: \(entry.text)")
                #expect(entry.kind == .chat)
            } else {
                Issue.record("expected Bea's chat line, got \(chat)")
            }
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.admin).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator invited Bea to collaborate: Printers are your thing"))
            #expect(texts.contains("Bea joined the session as a collaborator."))
            await scene.applet.close()
        }
    }

    @Test("a colleague does only what the lead allowed; holding is for themselves; the lead's hold holds everyone")
    func permissionsAndHolds() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            try await scene.beaCollaborating(permissions: ["hold_sessions"])
            let chat = try await scene.post("messages", scene.bea, json: ["text": "Hello"])
            #expect(chat.status == .forbidden)
            #expect(chat.errorCode == "permission_denied")
            #expect(try await scene.post("technician-messages", scene.bea, json: ["text": "I may not chat with him"]).status == .created,
                    "the technicians' chat needs no permission")

            #expect(try await scene.post("hold", scene.bea).json()["state"] as? String == "on_hold")
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "active", "her hold is hers only")
            #expect(try await scene.post("start", scene.bea).json()["state"] as? String == "collaboration")

            _ = try await scene.post("hold", scene.admin)
            #expect(try await scene.beaState() == "on_hold", "the lead's hold holds everyone")
            let early = try await scene.post("start", scene.bea)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "lead_on_hold")
            _ = try await scene.post("start", scene.admin)
            #expect(try await scene.beaState() == "collaboration", "the lead's start brings her back")

            // Now the lead allows the chat.
            let edited = try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin,
                                              json: ["permissions": ["chat", "hold_sessions"]])
            #expect(edited.status == .ok)
            #expect(try await scene.post("messages", scene.bea, json: ["text": "Hello"]).status == .created)
            await scene.applet.close()
        }
    }

    @Test("refusals: not the lead, no permission, Away, twice, unknown permission, a stranger's session")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            let dan = try await gw.technician(named: "Dan", permissions: ["chat", "start_private_sessions", "connect_by_pin"], adminToken: scene.admin)
            let danId = try #require(try await gw.request(.get, "/api/v1/me", token: dan).json()["id"] as? String)
            let danConsole = gw.console(token: dan)
            _ = try await danConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }

            #expect(try await scene.invite(danId, by: scene.bea).status == .notFound, "Bea does not see the session yet")
            try await scene.beaCollaborating()
            let notLead = try await scene.invite(danId, by: scene.bea)
            #expect(notLead.status == .forbidden)
            #expect(notLead.errorCode == "not_lead")
            #expect(try await gw.request(.delete, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.bea).errorCode == "not_lead")
            #expect(try await scene.invite().errorCode == "already_collaborating")
            #expect(try await scene.invite(permissions: ["fly"]).status == .badRequest)

            _ = try await gw.request(.put, "/api/v1/me/status", token: dan, json: ["away": true])
            let away = try await scene.invite(danId)
            #expect(away.status == .conflict)
            #expect(away.errorCode == "technician_unavailable")
            #expect(try await scene.invite("no-such-technician").errorCode == "technician_not_found")
            #expect(try await scene.post("technician-messages", dan, json: ["text": "let me in"]).status == .notFound)

            // Dan leads his own session but may not invite.
            let (danSession, _) = try await gw.createSession(token: dan, name: "Eve")
            let refused = try await gw.request(.post, "/api/v1/sessions/\(danSession)/colleagues", token: dan, json: ["technicianId": scene.beaId])
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "permission_denied")
            await scene.applet.close()
        }
    }

    @Test("the lead hands over the lead: offered, accepted; the former lead collaborates and can leave; the session goes on")
    func handOver() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            #expect(try await scene.invite().status == .created)
            let early = try await scene.post("lead-offer", scene.admin, json: ["technicianId": scene.beaId])
            #expect(early.errorCode == "session_not_active", "she has not accepted the invitation yet")
            #expect(try await scene.post("start", scene.bea).status == .ok)
            #expect(try await scene.post("lead", scene.bea).errorCode == "no_lead_offer")

            let offered = try await scene.post("lead-offer", scene.admin, json: ["technicianId": scene.beaId])
            #expect(offered.status == .ok)
            #expect(try await scene.colleagues(as: scene.bea).first?["leadOffered"] as? Bool == true)
            #expect(try await scene.post("lead-offer", scene.admin, json: ["technicianId": scene.beaId]).errorCode == "lead_offer_pending")
            #expect(try await gw.request(.delete, "/api/v1/sessions/\(scene.sessionId)/lead-offer", token: scene.admin).status == .ok)
            #expect(try await scene.post("lead", scene.bea).errorCode == "no_lead_offer", "the offer was withdrawn")
            _ = try await scene.post("lead-offer", scene.admin, json: ["technicianId": scene.beaId])

            let accepted = try await scene.post("lead", scene.bea)
            #expect(accepted.status == .ok)
            #expect(try accepted.json()["state"] as? String == "active")
            #expect(try accepted.json()["technicianName"] as? String == "Bea")
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "collaboration")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianChanged(.init(name: "Bea")) }

            #expect(try await scene.post("end", scene.admin).status == .ok, "the former lead leaves")
            #expect(try await scene.beaState() == "active", "the session goes on with Bea")
            #expect(try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)", token: scene.admin).status == .notFound)
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.bea).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator offered the lead role to Bea."))
            #expect(texts.contains("Bea is the lead technician now."))
            #expect(texts.contains("Administrator left the collaboration; the session goes on."))
            await scene.applet.close()
        }
    }

    @Test("the lead removes a colleague; the lead's End ends it for everyone; a declined invitation leaves her queue")
    func removeAndClose() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            _ = try await scene.invite()
            #expect(try await scene.post("end", scene.bea).status == .ok, "she declines")
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.bea).array().isEmpty)

            try await scene.beaCollaborating()
            let removed = try await gw.request(.delete, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin)
            #expect(removed.status == .ok)
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .closed } else { false }
            }
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.bea).array().isEmpty)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Bea", joined: false)) }

            try await scene.beaCollaborating()
            _ = try await scene.post("end", scene.admin)
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .closedByCustomer } else { false }
            }
            await scene.applet.close()
        }
    }

    @Test("twenty concurrent invitations of one colleague: exactly one is made")
    func racedInvitations() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { Int(try await scene.invite().status.code) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 19)
            #expect(try await scene.colleagues(as: scene.admin).count == 1)
            await scene.applet.close()
        }
    }
}
