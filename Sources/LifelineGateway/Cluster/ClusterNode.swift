import Foundation
import LifelineStore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// This gateway as a node of a cluster on one database (issue 20, first step): registered with a
/// heartbeat on the database's clock, and holding a lease on each live session it serves. A lease
/// lasts while its node's heartbeat is fresh — one heartbeat row renews them all, however many
/// sessions there are — and is given up when the node stops, so another node may take a session
/// over once its holder is silent or gone. Forwarding sockets to the holder and refusing writes
/// under a lost lease (fencing) come next (docs/architecture.md, "Several gateways").
public final class ClusterNode: Sendable {
    public let id: String
    let address: String
    let store: SQLStore
    let hub: SessionHub
    /// How long a node may stay silent before its leases may be taken: a node that died lets its
    /// sessions go after this.
    let leaseSeconds: Double
    /// A node not heard from for this long is not counted as alive.
    static let heardWithin: Double = 10

    private struct State {
        var held: Set<String> = []
        /// Sessions another node holds, told to the log once each.
        var heldElsewhere: Set<String> = []
        var nodesHeard = 0
    }

    private let state = NIOLockedValueBox(State())

    init(store: SQLStore, hub: SessionHub, address: String, leaseSeconds: Double = 15, id: String = "node-" + UUID().uuidString.lowercased()) {
        self.id = id
        self.address = address
        self.store = store
        self.hub = hub
        self.leaseSeconds = leaseSeconds
    }

    var heldLeases: Int { state.withLockedValue { $0.held.count } }
    var nodesHeard: Int { state.withLockedValue { $0.nodesHeard } }

    func start() async throws {
        _ = try await store.registerNode(id: id, address: address)
        hub.logger.notice("Registered as a gateway node", metadata: ["node.id": "\(id)", "node.address": "\(address)"])
        await tick()
    }

    /// One heartbeat: the node is alive (which keeps its leases), the leases of sessions that closed
    /// here are given up, and every live session it serves without one gets one (a new session, or
    /// one loaded at start). The list of its leases is read only when their count says another
    /// node took some: a steady gateway's beat is a few one-row statements, however many sessions.
    func tick() async {
        do {
            if try await store.heartbeat(nodeId: id) == nil {
                // Removed as dead by another node: come back.
                _ = try await store.registerNode(id: id, address: address)
            }
            let live = Set(hub.registry.records.map(\.id))
            let known = state.withLockedValue { $0.held }
            let closed = known.subtracting(live)
            if !closed.isEmpty { try await store.releaseLeases(nodeId: id, sessionIds: closed.sorted()) }
            let stillKnown = known.intersection(live)
            var held: [String: Int64]
            if try await store.leaseCount(nodeId: id) == stillKnown.count {
                held = hub.leases.tokens(of: stillKnown)
            } else {
                held = try await store.leases(nodeId: id)
            }
            let wanted = live.subtracting(held.keys).sorted()
            for lease in try await store.takeLeases(sessionIds: wanted, nodeId: id, staleAfter: leaseSeconds) {
                held[lease.sessionId] = lease.fencing
            }
            // Its writes stay fenced with the token it had: the database refuses them.
            hub.leases.update(nodeId: id, held: held, live: live)
            for sessionId in wanted where held[sessionId] == nil && state.withLockedValue({ $0.heldElsewhere.insert(sessionId).inserted }) {
                hub.logger.warning("A live session here is held by another gateway node: its changes are refused until it is back here",
                                   metadata: ["session.id": "\(sessionId)", "node.id": "\(id)"])
            }
            let nodes = try await store.nodes(heardWithin: Self.heardWithin).count
            state.withLockedValue { state in
                state.held = Set(held.keys).intersection(live)
                state.heldElsewhere.formIntersection(live)
                state.nodesHeard = nodes
            }
        } catch {
            hub.logger.error("The gateway node's heartbeat failed", metadata: ["node.id": "\(id)", "error": "\(error)"])
        }
    }

    /// A graceful stop: the leases are given up and the node leaves the list.
    func stop() async {
        do {
            let released = try await store.releaseLeases(nodeId: id)
            try await store.removeNode(id: id)
            state.withLockedValue { $0.held = [] }
            hub.logger.notice("Left the cluster", metadata: ["node.id": "\(id)", "leases.released": "\(released)"])
        } catch {
            hub.logger.error("The gateway node could not give up its leases", metadata: ["node.id": "\(id)", "error": "\(error)"])
        }
    }
}

/// Runs the node's heartbeat until the gateway stops, then gives its leases up.
struct ClusterNodeService: Service {
    let node: ClusterNode
    let interval: Duration

    func run() async throws {
        try await node.start()
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    await node.tick()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: fall through to give the leases up.
        }
        await node.stop()
    }
}
