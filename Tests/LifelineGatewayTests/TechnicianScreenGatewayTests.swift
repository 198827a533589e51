import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The technician's own screen shown to the customer through the gateway (H1): started and stopped
/// by the technician, the pictures passed on to the applet unchanged, its acknowledgements back to
/// the sharer, one sharer at a time, closed by the customer, stopped by a hold.
@Suite("A technician shows their screen to the customer (H1)")
struct TechnicianScreenGatewayTests {
    static func frame(_ sequence: UInt32) -> [UInt8] { SharedScreenGatewayTests.frame(sequence) }

    static func envelope(_ sessionId: String, _ update: [UInt8]) -> [UInt8] {
        [UInt8(sessionId.utf8.count)] + Array(sessionId.utf8) + update
    }

    static func sharing(_ console: SocketProbe, _ sessionId: String, _ match: @escaping @Sendable (TechnicianScreenStatus) -> Bool) async throws {
        _ = try await console.expect(GatewayToConsole.self) {
            if case .technicianScreen(let status) = $0 { status.sessionId == sessionId && match(status) } else { false }
        }
    }

    static func refusal(_ console: SocketProbe, _ code: String) async throws {
        _ = try await console.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == code } else { false } }
    }

    @Test("the lead shares: pictures reach the applet, acknowledgements the lead; a colleague waits; the customer closes it; a hold stops it")
    func leadAndColleague() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["share_screen"])
            try await scene.beaCollaborating(permissions: ["share_screen", "hold_sessions", "chat"])
            let adminId = try #require(try await gw.request(.get, "/api/v1/me", token: scene.admin).json()["id"] as? String)

            #expect(try await scene.post("technician-screen", scene.admin).status == .noContent)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianScreen(.init(sharing: true, technicianName: "Administrator")) }
            try await Self.sharing(scene.adminConsole, scene.sessionId) { $0.technicianId == adminId && $0.reason == nil }
            try await Self.sharing(scene.beaConsole, scene.sessionId) { $0.technicianName == "Administrator" }

            // A picture goes to the applet as it came; the applet's acknowledgement comes back.
            scene.adminConsole.send(binary: Self.envelope(scene.sessionId, Self.frame(1)))
            #expect(await scene.applet.nextBinary() == Self.frame(1))
            scene.applet.send(AppletToGateway.technicianScreenAck(.init(sequence: 1)))
            _ = try await scene.adminConsole.expect(GatewayToConsole.self) {
                $0 == .technicianScreenAck(.init(sessionId: scene.sessionId, sequence: 1))
            }

            // Video (a VP8 frame of the whole screen) goes through too; an applet that could not draw
            // it asks for a whole picture, and the lead's console hears it.
            let video = ScreenUpdate(sequence: 2, screenWidth: 64, screenHeight: 32,
                                     tiles: [.init(x: 0, y: 0, width: 64, height: 32, encoding: .vp8, bytes: [0x10, 0x02, 0x00])]).encoded()
            scene.adminConsole.send(binary: Self.envelope(scene.sessionId, video))
            #expect(await scene.applet.nextBinary() == video)
            scene.applet.send(AppletToGateway.technicianScreenAck(.init(sequence: 2, refresh: true)))
            _ = try await scene.adminConsole.expect(GatewayToConsole.self) {
                $0 == .technicianScreenAck(.init(sessionId: scene.sessionId, sequence: 2, refresh: true))
            }
            // A second screen of the technician goes through too, its acknowledgement back with its number.
            let secondScreen = ScreenUpdate(sequence: 1, screenWidth: 64, screenHeight: 32,
                                      tiles: [.init(x: 0, y: 0, width: 64, height: 32, encoding: .vp8, bytes: [0x10])], screen: 1).encoded()
            scene.adminConsole.send(binary: Self.envelope(scene.sessionId, secondScreen))
            #expect(await scene.applet.nextBinary() == secondScreen)
            scene.applet.send(AppletToGateway.technicianScreenAck(.init(sequence: 1, screen: 1)))
            _ = try await scene.adminConsole.expect(GatewayToConsole.self) {
                $0 == .technicianScreenAck(.init(sessionId: scene.sessionId, sequence: 1, screen: 1))
            }
            // The customer chooses fewer colours: the lead's console hears it.
            scene.applet.send(AppletToGateway.technicianScreenQuality(.init(quality: .veryLow)))
            _ = try await scene.adminConsole.expect(GatewayToConsole.self) {
                $0 == .technicianScreenQuality(.init(sessionId: scene.sessionId, quality: .veryLow))
            }
            // A video frame over part of the screen, or beside pictures, could not be drawn: refused.
            let half = ScreenUpdate(sequence: 3, screenWidth: 64, screenHeight: 32,
                                    tiles: [.init(x: 0, y: 0, width: 32, height: 32, encoding: .vp8, bytes: [0x10])]).encoded()
            scene.adminConsole.send(binary: Self.envelope(scene.sessionId, half))
            try await Self.refusal(scene.adminConsole, "malformed_message")

            // One at a time: Bea waits, and her pictures are dropped with a clear answer.
            let second = try await scene.post("technician-screen", scene.bea)
            #expect(second.status == .conflict && second.errorCode == "screen_shared_by_other")
            scene.beaConsole.send(binary: Self.envelope(scene.sessionId, Self.frame(9)))
            try await Self.refusal(scene.beaConsole, "unexpected_frame")
            // Malformed: no session id, a picture that is not a screen update.
            scene.adminConsole.send(binary: [0])
            try await Self.refusal(scene.adminConsole, "malformed_message")
            scene.adminConsole.send(binary: Self.envelope(scene.sessionId, [1, 2, 3]))
            try await Self.refusal(scene.adminConsole, "malformed_message")
            let stopByBea = try await gw.request(.delete, "/api/v1/sessions/\(scene.sessionId)/technician-screen", token: scene.bea)
            #expect(stopByBea.status == .conflict && stopByBea.errorCode == "not_sharing")

            // The customer closes the window: the session goes on, the lead is told why.
            scene.applet.send(AppletToGateway.technicianScreenClosed)
            try await Self.sharing(scene.adminConsole, scene.sessionId) { $0.technicianId == nil && $0.reason == "closed_by_customer" }
            scene.adminConsole.send(binary: Self.envelope(scene.sessionId, Self.frame(2)))
            try await Self.refusal(scene.adminConsole, "unexpected_frame")

            // Now Bea shares; her own hold stops it at once.
            #expect(try await scene.post("technician-screen", scene.bea).status == .noContent)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianScreen(.init(sharing: true, technicianName: "Bea")) }
            #expect(try await scene.post("hold", scene.bea).json()["state"] as? String == "on_hold")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianScreen(.init(sharing: false, technicianName: "Bea")) }
            try await Self.sharing(scene.beaConsole, scene.sessionId) { $0.technicianId == nil && $0.reason == "session_changed" }
            let onHold = try await scene.post("technician-screen", scene.bea)
            #expect(onHold.status == .conflict && onHold.errorCode == "session_not_active")

            // The lead shares again and stops; each start and stop is in the session's log.
            #expect(try await scene.post("technician-screen", scene.admin).status == .noContent)
            #expect(try await gw.request(.delete, "/api/v1/sessions/\(scene.sessionId)/technician-screen", token: scene.admin).status == .noContent)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .technicianScreen(.init(sharing: false, technicianName: "Administrator")) }
            try await gw.eventually {
                let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.admin).array().compactMap { $0["text"] as? String }
                return texts.contains("Administrator is showing their screen to the customer.")
                    && texts.contains("The customer closed Administrator's screen; the session goes on.")
                    && texts.contains("Bea is showing their screen to the customer.") && texts.contains("Bea stopped showing their screen.")
                    && texts.contains("Administrator stopped showing their screen.")
            }
        }
    }

    @Test("a colleague not granted it for this session is refused; so is a session whose customer dropped")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["share_screen"])
            try await scene.beaCollaborating(permissions: ["chat"])
            let refused = try await scene.post("technician-screen", scene.bea)
            #expect(refused.status == .forbidden && refused.errorCode == "permission_denied")
            await scene.applet.close()
            try await gw.eventually { try await gw.state(of: scene.sessionId, token: scene.admin) != "active" }
            let noApplet = try await scene.post("technician-screen", scene.admin)
            #expect(noApplet.status == .conflict && noApplet.errorCode == "session_not_active")
        }
    }
}
