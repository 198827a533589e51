import Crypto
import Foundation
import LifelineCore
import LifelineStore
import Logging
import NIOConcurrencyHelpers

/// This gateway as a node of a cluster on one database (issue 20): registered with a heartbeat on
/// the database's clock, holding a lease on each live session it serves. A lease lasts while its
/// node's heartbeat is fresh — one heartbeat row renews them all, however many sessions there are —
/// and is given up when the node stops. A node serves only the sessions it holds: one it finds held
/// by another node it lets go (its sockets closed, so the customer's applet reconnects), and one
/// whose node died it takes over (docs/architecture.md, "Several gateways").
public final class ClusterNode: Sendable {
    public let id: String
    private let addressBox: NIOLockedValueBox<String>
    /// Where the other nodes reach this one.
    var address: String { addressBox.withLockedValue { $0 } }
    let store: SQLStore
    let hub: SessionHub
    /// How long a node may stay silent before its leases may be taken: a node that died lets its
    /// sessions go after this.
    let leaseSeconds: Double
    /// Signs this node's requests to the others.
    let forwarding: NodeForwarding
    /// A node not heard from for this long is not counted as alive.
    static let heardWithin: Double = 10
    /// Wrong PINs and links every node counts (`GuessLimits` looks back 20 minutes at most).
    let guessFailures: SharedFailures
    /// Failed and successful sign-ins every node counts (`LoginBackoff` remembers a day).
    let signInFailures: SharedFailures

    private struct State {
        var held: Set<String> = []
        var nodesHeard = 0
        var beats = 0
        /// Where each node heard at the last heartbeat is reached.
        var addresses: [String: String] = [:]
        /// The other nodes whose parts of technicians' presence were last read.
        var presenceFrom: Set<String> = []
    }

    private let state = NIOLockedValueBox(State())
    private let linksBox = NIOLockedValueBox<NodeLinks?>(nil)
    /// When the last heartbeat that went through began, and whether this node fenced itself since
    /// (`ClusterNode+Fencing.swift`).
    let beat = NIOLockedValueBox(Beat(last: .now))
    /// The nodes this node's consoles sent messages to, by technician.
    private let consolesElsewhere = NIOLockedValueBox<[String: Set<String>]>([:])

    init(store: SQLStore, hub: SessionHub, address: String, id: String, leaseSeconds: Double = 15) {
        self.id = id
        addressBox = NIOLockedValueBox(address)
        forwarding = NodeForwarding(identity: hub.gatewayIdentity)
        self.store = store
        self.hub = hub
        self.leaseSeconds = leaseSeconds
        guessFailures = SharedFailures(kinds: [.wrongGuess], memory: GuessLimits.memory, nodeId: id, store: store, logger: hub.logger)
        signInFailures = SharedFailures(kinds: [.signInFailed, .signInSucceeded], memory: LoginBackoff().memory, nodeId: id, store: store,
                                        logger: hub.logger)
        hub.clusterNode.withLockedValue { $0 = self }
    }

