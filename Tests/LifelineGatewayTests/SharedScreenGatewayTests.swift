import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The customer's screen seen by the lead and a colleague through the gateway (issue 21): one
/// stream from the applet to both consoles, one pair of hands on the mouse and keyboard.
@Suite("One customer screen, several technicians (issue 21)")
struct SharedScreenGatewayTests {
    static func frame(_ sequence: UInt32) -> [UInt8] {
        ScreenUpdate(sequence: sequence, screenWidth: 64, screenHeight: 64,
                     tiles: [.init(x: 0, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: [0xFF, 0xD8, UInt8(sequence), 0xFF, 0xD9])]).encoded()
    }

    static func remote(_ console: SocketProbe, _ sessionId: String, _ match: @escaping @Sendable (RemoteStatus) -> Bool) async throws -> RemoteStatus {
        let message = try await console.expect(GatewayToConsole.self) {
            if case .remote(let status) = $0 { status.sessionId == sessionId && match(status) } else { false }
        }
        guard case .remote(let status) = message else { throw HarnessError("not a remote status") }
        return status
    }

    static let click: [InputEvent] = [.move(x: 5, y: 5), .button(button: 1, down: true, x: 5, y: 5), .button(button: 1, down: false, x: 5, y: 5)]

    @Test("both see the screen; only the one with control reaches the mouse; the lead gives and takes back control; the customer hears who watches")
    func sharedScreen() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["desktop_view", "remote_control"])
            try await scene.beaCollaborating(permissions: ["desktop_view", "remote_control", "hold_sessions"])
            scene.adminConsole.send(ConsoleToGateway.remoteRequest(.init(sessionId: scene.sessionId, mode: .control)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            let leadStatus = try await Self.remote(scene.adminConsole, scene.sessionId) { $0.phase == .active }
            #expect(leadStatus.viewers?.map(\.name) == ["Administrator", "Bea"])
            let beaStatus = try await Self.remote(scene.beaConsole, scene.sessionId) { $0.phase == .active }
            #expect(beaStatus.controller == leadStatus.controller && beaStatus.controller != scene.beaId, "the lead has the mouse")
            _ = try await scene.applet.expect(GatewayToApplet.self) {
                $0 == .remoteViewers(.init(names: ["Administrator", "Bea"], inControl: "Administrator"))
            }

            // One frame from the applet reaches both consoles.
            scene.applet.send(binary: Self.frame(1))
            for console in [scene.adminConsole, scene.beaConsole] {
                let bytes = try #require(await console.nextBinary())
                let update = try ScreenUpdate.decode(Array(bytes.dropFirst(1 + Int(bytes[0]))))
                #expect(update.sequence == 1 && update.tiles.first?.bytes[2] == 1)
            }

            // Bea's mouse is dropped with a clear answer while the lead has control.
            scene.beaConsole.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: Self.click)))
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "not_in_control" } else { false } }

            // Only the lead gives control.
            let byBea = try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/controller", token: scene.bea, json: ["technicianId": scene.beaId])
            #expect(byBea.status == .forbidden && byBea.errorCode == "not_lead")
            let given = try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/controller", token: scene.admin, json: ["technicianId": scene.beaId])
            #expect(given.status == .noContent)
            _ = try await Self.remote(scene.beaConsole, scene.sessionId) { $0.controller == scene.beaId }
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .remoteViewers(.init(names: ["Administrator", "Bea"], inControl: "Bea")) }
            scene.beaConsole.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: Self.click)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .input(Self.click) }
            scene.adminConsole.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: Self.click)))
            _ = try await scene.adminConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "not_in_control" } else { false } }

            // Taken back; then Bea's hold stops her screen and hands control back to the lead.
            let leadId = try #require(leadStatus.controller)
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/controller", token: scene.admin,
                                         json: ["technicianId": leadId]).status == .noContent)
            _ = try await Self.remote(scene.beaConsole, scene.sessionId) { $0.controller == leadId }
            #expect(try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/controller", token: scene.admin,
                                         json: ["technicianId": scene.beaId]).status == .noContent)
            #expect(try await scene.post("hold", scene.bea).json()["state"] as? String == "on_hold")
            _ = try await Self.remote(scene.beaConsole, scene.sessionId) { $0.phase == .ended }
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .remoteViewers(.init(names: ["Administrator"], inControl: "Administrator")) }
            let refused = try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/controller", token: scene.admin, json: ["technicianId": scene.beaId])
            #expect(refused.status == .conflict && refused.errorCode == "not_viewing")

            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.admin).array().compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator gave the mouse and keyboard to Bea."))
            #expect(texts.contains("Administrator took back the mouse and keyboard from Bea."))
            await scene.applet.close()
        }
    }

    @Test("a colleague without desktop permission for this session sees nothing and cannot be given control")
    func withoutPermission() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ColleagueScene.make(gw, beaPermissions: colleaguePermissions + ["desktop_view", "remote_control"])
            try await scene.beaCollaborating(permissions: ["chat"])
            scene.adminConsole.send(ConsoleToGateway.remoteRequest(.init(sessionId: scene.sessionId, mode: .control)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            scene.applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            let status = try await Self.remote(scene.adminConsole, scene.sessionId) { $0.phase == .active }
            #expect(status.viewers?.map(\.name) == ["Administrator"])
            scene.applet.send(binary: Self.frame(1))
            #expect(await scene.adminConsole.nextBinary() != nil)
            #expect(await scene.beaConsole.nextBinary(within: 1) == nil, "no frame reaches her")
            let refused = try await gw.request(.put, "/api/v1/sessions/\(scene.sessionId)/controller", token: scene.admin, json: ["technicianId": scene.beaId])
            #expect(refused.status == .conflict && refused.errorCode == "not_viewing")
            scene.beaConsole.send(ConsoleToGateway.remoteInput(.init(sessionId: scene.sessionId, events: Self.click)))
            _ = try await scene.beaConsole.expect(GatewayToConsole.self) { if case .error(let e) = $0 { e.code == "permission_denied" } else { false } }
            await scene.applet.close()
        }
    }
}
