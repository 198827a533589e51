import Foundation
import HTTPTypes
import Testing
import LifelineProtocol
import LifelineTestSupport
@testable import LifelineGateway

/// `/ws/screens` (issue 23): a console page's worker gets one session's screen on a socket of its
/// own, so a busy page never holds a frame back.
@Suite("Screen sockets of the console's workers (issue 23)")
struct ScreensSocketGatewayTests {
    /// How long an answer may take: with the whole suite running on PostgreSQL, a console's
    /// snapshot once took longer than the probes' usual 5 s.
    static let patience = 20.0

    static func screens(_ gw: GatewayHarness, token: String, console: String, session: String) -> SocketProbe {
        SocketProbe(port: gw.port, path: "/ws/screens?console=\(console)&session=\(session)", headers: [.authorization: "Bearer \(token)"])
    }

    static func whole(_ sequence: UInt32) -> [UInt8] {
        ScreenUpdate(sequence: sequence, screenWidth: 64, screenHeight: 64,
                     tiles: [.init(x: 0, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: [0xFF, 0xD8, 0xFF, 0xD9])]).encoded()
    }

    static func corner(_ sequence: UInt32) -> [UInt8] {
        ScreenUpdate(sequence: sequence, screenWidth: 64, screenHeight: 64,
                     tiles: [.init(x: 0, y: 0, width: 16, height: 16, encoding: .jpeg, bytes: [0xFF, 0xD8, 0xFF, 0xD9])]).encoded()
    }

    /// The error `code` comes on `probe`, or the test fails saying what was refused.
    static func refused(_ probe: SocketProbe, _ code: String, _ what: String) async throws {
        do {
            _ = try await probe.expect(GatewayToConsole.self, within: patience) { if case .error(let failure) = $0 { failure.code == code } else { false } }
        } catch {
            throw HarnessError("\(what): no \(code) came (\(error); the socket \(await probe.closes(within: 0.1) ? "closed" : "is open"))")
        }
    }

    static func sequence(of frame: [UInt8]?, session: String) throws -> UInt32 {
        let frame = try #require(frame)
        return try ScreenUpdate.decode(Array(frame.dropFirst(1 + session.utf8.count))).sequence
    }

    @Test("the worker's socket gets the screen in the page's stead from a whole one, acknowledges it, leaves the pointer to the page; closed, the page gets it again")
    func updatesMoveToTheWorkersSocket() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask(.view)
            try await scene.accept()
            scene.applet.send(binary: Self.whole(1))
            #expect(try Self.sequence(of: await scene.console.nextBinary(within: Self.patience), session: scene.sessionId) == 1)
            scene.console.send(ConsoleToGateway.frameAck(.init(sessionId: scene.sessionId, sequence: 1)))
            _ = try await scene.applet.expectAcknowledgement(within: Self.patience) { $0.sequence == 1 }

