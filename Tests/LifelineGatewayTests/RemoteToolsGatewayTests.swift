import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Remote-control tools and recording through the gateway (J10–J16)")
struct RemoteToolsGatewayTests {
    @Test("tools reach the applet in control mode; view mode, missing permissions and bad tools are refused")
    func tools() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw, permissions: ["remote_control", "desktop_view"])
            let draw = RemoteTool.draw(points: [ScreenPoint(x: 1, y: 2), ScreenPoint(x: 3, y: 4)])
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: draw)))
            try await scene.expectError("remote_not_running")
            scene.ask(.view)
            try await scene.accept()
            // View only: drawing and pointing need control; choosing a monitor does not. The
            // clipboard needs clipboard_sync first, which this group lacks.
            for tool in [draw, .laser(x: 5, y: 5)] {
                scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: tool)))
                try await scene.expectError("view_only")
            }
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: .clipboard(text: "x"))))
            try await scene.expectError("permission_denied")
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: .monitor(index: 1))))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .remoteTool(.monitor(index: 1)) }
            scene.console.send(ConsoleToGateway.remoteStop(.init(sessionId: scene.sessionId)))
            _ = try await scene.expectRemote(.ended)

            scene.ask(.control)
            try await scene.accept()
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: draw)))
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .remoteTool(draw) }
            // This group lacks clipboard_sync.
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: .clipboard(text: "secret"))))
            try await scene.expectError("permission_denied")
            // Malformed: an empty stroke, an oversized one.
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: .draw(points: []))))
            try await scene.expectError("bad_request")
            let long = RemoteTool.draw(points: Array(repeating: ScreenPoint(x: 1, y: 1), count: RemoteTool.maximumPoints + 1))
            scene.console.send(ConsoleToGateway.remoteTool(.init(sessionId: scene.sessionId, tool: long)))
            try await scene.expectError("bad_request")
            await scene.applet.close()
        }
    }

    @Test("the customer's clipboard reaches the owner in control mode only; monitors always")
    func notices() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.ask(.view)
            try await scene.accept()
            scene.applet.send(AppletToGateway.remoteNotice(.clipboard(text: "view mode")))
            let monitors = RemoteNotice.monitors([MonitorInfo(name: "left", x: 0, y: 0, width: 512, height: 768, primary: true)], selected: nil)
            scene.applet.send(AppletToGateway.remoteNotice(monitors))
            let first = try await scene.console.expect(GatewayToConsole.self) { if case .remoteNotice = $0 { true } else { false } }
            #expect(first == .remoteNotice(.init(sessionId: scene.sessionId, notice: monitors)), "the view-mode clipboard was dropped")
            // A page in the background (a browser customer's phone, Q4) is said as it comes, in view mode too.
            scene.applet.send(AppletToGateway.remoteNotice(.paused(true)))
            _ = try await scene.console.expect(GatewayToConsole.self) { $0 == .remoteNotice(.init(sessionId: scene.sessionId, notice: .paused(true))) }
            scene.console.send(ConsoleToGateway.remoteStop(.init(sessionId: scene.sessionId)))
            _ = try await scene.expectRemote(.ended)
            scene.ask(.control)
            try await scene.accept()
            scene.applet.send(AppletToGateway.remoteNotice(.clipboard(text: "copied")))
            _ = try await scene.console.expect(GatewayToConsole.self) {
                $0 == .remoteNotice(.init(sessionId: scene.sessionId, notice: .clipboard(text: "copied")))
            }
            await scene.applet.close()
        }
    }

    @Test("recording needs record_screen and a running desktop; the customer is told; pieces only from its technician")
    func recording() async throws {
        try await GatewayHarness.run { gw in
            let viewer = try await RemoteScene.make(gw, permissions: ["desktop_view"])
            viewer.ask(.view)
            try await viewer.accept()
            #expect(try await gw.request(.post, "/api/v1/sessions/\(viewer.sessionId)/recordings", token: viewer.token).errorCode
                == "permission_denied")

            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/recordings"
            #expect(try await gw.request(.post, path, token: scene.token).errorCode == "remote_not_running")
            scene.ask(.view)
            try await scene.accept()
            let started = try await gw.request(.post, path, token: scene.token)
            #expect(started.status == .created)
            let recording = try #require(try started.json()["recording"] as? [String: Any])
            let id = try #require(recording["id"] as? String)
            #expect(recording["format"] as? String == "webm-vp8")
            #expect(try started.json()["mimeType"] as? String == "video/webm;codecs=vp8")
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .recording(.init(active: true, technicianName: "Administrator")) }
            #expect(try await gw.request(.post, path, token: scene.token).errorCode == "already_recording")
            // On the audit record, with what is recorded.
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array()
            let entry = try #require(audit.first { $0["action"] as? String == "recording_started" })
            #expect((entry["after"] as? String)?.contains(#""what":"screen""#) == true, "\(entry)")

            #expect(try await gw.request(.post, "\(path)/\(id)/pieces", token: scene.token, bytes: [1, 2, 3]).status == .ok)
            #expect(try await gw.request(.post, "\(path)/\(id)/pieces", token: scene.token, bytes: [4, 5]).status == .ok)
            // Someone else's recording is not found, even with the right ids; empty pieces are refused.
            #expect(try await gw.request(.post, "\(path)/\(id)/pieces", token: viewer.token, bytes: [9]).status == .notFound)
            #expect(try await gw.request(.post, "\(path)/\(id)/pieces", token: scene.token, bytes: []).status == .badRequest)
            #expect(try await gw.request(.post, "\(path)/\(id)/stop", token: scene.token).status == .ok)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .recording(.init(active: false, technicianName: "Administrator")) }

            let file = try await gw.request(.get, "\(path)/\(id)", token: scene.token)
            #expect(file.status == .ok && Array(file.body) == [1, 2, 3, 4, 5])
            #expect(try await gw.request(.get, "\(path)/\(id)", token: viewer.token).status == .notFound)
            let list = try await gw.request(.get, path, token: scene.token).array()
            #expect(list.count == 1 && list[0]["bytes"] as? Int == 5 && list[0]["endedAt"] != nil)
            await scene.applet.close()
            await viewer.applet.close()
        }
    }

    @Test("the recording format is an organisation setting, validated")
    func recordingFormat() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            #expect(try await gw.request(.put, "/api/v1/admin/settings", token: token, json: ["recordingFormat": "webm-vp9"]).status == .ok)
            #expect(try await gw.request(.get, "/api/v1/admin/settings", token: token).json()["recordingFormat"] as? String == "webm-vp9")
            #expect(try await gw.request(.put, "/api/v1/admin/settings", token: token, json: ["recordingFormat": "avi"]).status == .badRequest)
        }
    }
}
