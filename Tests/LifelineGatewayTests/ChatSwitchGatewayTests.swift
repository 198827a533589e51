import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("The per-session chat switch (D1, toggle_chat)")
struct ChatSwitchGatewayTests {
    @Test("needs toggle_chat; off: both sides refused, nothing stored, the customer told again after a reconnect; on: chat flows")
    func chatSwitch() async throws {
        try await GatewayHarness.run { gw in
            let limited = try await RemoteScene.make(gw, permissions: ["chat"])
            #expect(try await gw.request(.put, "/api/v1/sessions/\(limited.sessionId)/chat", token: limited.token,
                                         json: ["enabled": false]).errorCode == "permission_denied")
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/chat"
            #expect(try await gw.request(.put, path, token: limited.token, json: ["enabled": false]).status == .notFound)
            let off = try await gw.request(.put, path, token: scene.token, json: ["enabled": false])
            #expect(try off.json()["chatEnabled"] as? Bool == false)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .chatSwitched(.init(enabled: false)) }

            scene.applet.send(AppletToGateway.chat(.init(text: "hello?")))
            let error = try await scene.applet.expect(GatewayToApplet.self) { if case .error = $0 { true } else { false } }
            #expect(error == .error(.init(code: "chat_disabled", message: "The chat is turned off for this session.")))
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/messages", token: scene.token,
                                         json: ["text": "hi"]).errorCode == "chat_disabled")
            let log = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array()
            #expect(!log.contains { $0["kind"] as? String == "chat" })
            #expect(log.contains { ($0["text"] as? String) == "Administrator turned the chat off." })

            await scene.applet.close()
            let again = SocketProbe(port: gw.port, path: "/ws/applet")
            again.send(AppletToGateway.hello(.init(token: scene.appletToken, appletVersion: "test", customer: GatewayHarness.customer)))
            _ = try await again.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
            _ = try await again.expect(GatewayToApplet.self) { $0 == .chatSwitched(.init(enabled: false)) }

            _ = try await gw.request(.put, path, token: scene.token, json: ["enabled": true])
            _ = try await again.expect(GatewayToApplet.self) { $0 == .chatSwitched(.init(enabled: true)) }
            again.send(AppletToGateway.chat(.init(text: "now?")))
            _ = try await again.expect(GatewayToApplet.self) { if case .chat(let entry) = $0 { entry.text == "now?" } else { false } }
            await again.close()
            await limited.applet.close()
        }
    }
}