            let screens = Self.screens(gw, token: scene.token, console: scene.consoleId, session: scene.sessionId)
            // The worker starts from a whole screen: asked of the applet; a part of one is not sent.
            _ = try await scene.applet.expect(GatewayToApplet.self, within: Self.patience) { $0 == .screenRefresh }
            scene.applet.send(binary: Self.corner(2))
            scene.applet.send(binary: Self.whole(3))
            #expect(try Self.sequence(of: await screens.nextBinary(within: Self.patience), session: scene.sessionId) == 3)
            // The pointer is drawn on the page: it goes there.
            scene.applet.send(binary: CursorUpdate(x: 5, y: 6, shape: nil).encoded())
            let pointer = try #require(await scene.console.nextBinary(within: Self.patience))
            #expect(try CursorUpdate.decode(Array(pointer.dropFirst(1 + scene.sessionId.utf8.count))).x == 5,
                    "no screen update reached the page once its worker had the socket")
            screens.send(ConsoleToGateway.frameAck(.init(sessionId: scene.sessionId, sequence: 3)))
            _ = try await scene.applet.expectAcknowledgement(within: Self.patience) { $0.sequence == 3 }
            scene.applet.send(binary: Self.corner(4))
            #expect(try Self.sequence(of: await screens.nextBinary(within: Self.patience), session: scene.sessionId) == 4)

            // The worker's socket closes: the page waits for a whole screen, asked again.
            await screens.close()
            _ = try await scene.applet.expect(GatewayToApplet.self, within: Self.patience) { $0 == .screenRefresh }
            scene.applet.send(binary: Self.whole(5))
            #expect(try Self.sequence(of: await scene.console.nextBinary(within: Self.patience), session: scene.sessionId) == 5)
            await scene.applet.close()
        }
    }

    @Test("a session another gateway node serves: its updates reach the worker's socket through the console's node, from a whole screen; acknowledged back",
          .enabled(if: TestDatabase.postgresServer != nil))
    func acrossNodes() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let (id, _, tokenOnB, applet, _) = try await ClusterFeedTests.activeOnA(a, b, name: "Screens across nodes")
            let (console, consoleId) = try await RemoteScene.openConsole(b, token: tokenOnB)
            console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .view)))
            _ = try await applet.expect(GatewayToApplet.self, within: Self.patience) { if case .remoteRequest = $0 { true } else { false } }
            applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            _ = try await console.expect(GatewayToConsole.self, within: Self.patience) {
                if case .remote(let status) = $0 { status.sessionId == id && status.phase == .active } else { false }
            }
            applet.send(binary: Self.whole(1))
            #expect(try Self.sequence(of: await console.nextBinary(within: Self.patience), session: id) == 1)
            console.send(ConsoleToGateway.frameAck(.init(sessionId: id, sequence: 1)))
            _ = try await applet.expectAcknowledgement(within: Self.patience) { $0.sequence == 1 }
            // Opened on B, the console's node: A, which serves the session, is asked for a whole screen.
            let screens = Self.screens(b, token: tokenOnB, console: consoleId, session: id)
            _ = try await applet.expect(GatewayToApplet.self, within: Self.patience) { $0 == .screenRefresh }
            applet.send(binary: Self.corner(2))
            applet.send(binary: Self.whole(3))
            #expect(try Self.sequence(of: await screens.nextBinary(within: Self.patience), session: id) == 3)
            screens.send(ConsoleToGateway.frameAck(.init(sessionId: id, sequence: 3)))
            _ = try await applet.expectAcknowledgement(within: Self.patience) { $0.sequence == 3 }
            applet.send(binary: CursorUpdate(x: 7, y: 8, shape: nil).encoded())
            let pointer = try #require(await console.nextBinary(within: Self.patience))
            #expect(try CursorUpdate.decode(Array(pointer.dropFirst(1 + id.utf8.count))).x == 7,
                    "no screen update reached the page once its worker had the socket")

            await screens.close()
            _ = try await applet.expect(GatewayToApplet.self, within: Self.patience) { $0 == .screenRefresh }
            applet.send(binary: Self.whole(4))
            #expect(try Self.sequence(of: await console.nextBinary(within: Self.patience), session: id) == 4)
            await console.close()
            await applet.close()
        }
    }

    @Test("refused: another technician's console, a message other than its session's frame_ack, no console named, not signed in; closed with its console")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            let rita = try await gw.technician(named: "Rita", permissions: ["start_private_sessions"], adminToken: scene.token)
            let borrowed = try await gw.request(.get, "/ws/screens?console=\(scene.consoleId)&session=\(scene.sessionId)", token: rita)
            #expect(borrowed.status == .notFound && borrowed.errorCode == "not_found")
            let unknown = try await gw.request(.get, "/ws/screens?console=\(UUID())&session=\(scene.sessionId)", token: scene.token)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")

            let screens = Self.screens(gw, token: scene.token, console: scene.consoleId, session: scene.sessionId)
            screens.send(ConsoleToGateway.frameAck(.init(sessionId: "another-session", sequence: 1)))
            try await Self.refused(screens, "unexpected_frame", "another session's frame_ack")
            screens.send(ConsoleToGateway.chat(.init(sessionId: scene.sessionId, text: "not here")))
            try await Self.refused(screens, "unexpected_frame", "a chat line")
            screens.send("{not json")
            try await Self.refused(screens, "malformed_message", "not JSON")

            let unnamed = try await gw.request(.get, "/ws/screens?session=\(scene.sessionId)", token: scene.token)
            #expect(unnamed.status == .badRequest)
            let anonymous = try await gw.request(.get, "/ws/screens?console=\(scene.consoleId)&session=\(scene.sessionId)")
            #expect(anonymous.status == .unauthorized)

            await scene.console.close()
            #expect(await screens.closes(within: Self.patience), "a console's screen sockets close with it")
            await scene.applet.close()
        }
    }
}
