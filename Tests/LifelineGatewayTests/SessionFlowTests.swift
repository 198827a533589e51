import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("One support session end to end over real sockets")
struct SessionFlowTests {
    @Test("PIN session: connecting → waiting → active, chat both ways, customer quits, log kept in history")
    func pinSessionLifeCycle() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let console = gw.console(token: token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }

            let (id, pin) = try await gw.createSession(token: token, name: "Ann Example")
            #expect(pin.count == 6 && pin.allSatisfy(\.isNumber))
            #expect(try await gw.state(of: id, token: token) == "connecting")

            let (applet, _) = try await gw.connectApplet(pin: pin)
            _ = try await console.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == id && s.state == .waiting } else { false }
            }
            let waiting = try await gw.request(.get, "/api/v1/sessions?queue=all", token: token).array()
            #expect(waiting.first?["state"] as? String == "waiting")
            #expect((waiting.first?["customer"] as? [String: Any])?["hostname"] as? String == "customer-pc")
            #expect((waiting.first?["customer"] as? [String: Any])?["address"] as? String == "127.0.0.1", "the address the gateway saw, not the claimed one")

            let started = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            #expect(started.status == .ok)
            #expect(try started.json()["state"] as? String == "active")
            _ = try await applet.expect(GatewayToApplet.self) { if case .status(let e) = $0 { e.state == .active } else { false } }

            let sent = try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: token, json: ["text": "Hello Ann, I can see you."])
            #expect(sent.status == .created)
            _ = try await applet.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.text == "Hello Ann, I can see you." } else { false } }

            applet.send(AppletToGateway.chat(.init(text: "Thanks! My printer is broken.")))
            let customerLine = try await console.expect(GatewayToConsole.self) {
                if case .log(let e) = $0 { e.text == "Thanks! My printer is broken." && e.authorRole == .customer } else { false }
            }
            // Signed with the session's name, not the computer's account ("ann"), which stays a detail.
            guard case .log(let signed) = customerLine else { return }
            #expect(signed.author == "Ann Example")

            applet.send(AppletToGateway.quit)
            _ = try await applet.expect(GatewayToApplet.self) { if case .ended = $0 { true } else { false } }
            try await gw.waitForState("closed_by_customer", of: id, token: token)

            let ended = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: token)
            #expect(try ended.json()["state"] as? String == "closed")
            #expect(try await gw.request(.get, "/api/v1/sessions", token: token).array().isEmpty, "a closed session leaves the queue")

            // The history says how it ended: by the customer, not just "closed".
            let (other, _) = try await gw.createSession(token: token, name: "Never joined")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(other)/end", token: token).status == .ok)
            let history = try await gw.request(.get, "/api/v1/history", token: token).array()
            #expect(history.map { $0["id"] as? String } == [other, id])
            #expect(history.map { $0["endReason"] as? String } == ["technician", "customer"])
            #expect(history.allSatisfy { $0["closedAt"] is String })
            #expect(try await gw.request(.get, "/api/v1/history?limit=1", token: token).array().count == 1)
            #expect(try await gw.parts.store.session(id: id)?.endReason == .customer, "kept in the store")
            for outOfBounds in ["0", "501", "2561867", "ten"] {
                let refused = try await gw.request(.get, "/api/v1/history?limit=\(outOfBounds)", token: token)
                #expect(refused.status == .badRequest && refused.errorCode == "bad_request", "limit=\(outOfBounds)")
            }
            let log = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array()
            let lines = log.map { "\($0["kind"]!):\($0["text"]!)" }
            #expect(lines.contains("chat:Hello Ann, I can see you."))
            #expect(lines.contains("chat:Thanks! My printer is broken."))
            #expect(log.compactMap { $0["state"] as? String } == ["connecting", "waiting", "active", "closed_by_customer", "closed"])
            #expect(log.allSatisfy { $0["at"] is String && $0["author"] is String })
        }
    }

    @Test("a session created without a name: the customer's lines are signed \"Customer\", not with the computer's account")
    func namelessSessionSignsCustomer() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let console = gw.console(token: token)
            let (id, pin) = try await gw.createSession(token: token, name: "  ")
            let (applet, _) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
            applet.send(AppletToGateway.chat(.init(text: "Is anyone there?")))
            let line = try await console.expect(GatewayToConsole.self) {
                if case .log(let e) = $0 { e.text == "Is anyone there?" } else { false }
            }
            guard case .log(let entry) = line else { return }
            #expect(entry.author == "Customer" && entry.authorRole == .customer)
            let summary = try await gw.request(.get, "/api/v1/sessions/\(id)", token: token).json()
            #expect((summary["customer"] as? [String: Any])?["user"] as? String == "ann", "the account stays a detail of the session")
        }
    }

    @Test("link session: the applet joins with the link, the link then stops working")
    func linkSession() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, link) = try await gw.createSession(token: token, method: "link")
            #expect(link.hasPrefix("\(GatewayHarness.publicURL)/c/"))
            let tokenPart = String(link.split(separator: "/").last!)
            #expect(tokenPart.count >= 22, "at least 128 bits")
            let check = try await gw.request(.get, "/api/v1/customer/links/\(tokenPart)")
            #expect(try check.json()["technicianName"] as? String == "Administrator")
            let joined = try await gw.request(.post, "/api/v1/customer/join", json: ["link": link])
            #expect(joined.status == .ok)
            let applet = try await gw.helloApplet(token: try joined.json()["appletToken"] as! String)
            try await gw.waitForState("waiting", of: id, token: token)
            let again = try await gw.request(.post, "/api/v1/customer/join", json: ["link": link])
            #expect(again.status == .notFound)
            #expect(again.errorCode == "unknown_link")
            await applet.close()
        }
    }

    @Test("hold and resume; a held session does not accept chat")
    func holdAndResume() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            let held = try await gw.request(.post, "/api/v1/sessions/\(id)/hold", token: token).json()
            #expect(held["state"] as? String == "on_hold")
            #expect(held["heldSince"] is String)
            let chat = try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: token, json: ["text": "hi"])
            #expect(chat.status == .conflict)
            #expect(chat.errorCode == "chat_unavailable")
            let active = try await gw.request(.get, "/api/v1/sessions?queue=active", token: token).array()
            #expect(active.count == 1, "held sessions show on the Active tab")
            let resumed = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).json()
            #expect(resumed["state"] as? String == "active")
            await applet.close()
        }
    }

    @Test("the customer who leaves before anyone starts the session is 'closed by customer while waiting'")
    func customerLeavesWhileWaiting() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            applet.send(AppletToGateway.quit)
            _ = try await applet.expect(GatewayToApplet.self) { if case .ended = $0 { true } else { false } }
            #expect(try await gw.request(.get, "/api/v1/sessions", token: token).array().isEmpty)
            #expect(try await gw.state(of: id, token: token) == "closed_by_customer_waiting")
        }
    }

    @Test("the console's own socket can chat and run toolbar commands")
    func consoleSocketCommands() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            let console = gw.console(token: token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            console.send(ConsoleToGateway.command(.init(sessionId: id, command: .start)))
            _ = try await console.expect(GatewayToConsole.self) { if case .session(let s) = $0 { s.state == .active } else { false } }
            console.send(ConsoleToGateway.chat(.init(sessionId: id, text: "typed in the console")))
            _ = try await applet.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.text == "typed in the console" } else { false } }
            await applet.close()
            await console.close()
        }
    }
}