    /// A node's id follows from where the others reach it and its data folder: the same node
    /// restarted keeps its id, and so its leases; a data folder copied to another machine does not
    /// make a second node with the same id.
    static func id(address: String, dataDirectory: String) -> String {
        let folder = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        let digest = SHA256.hash(data: Data("\(address)\n\(folder)".utf8))
        return "node-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The server is listening: a gateway started on port 0 (tests) tells the others the port it got.
    func listening(onPort port: Int?) async {
        guard let port, address.hasSuffix(":0") else { return }
        let actual = String(address.dropLast(1)) + String(port)
        addressBox.withLockedValue { $0 = actual }
        do {
            _ = try await store.registerNode(id: id, address: actual)
        } catch {
            hub.logger.error("Could not tell the other gateway nodes this node's port", metadata: ["node.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Where to send a request about a session another live node serves; nil when none does (or
    /// this node does).
    func address(servingSession sessionId: String) async -> String? {
        guard let holder = await holder(servingSession: sessionId) else { return nil }
        return await address(ofNodeIfKnown: holder)
    }

    /// The other node serving a session: the copy's holder first, the lease itself when the copy has
    /// none yet; nil when this node serves it, or none does.
    func holder(servingSession sessionId: String) async -> String? {
        guard isShared else { return nil }
        do {
            var holder = hub.remoteSessions.holder(of: sessionId)
            if holder == nil || holder == id { holder = try await store.lease(sessionId: sessionId)?.nodeId }
            guard let holder, holder != id else { return nil }
            return holder
        } catch {
            hub.logger.error("Could not find the gateway node serving a session", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
            return nil
        }
    }

    func address(ofNodeIfKnown nodeId: String) async -> String? {
        do {
            return try await address(ofNode: nodeId)
        } catch {
            hub.logger.error("Could not read where a gateway node is", metadata: ["node.id": "\(nodeId)", "error": "\(error)"])
            return nil
        }
    }

    /// This node's links to the others (made at first use).
    var links: NodeLinks {
        linksBox.withLockedValue { box in
            if let links = box { return links }
            let links = NodeLinks(node: self, logger: hub.logger)
            box = links
            return links
        }
    }

    /// A console message about a session another node serves goes there; false when this node serves it.
    func forwardConsoleMessage(_ text: String, sessionId: String, by actor: Actor) async -> Bool {
        guard hub.registry.record(sessionId) == nil, let holder = await holder(servingSession: sessionId) else { return false }
        await forwardConsoleMessage(text, toNode: holder, by: actor)
        return true
    }

    /// A console message for another node (a monitoring that lives there, E1); its answers come back.
    func forwardConsoleMessage(_ text: String, toNode nodeId: String, by actor: Actor) async {
        consolesElsewhere.withLockedValue { _ = $0[actor.id, default: []].insert(nodeId) }
        await links.send(.fromConsole(technicianId: actor.id, tokenHash: actor.tokenHash, viaCookie: actor.viaCookie, text: text), to: nodeId)
    }

    /// A console's binary frame about a session another node serves (the technician's own screen,
    /// H1) goes there; false when this node serves it.
    func forwardConsoleFrame(_ bytes: [UInt8], sessionId: String, by actor: Actor) async -> Bool {
        guard hub.registry.record(sessionId) == nil, let holder = await holder(servingSession: sessionId) else { return false }
        await forwardConsoleFrame(bytes, toNode: holder, by: actor)
        return true
    }

    /// A console's binary frame for another node (a monitored technician's screen, E1).
    func forwardConsoleFrame(_ bytes: [UInt8], toNode nodeId: String, by actor: Actor) async {
        consolesElsewhere.withLockedValue { _ = $0[actor.id, default: []].insert(nodeId) }
        await links.send(consoleFrame: bytes, by: actor, to: nodeId)
    }

    /// The other node a monitoring lives on, from its id; nil when it lives here (or on a lone gateway).
    func home(ofMonitoring monitoringId: String) -> String? {
        guard let home = SessionHub.homeNode(ofMonitoring: monitoringId), home != id else { return nil }
        return home
    }

    /// The technician's last console here closed: the nodes that answered it forget it.
    func consolesClosed(of technicianId: String) async {
        let nodes = consolesElsewhere.withLockedValue { $0.removeValue(forKey: technicianId) ?? [] }
        for nodeId in nodes.sorted() { await links.send(.consolesGone(technicianId: technicianId), to: nodeId) }
    }

    /// A live node's address: from the last heartbeat, or read again for a node that started since.
    private func address(ofNode nodeId: String) async throws -> String? {
        if let known = state.withLockedValue({ $0.addresses[nodeId] }) { return known }
        let alive = try await store.nodes(heardWithin: Self.heardWithin)
        return state.withLockedValue { state in
            for node in alive { state.addresses[node.id] = node.address }
            return state.addresses[nodeId]
        }
    }

    var heldLeases: Int { state.withLockedValue { $0.held.count } }
    var nodesHeard: Int { state.withLockedValue { $0.nodesHeard } }
    /// Whether other nodes may share the database (PostgreSQL); the SQLite file has one gateway.
    var isShared: Bool { store.signals != nil }

    /// Registers the node and loads the live sessions it may serve: on a shared database the ones
    /// whose lease it gets (its own from before a restart, free ones, a dead node's); the others
    /// are other nodes' and their copies go to `hub.remoteSessions`.
    func start() async throws {
        _ = try await store.registerNode(id: id, address: address)
        hub.logger.notice("Registered as a gateway node", metadata: ["node.id": "\(id)", "node.address": "\(address)"])
        let stored = try await store.liveSessions()
        guard isShared else {
            try await hub.loadLiveSessions(stored)
            await tick()
            return
        }
        let leases = try await store.takeLeases(sessionIds: stored.map(\.id), nodeId: id, staleAfter: leaseSeconds)
        let won = Dictionary(leases.map { ($0.sessionId, $0.fencing) }, uniquingKeysWith: max)
        hub.leases.update(nodeId: id, held: won, live: Set(won.keys))
        try await hub.loadLiveSessions(stored.filter { won[$0.id] != nil })
        let holders = try await store.leaseHolders()
        for record in stored where won[record.id] == nil { hub.remoteSessions.keep(record, holder: holders[record.id]) }
        state.withLockedValue { $0.held = Set(won.keys) }
        await tick()
        // Answers meant for a technician's consoles reach those on the other nodes (a file the
        // customer accepted, a script's output): each node hands them to the consoles it has.
        hub.sockets.toOtherNodes.withLockedValue { hook in
            hook = { [weak self] technicianId, message, skipping in
                guard let self else { return }
                self.links.sendNow(.toConsoles(technicianId: technicianId, text: message),
                                   to: self.otherNodeIds.filter { !skipping.contains($0) })
            }
        }
        hub.sockets.binaryToOtherNodes.withLockedValue { hook in
            hook = { [weak self] technicianId, frame, skipping in
                guard let self else { return }
                self.links.sendNow(binary: frame, for: technicianId,
                                   to: self.hub.presenceBoard.otherNodes(withConsolesOf: technicianId).filter { !skipping.contains($0) })
            }
        }
    }

    /// The other nodes heard from at the last heartbeat.
    var otherNodeIds: [String] {
        state.withLockedValue { state in state.addresses.keys.filter { $0 != id } }
    }

    /// Where a node heard from at the last heartbeat is reached, without asking the database.
    func knownAddress(of nodeId: String) -> String? {
        state.withLockedValue { $0.addresses[nodeId] }
    }

    /// One heartbeat: the node is alive (which keeps its leases), the leases of sessions that closed
    /// here are given up, every live session it serves without one gets one (a new session), a
    /// session another node took is let go, and a session whose node died is taken over. The list
    /// of its leases is read only when their count says another node took some: a steady gateway's
    /// beat is a few one-row statements, however many sessions.
    func tick() async {
        do {
            let began = ContinuousClock.now
            if try await store.heartbeat(nodeId: id) == nil {
                // Removed as dead by another node: come back.
                _ = try await store.registerNode(id: id, address: address)
            }
            beatWentThrough(startedAt: began)
            // Held before live: a session is held only once in the registry (`serveHeld`), so held
            // but not live means closed — not brought here between the two reads.
            let known = state.withLockedValue { $0.held }
            let live = Set(hub.registry.records.map(\.id))
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
            // A session it lost keeps its old token until it is gone: its writes stay fenced.
            hub.leases.update(nodeId: id, held: held, live: live)
            for sessionId in wanted where held[sessionId] == nil && isShared {
                await hub.letGo(sessionId, heldBy: try await store.lease(sessionId: sessionId)?.nodeId, reason: "its lease is another node's")
            }
            let alive = try await store.nodes(heardWithin: Self.heardWithin)
            state.withLockedValue { state in
                state.held = Set(held.keys).intersection(live)
                state.nodesHeard = alive.count
                state.addresses = Dictionary(alive.map { ($0.id, $0.address) }, uniquingKeysWith: { first, _ in first })
            }
            if isShared {
                // A node came or went silent: its parts of technicians' presence count, or no longer.
                let nodesChanged = state.withLockedValue { state in
                    let others = Set(state.addresses.keys).subtracting([id])
                    defer { state.presenceFrom = others }
                    return others != state.presenceFrom
                }
                if nodesChanged { await readPresence() }
                await takeOverOrphans()
                if state.withLockedValue({ state in state.beats += 1; return state.beats % 60 == 1 }) {
                    let forgotten = try await store.forgetSharedFailures(olderThanSeconds: signInFailures.memory + SharedFailures.overlap)
                    if forgotten > 0 { hub.logger.debug("Old failures forgotten", metadata: ["failures": "\(forgotten)"]) }
                }
            }
        } catch {
            hub.logger.error("The gateway node's heartbeat failed", metadata: ["node.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Takes over the sessions of nodes that went silent for a lease's length (or left): of many
    /// nodes trying, the database gives each session to one.
    func takeOverOrphans() async {
        do {
            let alive = Set(try await store.nodes(heardWithin: leaseSeconds).map(\.id))
            let candidates = hub.remoteSessions.ids(servedOutside: alive)
            guard !candidates.isEmpty else { return }
            for lease in try await store.takeLeases(sessionIds: candidates, nodeId: id, staleAfter: leaseSeconds) {
                hub.leases.hold(lease.sessionId, fencing: lease.fencing, nodeId: id)
                await hub.takeOver(lease.sessionId)
                serveHeld(lease.sessionId)
            }
        } catch {
            hub.logger.error("Could not take over the sessions of a silent gateway node", metadata: ["node.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Serves here a session another node serves: its customer came through this node. The lease is
    /// taken whoever holds it (the other node's writes are refused from now on) and the other node
    /// is told, so it lets the session go at once.
    func bringHere(_ sessionId: String) async {
        await hub.serialised(sessionId) {
            guard hub.registry.record(sessionId) == nil else { return }
            do {
                let previous = try await store.lease(sessionId: sessionId)?.nodeId
                let lease = try await store.seizeLease(sessionId: sessionId, nodeId: id)
                hub.leases.hold(sessionId, fencing: lease.fencing, nodeId: id)
                // The node that served it stops before this one starts: no request finds it on both.
                if let previous, previous != id, let address = try await address(ofNode: previous),
                   !(await forwarding.askToLetGo(sessionId, from: id, at: address)) {
                    hub.logger.warning("The gateway node that served a session did not let it go in time; its writes are refused",
                                       metadata: ["session.id": "\(sessionId)", "node.id": "\(previous)"])
                }
                await hub.takeOver(sessionId)
                serveHeld(sessionId)
            } catch {
                hub.logger.error("Could not bring a session to this gateway node", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
            }
        }
    }

    /// Counts a session whose lease this node took as held — only once it is in the registry (or
    /// failed to get there): the heartbeat gives up the leases of sessions held but not live.
    private func serveHeld(_ sessionId: String) {
        state.withLockedValue { _ = $0.held.insert(sessionId) }
    }

    /// A session just made here is leased at once, so every node finds where it is served from its
    /// first moment (the heartbeat would take it within two seconds).
    func leaseNewSession(_ sessionId: String) async {
        guard isShared else { return }
        do {
            guard let lease = try await store.takeLease(sessionId: sessionId, nodeId: id, staleAfter: leaseSeconds) else { return }
            hub.leases.hold(sessionId, fencing: lease.fencing, nodeId: id)
            serveHeld(sessionId)
        } catch {
            hub.logger.error("Could not lease a new session; the heartbeat will", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
        }
    }

    /// Another node said it changed a session this node serves: it took it over, unless the lease is still this node's.
    func checkStillServed(_ sessionId: String) async {
        do {
            let holder = try await store.lease(sessionId: sessionId)?.nodeId
            guard let holder, holder != id else { return }
            await hub.letGo(sessionId, heldBy: holder, reason: "another node took it over")
        } catch {
            hub.logger.error("Could not check who serves a session", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
        }
    }

    /// A graceful stop: the links to other nodes close, the leases are given up and the node leaves the list.
    func stop() async {
        hub.sockets.toOtherNodes.withLockedValue { $0 = nil }
        linksBox.withLockedValue { $0 }?.closeAll()
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
