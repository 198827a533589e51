import Foundation
import Testing
import LifelineProtocol
import LifelineTestSupport
@testable import LifelineGateway

/// A node whose heartbeat no longer reaches the database fences itself (issue 20): before another
/// node may take its sessions, it stops serving them, says it is not ready, and its applets come
/// back through the other node; once a beat goes through it serves again, without taking anything back.
@Suite("A gateway node cut off from the database stops serving before another takes over",
       .enabled(if: TestDatabase.postgresServer != nil))
struct ClusterFencingTests {
    @Test("silent past two thirds of a lease: A drops its applet and is not ready; the applet comes back through B; A beats again and takes nothing back")
    func fencedWhenSilent() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let (id, _, tokenOnB, applet, appletToken) = try await ClusterFeedTests.activeOnA(a, b, name: "Fenced")
            let node = a.parts.node
            // Silence counted from a beat of known time: on a loaded machine the last real beat may be
            // seconds old already (a later real beat only moves it forward, within the margins below).
            let beat = ContinuousClock.now
            node.beatWentThrough(startedAt: beat, now: beat)
            await node.fenceIfSilent(now: beat + node.fenceAfter - .seconds(1))
            #expect(a.hub.registry.record(id) != nil, "not silent long enough: still served")

            await node.fenceIfSilent(now: beat + node.fenceAfter + .seconds(30))
            #expect(await applet.closes(within: 5), "A closes the applet's socket")
            #expect(a.hub.registry.record(id) == nil)
            let ready = try await a.request(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable && String(decoding: ready.body, as: UTF8.self).contains("database"))

            let back = try await b.helloApplet(token: appletToken)
            #expect(b.hub.registry.record(id)?.machine.state == .active, "B serves it, as the database has it")
            let said = try await b.request(.post, "/api/v1/sessions/\(id)/messages", token: tokenOnB, json: ["text": "Served by B"])
            #expect(said.status == .created || said.status == .ok)
            _ = try await back.expect(GatewayToApplet.self) { if case .chat(let entry) = $0 { entry.text == "Served by B" } else { false } }

            node.beatWentThrough(startedAt: .now, now: .now + node.fenceAfter / 2 + .seconds(1))
            #expect(node.isFenced, "a beat that hung through the cut does not lift it")
            await node.tick()
            #expect(!node.isFenced)
            #expect(try await a.request(.get, "/health/ready").status == .ok, "the database answers A again")
            #expect(a.hub.registry.record(id) == nil, "A takes nothing back")
            await back.close()
        }
    }
}
