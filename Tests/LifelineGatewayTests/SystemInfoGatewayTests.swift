import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// System information through the gateway (L1, L2), with a socket playing the applet: one view
/// asked at a time, passed on without the session under an id of the gateway's (consoles of the
/// lead and colleagues number their own), the answer routed back to the technician who asked under
/// theirs; an inactive session, a repeated or one too many waiting requests refused.
@Suite("System information through the gateway (L1, L2)")
struct SystemInfoGatewayTests {
    func ask(_ scene: RemoteScene, _ requestId: String, _ view: SystemInfoView) {
        scene.console.send(ConsoleToGateway.systemInfoRequest(.init(sessionId: scene.sessionId, requestId: requestId, view: view)))
    }

    /// The request as the applet gets it.
    static func passedOn(_ applet: SocketProbe) async throws -> SystemInfoRequestMessage {
        let asked = try await applet.expect(GatewayToApplet.self) { if case .systemInfoRequest = $0 { true } else { false } }
        guard case .systemInfoRequest(let request) = asked else { throw HarnessError("not a request") }
        return request
    }

    @Test("asked, passed on, answered to the asker (a long list in parts); a stray or repeated answer dropped; limits and states refused")
    func askAndAnswer() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            // On hold, not active: nothing reaches the applet.
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/hold", token: scene.token)
            ask(scene, "held", .dashboard)
            try await scene.expectError("session_not_active")
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/start", token: scene.token)

            ask(scene, "p1", .processes)
            let request = try await Self.passedOn(scene.applet)
            #expect(request.sessionId == nil && request.view == .processes && request.events == nil)

            // The same id again while it waits is refused; an answer to nothing asked is dropped.
            ask(scene, "p1", .processes)
            try await scene.expectError("bad_request")
            let rows = [ProcessRow(pid: 1, name: "systemd", user: "root", cpuPercent: 0.5, memory: 12_000_000, started: 1_700_000_000,
                                   commandLine: "/sbin/init")]
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: "stray", reply: .processes(rows))))
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: request.requestId, reply: .processes(rows))))
            let answer = try await scene.console.expect(GatewayToConsole.self) { if case .systemInfoReply = $0 { true } else { false } }
            guard case .systemInfoReply(let reply) = answer else { throw HarnessError("not a reply") }
            #expect(reply == SystemInfoReplyMessage(sessionId: scene.sessionId, requestId: "p1", reply: .processes(rows)), "the stray one came first?")

            // The event viewer needs its page query, within bounds; with it, the query is passed on.
            ask(scene, "ev0", .events)
            try await scene.expectError("bad_request")
            scene.console.send(ConsoleToGateway.systemInfoRequest(.init(sessionId: scene.sessionId, requestId: "ev1", view: .events,
                                                                        events: EventQuery(log: .security, limit: 501))))
            try await scene.expectError("bad_request")
            let query = EventQuery(log: .security, maximumPriority: 4, text: "failed", limit: 100)
            scene.console.send(ConsoleToGateway.systemInfoRequest(.init(sessionId: scene.sessionId, requestId: "ev2", view: .events, events: query)))
            let events = try await Self.passedOn(scene.applet)
            #expect(events.view == .events && events.events == query)
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: events.requestId,
                                                                    reply: .events(EventPage(entries: [], next: nil, scanned: 0, source: "journal")))))
            _ = try await scene.console.expect(GatewayToConsole.self) { if case .systemInfoReply = $0 { true } else { false } }

            // A long list in parts: each passed on as it comes, the request waiting until the last.
            ask(scene, "long", .processes)
            let long = try await Self.passedOn(scene.applet).requestId
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: long, reply: .processes(rows), more: true)))
            let first = try await scene.console.expect(GatewayToConsole.self) { if case .systemInfoReply = $0 { true } else { false } }
            #expect(first == .systemInfoReply(.init(sessionId: scene.sessionId, requestId: "long", reply: .processes(rows), more: true)))
            ask(scene, "long", .processes)
            try await scene.expectError("bad_request")
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: long, reply: .processes([]))))
            let last = try await scene.console.expect(GatewayToConsole.self) { if case .systemInfoReply = $0 { true } else { false } }
            #expect(last == .systemInfoReply(.init(sessionId: scene.sessionId, requestId: "long", reply: .processes([]))))

            // At most eight wait; the ninth is refused, an answer frees a place.
            for index in 0..<SystemInfoGatewayTests.limit { ask(scene, "w\(index)", .dashboard) }
            var waiting: [String] = []
            for _ in 0..<SystemInfoGatewayTests.limit { waiting.append(try await Self.passedOn(scene.applet).requestId) }
            #expect(Set(waiting).count == SystemInfoGatewayTests.limit, "each its own id at the applet")
            ask(scene, "one-too-many", .dashboard)
            try await scene.expectError("bad_request")
            scene.applet.send(AppletToGateway.systemInfoReply(.init(sessionId: nil, requestId: waiting[0], reply: .failed(code: "io_error", message: "x"))))
            let freed = try await scene.console.expect(GatewayToConsole.self) { if case .systemInfoReply = $0 { true } else { false } }
            #expect(freed == .systemInfoReply(.init(sessionId: scene.sessionId, requestId: "w0", reply: .failed(code: "io_error", message: "x"))))
            ask(scene, "again", .dashboard)
            let again = try await Self.passedOn(scene.applet)
            #expect(again.view == .dashboard && !waiting.contains(again.requestId))
            await scene.applet.close()
        }
    }

    static let limit = LiveSession.maximumPendingSystemInfoRequests
}
