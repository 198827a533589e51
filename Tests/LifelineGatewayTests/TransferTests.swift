import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

private let transferPermissions = ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions", "transfer_sessions"]

/// A technician "Bea" with an open console (so she is Online) and an active session of the admin's.
private struct TransferScene {
    let gw: GatewayHarness
    let admin: String
    let bea: String
    let beaId: String
    let beaConsole: SocketProbe
    let sessionId: String
    let applet: SocketProbe
    let appletToken: String

    static func make(_ gw: GatewayHarness) async throws -> TransferScene {
        let admin = try await gw.login()
        let bea = try await gw.technician(named: "Bea", permissions: transferPermissions, adminToken: admin)
        let beaId = try #require(try await gw.request(.get, "/api/v1/me", token: bea).json()["id"] as? String)
        let beaConsole = gw.console(token: bea)
        _ = try await beaConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        let (id, pin) = try await gw.createSession(token: admin, name: "Carl")
        let (applet, appletToken) = try await gw.connectApplet(pin: pin)
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin)
        return TransferScene(gw: gw, admin: admin, bea: bea, beaId: beaId, beaConsole: beaConsole, sessionId: id,
                             applet: applet, appletToken: appletToken)
    }

    func transfer(comment: String = "Printer driver, needs Linux skills") async throws -> GatewayHarness.Reply {
        try await gw.request(.post, "/api/v1/sessions/\(sessionId)/transfer", token: admin, json: ["to": beaId, "comment": comment])
    }

    func queue(_ token: String) async throws -> [[String: Any]] {
        try await gw.request(.get, "/api/v1/sessions", token: token).array()
    }
}

