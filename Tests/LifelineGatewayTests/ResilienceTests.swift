import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Network drops and gateway restarts lose nothing")
struct ResilienceTests {
    @Test("the applet's connection drops: Reconnecting; it comes back: Active again, chat still flows")
    func appletReconnects() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, appletToken) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            await applet.close()
            try await gw.waitForState("reconnecting", of: id, token: token)
            let back = try await gw.helloApplet(token: appletToken)
            try await gw.waitForState("active", of: id, token: token)
            back.send(AppletToGateway.chat(.init(text: "I'm back")))
            _ = try await back.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.text == "I'm back" } else { false } }
            await back.close()
        }
    }

    @Test("after five minutes away the session shows Offline, and returns to On hold when the applet is back")
    func offlineAfterFiveMinutes() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, appletToken) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/hold", token: token)
            await applet.close()
            try await gw.waitForState("reconnecting", of: id, token: token)
            gw.clock.advance(by: 5 * 60 + 1)
            await gw.hub.runTimers()
            #expect(try await gw.state(of: id, token: token) == "offline")
            let back = try await gw.helloApplet(token: appletToken)
            try await gw.waitForState("on_hold", of: id, token: token)
            await back.close()
        }
    }

    @Test("a restarted gateway keeps the queue; the applet reconnects and the session is active again")
    func gatewayRestart() async throws {
        let dataDirectory = GatewayHarness.newDataDirectory()
        let clock = TestClock()
        let carried = Carried()
        try await GatewayHarness.run(dataDirectory: dataDirectory, clock: clock) { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token, name: "Survivor")
            let (applet, appletToken) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: token, json: ["text": "before the restart"])
            await carried.set(id: id, appletToken: appletToken, token: token)
            await applet.close()
        }
        try await GatewayHarness.run(dataDirectory: dataDirectory, clock: clock) { gw in
            let (id, appletToken, token) = await carried.values
            let queue = try await gw.request(.get, "/api/v1/sessions", token: token).array()
            #expect(queue.map { $0["name"] as? String } == ["Survivor"], "logins and the queue survive a restart")
            #expect(try await gw.state(of: id, token: token) == "reconnecting")
            let back = try await gw.helloApplet(token: appletToken)
            try await gw.waitForState("active", of: id, token: token)
            let log = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array()
            #expect(log.contains { $0["text"] as? String == "before the restart" })
            await back.close()
        }
    }
}

actor Carried {
    var values = ("", "", "")
    func set(id: String, appletToken: String, token: String) { values = (id, appletToken, token) }
}
