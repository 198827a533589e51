import Foundation
import LifelineStore
import Logging
import ServiceLifecycle

/// Queue changes between gateway nodes (issue 20): each node tells the others which sessions
/// changed and which log lines it wrote (`ClusterSignal`, PostgreSQL NOTIFY), and shows its own
/// consoles what the others told, read from the database. Each time it starts listening — at start,
/// after the database connection broke — it first catches up from the tables, so nothing is missed.
extension ClusterNode {
    func received(_ payload: String) async {
        let signal: ClusterSignal
        do {
            signal = try JSONDecoder().decode(ClusterSignal.self, from: Data(payload.utf8))
        } catch {
            hub.logger.error("A gateway node's signal could not be read", metadata: ["error": "\(error)", "signal": "\(payload.prefix(200))"])
            return
        }
        guard signal.node != id else { return }
        for change in signal.changes { await apply(change) }
        for sessionId in signal.sessions {
            if hub.registry.record(sessionId) != nil {
                await checkStillServed(sessionId)
            } else {
                await hub.showRemote(sessionId, heldBy: signal.node)
            }
        }
        for line in signal.logs {
            if let entry = line.entry, let after = line.after {
                await hub.showRemoteLog(entry, after: after)
            } else {
                await hub.showRemoteLog(of: line.session, from: line.id)
            }
        }
    }

    /// An administrator's change saved on another node, acted on here.
    func apply(_ change: OrganisationChange) async {
        switch change {
        case .settings:
            do {
                try await hub.loadSettings()
                await hub.settingsApplied()
            } catch {
                hub.logger.error("Could not read the organisation's settings another gateway node saved", metadata: ["error": "\(error)"])
            }
        case .channels:
            hub.queues.forgetChannels()
        case .technician(let technicianId):
            hub.technicianChanged(technicianId)
            await hub.refreshConsoles(of: technicianId, accounts: Accounts(store: store, environment: hub.environment))
        case .consolesClosed(let technicianId, let reason):
            await hub.closeConsolesHere(of: technicianId, reason: reason)
        case .presence(let technicianId):
            await readPresence(of: technicianId)
        }
    }

    /// Brings this node's copies of other nodes' sessions up to date with the tables: new ones,
    /// changed ones, ones that closed, and the log lines written meanwhile; and what administrators
    /// changed meanwhile (settings, channels, the technicians of this node's consoles).
    func catchUp() async {
        await apply(.settings)
        await apply(.channels)
        for technicianId in hub.sockets.techniciansWithConsoles { await apply(.technician(technicianId)) }
        await readPresence()
        do {
            let stored = try await store.liveSessions().filter { hub.registry.record($0.id) == nil }
            let holders = try await store.leaseHolders()
            let storedIds = Set(stored.map(\.id))
            for gone in hub.remoteSessions.ids.subtracting(storedIds).sorted() { await hub.showRemote(gone) }
            for record in stored where hub.remoteSessions.keep(record, holder: holders[record.id]) {
                await hub.publishHere(record)
            }
            for record in stored {
                guard let last = hub.remoteSessions.lastLogId(of: record.id) else { continue }
                await hub.showRemoteLog(of: record.id, from: last + 1)
            }
        } catch {
            hub.logger.error("Could not catch up with the other gateway nodes", metadata: ["node.id": "\(id)", "error": "\(error)"])
        }
    }
}

/// Sends this node's signals and listens to the others' while the gateway runs (PostgreSQL only:
/// on the SQLite file a gateway is alone).
struct ClusterFeedService: Service {
    let node: ClusterNode
    let signals: any ClusterSignals
    /// Between two attempts to listen again after the connection broke.
    var retryDelay: Duration = .seconds(1)

    func run() async throws {
        let wakes = node.hub.outbox.open()
        defer { node.hub.outbox.close() }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await send(wakes) }
                group.addTask { await listen() }
            }
        }
    }

    private func send(_ wakes: AsyncStream<Void>) async {
        for await _ in wakes {
            for signal in SignalOutbox.signals(from: node.hub.outbox.take(), node: node.id) {
                do {
                    let payload = String(decoding: try JSONEncoder().encode(signal), as: UTF8.self)
                    try await signals.send(payload)
                } catch {
                    node.hub.logger.error("A signal to the other gateway nodes was not sent", metadata: ["node.id": "\(node.id)", "error": "\(error)"])
                }
            }
        }
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await signals.listen(ready: { await node.catchUp() }, received: { await node.received($0) })
            } catch {
                if Task.isCancelled { return }
                node.hub.logger.error("Stopped hearing the other gateway nodes; listening again",
                                      metadata: ["node.id": "\(node.id)", "error": "\(error)"])
            }
            do { try await Task.sleep(for: retryDelay) } catch { return }
        }
    }
}
