import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Instant Chat (G2): chat from the browser, chat-only tools, invite to download")
struct InstantChatGatewayTests {
    static let browser = CustomerInfo(hostname: "", user: "", platform: "Firefox on Linux", client: .browser)

    /// A started session whose customer chats from the browser.
    struct ChatScene {
        let token: String
        let console: SocketProbe
        let browser: SocketProbe
        let sessionId: String
    }

    /// Instant Chat's socket: the applet protocol, said by a browser.
    static func openChat(_ gw: GatewayHarness, appletToken: String) async throws -> SocketProbe {
        let browser = SocketProbe(port: gw.port, path: "/ws/applet")
        browser.send(AppletToGateway.hello(.init(token: appletToken, appletVersion: "instant-chat", customer: Self.browser)))
        _ = try await browser.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
        return browser
    }

    static func chatScene(_ gw: GatewayHarness) async throws -> ChatScene {
        let token = try await gw.login()
        let console = gw.console(token: token)
        _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        let (id, pin) = try await gw.createSession(token: token, name: "Nora")
        let browser = try await openChat(gw, appletToken: try await gw.join(pin: pin).json()["appletToken"] as! String)
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
        return ChatScene(token: token, console: console, browser: browser, sessionId: id)
    }

    @Test("the technician sees 'chat only'; chat and links reach the browser; applet tools are refused with chat_only")
    func chatOnly() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await Self.chatScene(gw)
            let id = scene.sessionId
            let summary = try await gw.request(.get, "/api/v1/sessions/\(id)", token: scene.token).json()
            #expect((summary["customer"] as? [String: Any])?["client"] as? String == "browser")

            scene.browser.send(AppletToGateway.chat(.init(text: "My printer is offline")))
            _ = try await scene.console.expect(GatewayToConsole.self) {
                if case .log(let entry) = $0 { entry.text == "My printer is offline" } else { false }
            }
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: scene.token, json: ["text": "Let me look"])
            _ = try await scene.browser.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.text == "Let me look" } else { false } }
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/urls", token: scene.token,
                                         json: ["url": "https://example.com/printer"]).status == .noContent)
            _ = try await scene.browser.expect(GatewayToApplet.self) { $0 == .openURL(.init(url: "https://example.com/printer", technicianName: "Administrator")) }

            // Tools that need the applet: refused by the gateway, nothing reaches the browser.
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/files", token: scene.token,
                                         json: ["name": "driver.deb", "size": 5]).errorCode == "chat_only")
            scene.console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .control)))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .error(let failure) = $0 { failure.code == "chat_only" } else { false } }
            scene.console.send(ConsoleToGateway.elevate(.init(sessionId: id, credentials: .init(username: "root", password: "secret"))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .error(let failure) = $0 { failure.code == "chat_only" } else { false } }
            let stray = try? await scene.browser.expect(GatewayToApplet.self, within: 0.5) {
                switch $0 { case .fileOffer, .remoteRequest, .elevate: true; default: false }
            }
            #expect(stray == nil)
            await scene.browser.close()
        }
    }

    @Test("invite to download: a one-time link joins the applet to the same session; the browser is told and closed")
    func upgradeToApplet() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await Self.chatScene(gw)
            let id = scene.sessionId
            let invitePath = "/api/v1/sessions/\(id)/applet-invitation"
            // Someone else's session does not exist for them.
            let other = try await gw.technician(named: "Otto", permissions: ["chat"], adminToken: scene.token)
            #expect(try await gw.request(.post, invitePath, token: other).status == .notFound)

            #expect(try await gw.request(.post, invitePath, token: scene.token).status == .noContent)
            let invitation = try await scene.browser.expect(GatewayToApplet.self) { if case .appletInvitation = $0 { true } else { false } }
            guard case .appletInvitation(let message) = invitation else { return }
            let (linkToken, technician) = (message.linkToken, message.technicianName)
            #expect(technician == "Administrator")
            scene.browser.send(AppletToGateway.appletDeclined)
            _ = try await scene.console.expect(GatewayToConsole.self) {
                if case .log(let entry) = $0 { entry.text == "The customer does not want to download the Lifeline app for now." } else { false }
            }

            // The link page knows whom it leads to, and the applet joins with it.
            #expect(try await gw.request(.get, "/api/v1/customer/links/\(linkToken)").status == .ok)
            let joined = try await gw.request(.post, "/api/v1/customer/join", json: ["link": "http://127.0.0.1/c/\(linkToken)"])
            #expect(joined.status == .ok)
            #expect(try joined.json()["sessionId"] as? String == id, "the same session continues")
            let applet = try await gw.helloApplet(token: try joined.json()["appletToken"] as! String)
            _ = try await scene.browser.expect(GatewayToApplet.self) { $0 == .movedToApplet }
            #expect(await scene.browser.closes(within: 5))
            #expect(try await gw.state(of: id, token: scene.token) == "active")
            let log = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: scene.token).array()
            #expect(log.contains { ($0["text"] as? String) == "The customer started the Lifeline app: every tool is available now." })

            // Full tools now; the link was used up; a second invitation has nothing to upgrade.
            scene.console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .view)))
            _ = try await applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(try await gw.request(.post, "/api/v1/customer/join", json: ["link": linkToken]).errorCode == "unknown_link")
            #expect(try await gw.request(.post, invitePath, token: scene.token).errorCode == "applet_running")
            await applet.close()
        }
    }

    @Test("a browser that drops comes back with its token into the same session")
    func browserReconnects() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let appletToken = try await gw.join(pin: pin).json()["appletToken"] as! String
            let first = try await Self.openChat(gw, appletToken: appletToken)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            await first.close()
            try await gw.waitForState("reconnecting", of: id, token: token)
            let again = try await Self.openChat(gw, appletToken: appletToken)
            try await gw.waitForState("active", of: id, token: token)
            await again.close()
        }
    }
}
