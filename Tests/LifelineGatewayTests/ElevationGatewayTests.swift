import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Elevated restart of the applet through the gateway (J3)")
struct ElevationGatewayTests {
    static let credentials = ElevationCredentials(username: "dana", password: "s3cret-pass")

    @Test("needs elevate_applet and valid credentials; reaches the applet; the root copy's return is logged, never the password")
    func elevation() async throws {
        try await GatewayHarness.run { gw in
            let limited = try await RemoteScene.make(gw, permissions: ["remote_control"])
            limited.console.send(ConsoleToGateway.elevate(.init(sessionId: limited.sessionId, credentials: Self.credentials)))
            try await limited.expectError("permission_denied")

            let scene = try await RemoteScene.make(gw)
            let bad = ElevationCredentials(username: "dana", password: "line\nbreak")
            scene.console.send(ConsoleToGateway.elevate(.init(sessionId: scene.sessionId, credentials: bad)))
            try await scene.expectError("bad_request")
            scene.console.send(ConsoleToGateway.elevate(.init(sessionId: scene.sessionId, credentials: Self.credentials)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .elevate(.init(credentials: Self.credentials, technicianName: "Administrator")) }
            scene.applet.send(AppletToGateway.elevationFailed(.init(reason: "sudo refused the password.")))

            // The root copy connects with the same token, saying it is privileged.
            let token = scene.appletToken
            let root = SocketProbe(port: gw.port, path: "/ws/applet")
            let customer = GatewayHarness.customer
            root.send(AppletToGateway.hello(.init(token: token, appletVersion: "test",
                                            customer: CustomerInfo(hostname: customer.hostname, user: customer.user,
                                                                   platform: customer.platform, privileged: true))))
            _ = try await root.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
            let log = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array()
            let texts = log.compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator asked to restart the applet with administrator rights."))
            #expect(texts.contains("The applet could not restart with administrator rights: sudo refused the password."))
            #expect(texts.contains { $0.hasPrefix("The applet restarted with administrator rights (root) and reconnected.") })
            #expect(!texts.joined().contains(Self.credentials.password))
            #expect(!"\(Self.credentials)".contains(Self.credentials.password))
            // Already elevated: a second request is refused.
            scene.console.send(ConsoleToGateway.elevate(.init(sessionId: scene.sessionId, credentials: Self.credentials)))
            try await scene.expectError("already_elevated")
            await root.close()
            await limited.applet.close()
        }
    }
}
