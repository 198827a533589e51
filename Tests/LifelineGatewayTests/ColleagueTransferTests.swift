import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// A colleague's Transfer (I4) passes their place in the session to another colleague; the session
/// stays with its lead (the appendix has no Collaboration → Outgoing).
@Suite("A collaborating technician transfers their place (I4)")
struct ColleagueTransferTests {
    /// Dan, Online with a console: the one Bea passes her place to.
    static func dan(_ scene: ColleagueScene) async throws -> (token: String, id: String, console: SocketProbe) {
        let token = try await scene.gw.technician(named: "Dan", permissions: colleaguePermissions, adminToken: scene.admin)
        let id = try #require(try await scene.gw.request(.get, "/api/v1/me", token: token).json()["id"] as? String)
        let console = scene.gw.console(token: token)
        _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        return (token, id, console)
    }

    func transfer(_ scene: ColleagueScene, to target: Any, comment: String = "Dan knows this printer") async throws -> GatewayHarness.Reply {
        try await scene.post("transfer", scene.bea, json: ["to": target, "comment": comment])
    }

    @Test("Bea's Transfer: Dan gets an Invitation with her permissions and the comment, she leaves, the lead keeps the session")
    func passesHerPlace() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            let dan = try await Self.dan(scene)
            try await scene.beaCollaborating(permissions: ["chat", "transfer_sessions"])
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Bea", joined: true)) }

            let passed = try await transfer(scene, to: dan.id)
            #expect(passed.status == .ok)
            #expect(try passed.json()["state"] as? String == "closed", "her place closed: the session leaves her queue")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .collaborator(.init(name: "Bea", joined: false)) }
            let invited = try await dan.console.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .invitation } else { false }
            }
            guard case .session(let seen) = invited else { return }
            #expect(seen.technicianName == "Administrator", "he is invited into the lead's session")
            let dansPlace = try await scene.colleagues(as: scene.admin).first { $0["name"] as? String == "Dan" }
            #expect(dansPlace?["comment"] as? String == "Dan knows this printer" && dansPlace?["invitedBy"] as? String == "Bea")
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "active", "the session stays with its lead")
            #expect(try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)", token: scene.bea).status == .notFound)

            // Dan starts: he collaborates with what the lead allowed Bea, no more.
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: dan.token).json()["state"] as? String == "collaboration")
            let colleagues = try await scene.colleagues(as: scene.admin)
            #expect(colleagues.map { $0["name"] as? String } == ["Dan"])
            #expect(Set(colleagues.first?["permissions"] as? [String] ?? []) == ["chat", "transfer_sessions"])
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.admin).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Bea invited Dan to collaborate: Dan knows this printer"))
            #expect(texts.contains("Bea left the collaboration; the session goes on."))
            await scene.applet.close()
        }
    }

    @Test("refused: not allowed in this session (403), to a queue (400), while on hold (409), to the lead or someone already in (409)")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw)
            let dan = try await Self.dan(scene)
            try await scene.beaCollaborating(permissions: ["chat", "hold_sessions"])
            let notAllowed = try await transfer(scene, to: dan.id)
            #expect(notAllowed.status == .forbidden && notAllowed.errorCode == "permission_denied")
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/colleagues/\(scene.beaId)", token: scene.admin,
                                         json: ["permissions": ["chat", "hold_sessions", "transfer_sessions"]]).status == .ok)
            let groupId = try #require(try await gw.request(.get, "/api/v1/transfer-queues", token: scene.bea).array().first?["id"] as? String)
            #expect(try await transfer(scene, to: ["group": groupId]).status == .badRequest)
            let adminId = try #require(try await gw.request(.get, "/api/v1/me", token: scene.admin).json()["id"] as? String)
            #expect(try await transfer(scene, to: adminId).errorCode == "already_collaborating")
            #expect(try await scene.post("hold", scene.bea).json()["state"] as? String == "on_hold")
            #expect(try await transfer(scene, to: dan.id).status == .conflict)
            #expect(try await gw.state(of: scene.sessionId, token: scene.bea) == "on_hold", "nothing changed")
            await scene.applet.close()
        }
    }
}
