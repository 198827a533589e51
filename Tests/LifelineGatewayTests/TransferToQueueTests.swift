import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Bea and Dan in "Level 2" with open consoles; the administrator has an active session with Carl.
private struct QueueScene {
    let gw: GatewayHarness
    let admin: String
    let bea: String
    let dan: String
    let beaConsole: SocketProbe
    let danConsole: SocketProbe
    let groupId: String
    let sessionId: String
    let applet: SocketProbe

    static func make(_ gw: GatewayHarness) async throws -> QueueScene {
        let admin = try await gw.login()
        let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin,
                                         json: ["name": "Level 2", "permissions": ["chat", "transfer_sessions", "channel_sessions"]]).json()
        let groupId = try #require(group["id"] as? String)
        var tokens: [String] = []
        for name in ["Bea", "Dan"] {
            _ = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": "\(name.lowercased())@lifeline.test", "name": name, "password": "long enough password", "groupId": groupId,
            ])
            tokens.append(try await gw.login("\(name.lowercased())@lifeline.test", "long enough password"))
        }
        let consoles = tokens.map { gw.console(token: $0) }
        for console in consoles { _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } } }
        let (id, pin) = try await gw.createSession(token: admin, name: "Carl")
        let (applet, _) = try await gw.connectApplet(pin: pin)
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin)
        return QueueScene(gw: gw, admin: admin, bea: tokens[0], dan: tokens[1], beaConsole: consoles[0], danConsole: consoles[1],
                          groupId: groupId, sessionId: id, applet: applet)
    }

    func transfer(to target: Any, comment: String = "Needs level 2") async throws -> GatewayHarness.Reply {
        try await gw.request(.post, "/api/v1/sessions/\(sessionId)/transfer", token: admin, json: ["to": target, "comment": comment])
    }

    func sees(_ console: SocketProbe, _ state: SessionState) async throws {
        _ = try await console.expect(GatewayToConsole.self) {
            if case .session(let s) = $0 { s.id == sessionId && s.state == state } else { false }
        }
    }
}

@Suite("Transfer into a group's or a channel's queue (C6, F2)")
struct TransferToQueueTests {
    @Test("to a group: every member sees Incoming with the comment; the first Start takes it from the sender and the others")
    func toGroup() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await QueueScene.make(gw)
            let reply = try await scene.transfer(to: ["group": scene.groupId])
            #expect(reply.status == .ok)
            #expect(try reply.json()["state"] as? String == "outgoing")
            let transfer = try #require(try reply.json()["transfer"] as? [String: Any])
            #expect(transfer["toName"] as? String == "Level 2")
            #expect(transfer["toQueue"] as? String == "group")
            for console in [scene.beaConsole, scene.danConsole] {
                _ = try await console.expect(GatewayToConsole.self) {
                    if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .incoming && s.transfer?.comment == "Needs level 2" } else { false }
                }
            }
            let declined = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.dan)
            #expect(declined.status == .conflict, "one member cannot bounce a queue transfer for everyone")
            #expect(declined.errorCode == "queue_transfer")

            let taken = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.bea)
            #expect(try taken.json()["state"] as? String == "active")
            try await scene.sees(scene.danConsole, .closed)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.dan).array().isEmpty)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.admin).array().isEmpty, "it left the sender's queue")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianChanged(.init(name: "Bea")) }
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.dan).status == .notFound)
            await scene.applet.close()
        }
    }

    @Test("to a channel: its technicians see it Incoming; the sender's Start cancels and it leaves their queues")
    func toChannelThenCancel() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await QueueScene.make(gw)
            let channel = try await gw.request(.post, "/api/v1/admin/channels", token: scene.admin,
                                               json: ["name": "Website help", "groupIds": [scene.groupId]]).json()
            let reply = try await scene.transfer(to: ["channel": try #require(channel["id"] as? String)])
            #expect(reply.status == .ok)
            try await scene.sees(scene.beaConsole, .incoming)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.dan).array().map { $0["state"] as? String } == ["incoming"])
            let cancelled = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.admin)
            #expect(try cancelled.json()["state"] as? String == "active")
            try await scene.sees(scene.beaConsole, .closed)
            try await scene.sees(scene.danConsole, .closed)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.bea).array().isEmpty)
            await scene.applet.close()
        }
    }

    @Test("incoming → outgoing: the recipient of a transfer passes it on to a group's queue")
    func recipientPassesOnToQueue() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await QueueScene.make(gw)
            let beaId = try #require(try await gw.request(.get, "/api/v1/me", token: scene.bea).json()["id"] as? String)
            _ = try await scene.transfer(to: beaId)
            try await scene.sees(scene.beaConsole, .incoming)
            let passed = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/transfer", token: scene.bea,
                                              json: ["to": ["group": scene.groupId], "comment": "Dan knows printers"])
            #expect(passed.status == .ok)
            #expect(try passed.json()["state"] as? String == "outgoing", "the row: incoming → outgoing")
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.admin).array().isEmpty, "the first sender is out of it")
            try await scene.sees(scene.danConsole, .incoming)
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.dan)
            try await scene.sees(scene.beaConsole, .closed)
            #expect(try await gw.state(of: scene.sessionId, token: scene.dan) == "active")
            await scene.applet.close()
        }
    }

    @Test("the customer leaves during a queue transfer: it leaves the queue's technicians too")
    func customerLeaves() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await QueueScene.make(gw)
            _ = try await scene.transfer(to: ["group": scene.groupId])
            try await scene.sees(scene.beaConsole, .incoming)
            scene.applet.send(AppletToGateway.quit)
            try await scene.sees(scene.beaConsole, .closed)
            #expect(try await gw.request(.get, "/api/v1/sessions", token: scene.dan).array().isEmpty)
        }
    }

    @Test("queues of another organisation or that do not exist are refused; a malformed target is a 400")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await QueueScene.make(gw)
            let unknownGroup = try await scene.transfer(to: ["group": "nope"])
            #expect(unknownGroup.status == .notFound)
            #expect(unknownGroup.errorCode == "group_not_found")
            #expect(try await scene.transfer(to: ["channel": "nope"]).errorCode == "channel_not_found")
            #expect(try await scene.transfer(to: ["group": "a", "channel": "b"]).status == .badRequest)
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "active", "nothing changed")
            await scene.applet.close()
        }
    }
}
