import Foundation
import Testing
import LifelineCore
import LifelineStore
@testable import LifelineGateway

/// The gateway as a node of a cluster on one database (issue 20, first step): it registers, holds a
/// lease on each live session it serves — which no other node can take while it is renewed — and
/// gives them up when it stops.
@Suite("A gateway node: registered, leasing its live sessions, letting them go")
struct ClusterNodeTests {
    @Test("live sessions are leased at the heartbeat; another node cannot take them; stopping hands them over")
    func leases() async throws {
        try await GatewayHarness.run { gw in
            let store = try #require(gw.parts.store as? SQLStore)
            let node = gw.parts.node
            #expect(try await store.nodes(heardWithin: 30).contains { $0.id == node.id })
            let token = try await gw.login()
            let (first, _) = try await gw.createSession(token: token)
            let (second, pin) = try await gw.createSession(token: token)
            _ = try await gw.connectApplet(pin: pin)
            await node.tick()
            for id in [first, second] {
                let lease = try #require(try await store.lease(sessionId: id))
                #expect(lease.nodeId == node.id && lease.fencing == 1)
                #expect(try await store.takeLease(sessionId: id, nodeId: "another-node", staleAfter: 15) == nil, "held while its node beats")
            }
            #expect(node.heldLeases == 2 && node.nodesHeard >= 1)
            // Kept, not taken again: the token stays.
            await node.tick()
            #expect(try await store.lease(sessionId: first)?.fencing == 1)
            // A session that ends here gives its lease up at the next heartbeat: the node's list stays its live sessions.
            let (third, _) = try await gw.createSession(token: token)
            await node.tick()
            #expect(try await store.leaseCount(nodeId: node.id) == 3)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(third)/end", token: token).status == .ok)
            await node.tick()
            #expect(try await store.lease(sessionId: third) == nil)
            #expect(try await store.leaseCount(nodeId: node.id) == 2)
            #expect(node.heldLeases == 2)

            // Another node, alive, is refused while this one beats.
            _ = try await store.registerNode(id: "another-node", address: "https://another.example")
            await node.stop()
            #expect(try await store.lease(sessionId: first) == nil && node.heldLeases == 0)
            #expect(try await store.takeLease(sessionId: second, nodeId: "another-node", staleAfter: 15)?.fencing == 1)
            #expect(!(try await store.nodes(heardWithin: 30).contains { $0.id == node.id }))
            // Its next heartbeat registers it again; the session another node holds stays that node's.
            await node.tick()
            #expect(try await store.lease(sessionId: second)?.nodeId == "another-node")
            #expect(try await store.nodes(heardWithin: 30).contains { $0.id == node.id })
        }
    }

    @Test("a node whose lease was taken over cannot change the session (fenced), lets it go on a shared database, and serves it again once it holds it")
    func fenced() async throws {
        try await GatewayHarness.run { gw in
            let store = try #require(gw.parts.store as? SQLStore)
            let node = gw.parts.node
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, appletToken) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("waiting", of: id, token: token)
            await node.tick()

            // This node falls silent in the others' eyes; another takes the session over.
            try await store.removeNode(id: node.id)
            _ = try await store.registerNode(id: "other-node", address: "http://127.0.0.1:9")
            #expect(try await store.takeLease(sessionId: id, nodeId: "other-node", staleAfter: 15)?.fencing == 2)
            await node.tick()
            let refused = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            #expect(refused.status != .ok, "a fenced node's change is refused")
            #expect(try await store.session(id: id)?.machine.state == .waiting, "the database keeps the owner's state")

            var customer = applet
            if node.isShared {
                // Other nodes may serve it: this one lets it go, and its applet reconnects elsewhere.
                #expect(gw.hub.registry.record(id) == nil && gw.hub.remoteSessions.record(id) != nil)
                #expect(await applet.closes(), "the applet is sent to reconnect")
            }

            // The other node goes away; this one takes the session back at its next heartbeat, and changes it again.
            _ = try await store.releaseLeases(nodeId: "other-node")
            try await store.removeNode(id: "other-node")
            await node.tick()
            #expect(try await store.lease(sessionId: id)?.nodeId == node.id)
            if node.isShared {
                customer = try await gw.helloApplet(token: appletToken, rejoining: true)
                try await gw.waitForState("waiting", of: id, token: token)
            }
            let started = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
            #expect(started.status == .ok)
            #expect(try await store.session(id: id)?.machine.state == .active)
            await customer.close()
        }
    }

    @Test("sessions brought to a node while its heartbeat runs keep the lease they took: none is given up as closed")
    func broughtDuringHeartbeats() async throws {
        try await GatewayHarness.run { a in
            try await GatewayHarness.run(database: a.database) { b in
                let store = try #require(b.parts.store as? SQLStore)
                let token = try await a.login()
                var ids: [String] = []
                for index in 0..<24 { ids.append(try await a.createSession(token: token, name: "Brought \(index)").0) }
                let beating = Task {
                    while !Task.isCancelled { await b.parts.node.tick() }
                }
                for id in ids { await b.parts.node.bringHere(id) }
                beating.cancel()
                await beating.value
                for id in ids {
                    #expect(b.hub.registry.record(id) != nil)
                    #expect(try await store.lease(sessionId: id)?.nodeId == b.parts.node.id, "session \(id) lost its lease")
                }
            }
        }
    }
}