@Suite("Transfer between technicians (C6)")
struct TransferTests {
    @Test("active → outgoing for the sender, incoming for the recipient, with the comment; the recipient's Start takes it over")
    func transferAndTakeOver() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            let reply = try await scene.transfer()
            #expect(reply.status == .ok)
            #expect(try reply.json()["state"] as? String == "outgoing")
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .incoming && s.transfer?.comment == "Printer driver, needs Linux skills" } else { false }
            }
            let beaQueue = try await scene.queue(scene.bea)
            #expect(beaQueue.map { $0["state"] as? String } == ["incoming"])
            #expect(try await scene.gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/messages", token: scene.bea, json: ["text": "x"]).status == .conflict)

            let started = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.bea)
            #expect(try started.json()["state"] as? String == "active")
            #expect(try started.json()["transferredBy"] as? String == "Administrator")
            #expect(try await scene.queue(scene.admin).isEmpty, "it leaves the sender's queue")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianChanged(.init(name: "Bea")) }
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/messages", token: scene.bea, json: ["text": "Hi Carl, Bea here."])
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.author == "Bea" } else { false } }
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.admin).status == .notFound,
                    "the former owner can no longer act on it")
            let log = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.bea).array()
            let texts = log.compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator transferred the session to Bea: Printer driver, needs Linux skills"))
            #expect(texts.contains("Bea took over the session."))
            await scene.applet.close()
        }
    }

    @Test("the sender's Start on Outgoing cancels: it leaves the recipient's queue")
    func cancel() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            _ = try await scene.transfer()
            let back = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.admin)
            #expect(try back.json()["state"] as? String == "active")
            #expect(try await scene.queue(scene.bea).isEmpty)
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == scene.sessionId && s.state == .closed } else { false }
            }
            await scene.applet.close()
        }
    }

    @Test("the recipient's End declines: the sender has it active again")
    func decline() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            _ = try await scene.transfer()
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.bea).status == .ok)
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "active")
            #expect(try await scene.queue(scene.bea).isEmpty)
            await scene.applet.close()
        }
    }

    @Test("no transfer to an Away or Offline technician, to oneself, twice, or without the permission")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            _ = try await gw.request(.put, "/api/v1/me/status", token: scene.bea, json: ["away": true])
            let away = try await scene.transfer()
            #expect(away.status == .conflict)
            #expect(away.errorCode == "technician_unavailable")
            _ = try await gw.request(.put, "/api/v1/me/status", token: scene.bea, json: ["away": false])
            await scene.beaConsole.close()
            // The gateway notices the closed console asynchronously: wait until Bea shows Offline.
            for _ in 0..<100 {
                let bea = try await gw.request(.get, "/api/v1/technicians", token: scene.admin).array().first { $0["name"] as? String == "Bea" }
                if bea?["status"] as? String == "offline" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await scene.transfer().errorCode == "technician_unavailable", "offline: no console open")
            let adminId = try #require(try await gw.request(.get, "/api/v1/me", token: scene.admin).json()["id"] as? String)
            let toSelf = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/transfer", token: scene.admin, json: ["to": adminId])
            #expect(toSelf.status == .badRequest)
            let unknown = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/transfer", token: scene.admin, json: ["to": "nobody"])
            #expect(unknown.status == .notFound)

            let console = gw.console(token: scene.bea)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            #expect(try await scene.transfer().status == .ok)
            #expect(try await scene.transfer().errorCode == "transfer_pending")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.admin).errorCode == "transfer_pending")

            let noRight = try await gw.technician(named: "Nils", permissions: ["start_private_sessions", "connect_by_pin"], adminToken: scene.admin)
            let (nilsSession, _) = try await gw.createSession(token: noRight)
            let refused = try await gw.request(.post, "/api/v1/sessions/\(nilsSession)/transfer", token: noRight, json: ["to": scene.beaId])
            #expect(refused.status == .forbidden)
            await scene.applet.close()
        }
    }

    @Test("the customer leaving during a transfer: closed by customer for the sender, dropped from the recipient's queue")
    func customerLeavesDuringTransfer() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            _ = try await scene.transfer()
            scene.applet.send(AppletToGateway.quit)
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .ended = $0 { true } else { false } }
            try await gw.waitForState("closed_by_customer", of: scene.sessionId, token: scene.admin)
            #expect(try await scene.queue(scene.bea).isEmpty)
        }
    }

    @Test("the customer's connection lost during a transfer: the sender can still end it, and it leaves the recipient's queue")
    func senderEndsAfterTheCustomerDropped() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            _ = try await scene.transfer()
            await scene.applet.close()
            try await gw.waitForState("reconnecting", of: scene.sessionId, token: scene.admin)
            let ended = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.admin)
            #expect(ended.status == .ok)
            #expect(try ended.json()["state"] as? String == "closed")
            #expect(try await scene.queue(scene.bea).isEmpty)
            #expect(try await scene.queue(scene.admin).isEmpty)
        }
    }

    @Test("the recipient transfers it back: the sender sees Incoming, the recipient Outgoing; the sender's Start takes it back")
    func transferBack() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            _ = try await scene.transfer()
            let adminConsole = gw.console(token: scene.admin)
            _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let adminId = try #require(try await gw.request(.get, "/api/v1/me", token: scene.admin).json()["id"] as? String)
            let back = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/transfer", token: scene.bea,
                                            json: ["to": adminId, "comment": "Not mine, sorry"])
            #expect(try back.json()["state"] as? String == "outgoing")
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "incoming")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.admin).status == .ok)
            #expect(try await gw.state(of: scene.sessionId, token: scene.admin) == "active")
            #expect(try await scene.queue(scene.bea).isEmpty)
            await scene.applet.close()
        }
    }

    @Test("the recipient passes it on to a third technician: the first sender is out of it")
    func passOn() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await TransferScene.make(gw)
            let cleo = try await gw.technician(named: "Cleo", permissions: transferPermissions, adminToken: scene.admin)
            let cleoId = try #require(try await gw.request(.get, "/api/v1/me", token: cleo).json()["id"] as? String)
            let cleoConsole = gw.console(token: cleo)
            _ = try await cleoConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            _ = try await scene.transfer()
            let onward = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/transfer", token: scene.bea,
                                              json: ["to": cleoId, "comment": "Cleo knows printers"])
            #expect(try onward.json()["state"] as? String == "outgoing")
            #expect(try await scene.queue(scene.admin).isEmpty, "the first sender is out of it")
            #expect(try await gw.state(of: scene.sessionId, token: cleo) == "incoming")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: cleo).status == .ok)
            #expect(try await scene.queue(scene.bea).isEmpty)
            await scene.applet.close()
            await cleoConsole.close()
        }
    }

    @Test("a pending transfer survives a gateway restart")
    func survivesRestart() async throws {
        let dataDirectory = GatewayHarness.newDataDirectory()
        let clock = TestClock()
        let carried = Carried()
        try await GatewayHarness.run(dataDirectory: dataDirectory, clock: clock) { gw in
            let scene = try await TransferScene.make(gw)
            #expect(try await scene.transfer().status == .ok)
            await carried.set(id: scene.sessionId, appletToken: scene.appletToken, token: scene.bea)
            await scene.applet.close()
        }
        try await GatewayHarness.run(dataDirectory: dataDirectory, clock: clock) { gw in
            let (id, appletToken, bea) = await carried.values
            let queue = try await gw.request(.get, "/api/v1/sessions", token: bea).array()
            #expect(queue.first?["id"] as? String == id)
            let applet = try await gw.helloApplet(token: appletToken)
            try await gw.waitForState("incoming", of: id, token: bea)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: bea).status == .ok)
            await applet.close()
        }
    }
}
