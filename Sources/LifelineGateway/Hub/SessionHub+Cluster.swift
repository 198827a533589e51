import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Sessions changing gateway node (issue 20): let go when another node holds them, taken over when
/// the node serving them died.
extension SessionHub {
    /// This gateway as a node sharing its database with other nodes; nil when it is alone (SQLite).
    var sharedNode: ClusterNode? {
        clusterNode.withLockedValue { $0?.isShared == true ? $0 : nil }
    }

    /// Another node holds the session's lease: this node stops serving it. Its applet's socket is
    /// closed, so the applet reconnects (through the load balancer) to a node that serves it; this
    /// node's consoles keep seeing it as the database has it.
    func letGo(_ id: String, heldBy holder: String?, reason: String) async {
        guard let session = registry.session(id) else { return }
        await session.serialised { await session.letGo() }
        stopServing(id)
        logger.warning("Another gateway node serves this session now: let go here",
                       metadata: ["session.id": "\(id)", "reason": "\(reason)"])
        await showRemote(id, heldBy: holder)
    }

    /// Every session at once, without the database (it does not answer): sockets closed first, so
    /// the applets reconnect through the load balancer to a node that serves them; what ran for
    /// each stops when its work in hand ends. The copies come back with the catch-up.
    func stopServingAll(reason: String) {
        for record in registry.records {
            guard let session = registry.session(record.id) else { continue }
            stopServing(record.id)
            Task { await session.serialised { await session.letGo() } }
            logger.warning("Not serving this session here any more", metadata: ["session.id": "\(record.id)", "reason": "\(reason)"])
        }
    }

    private func stopServing(_ id: String) {
        registry.remove(id)
        screenRelay.setRoute(nil, for: id)
        sockets.removeApplet(of: id)?.close(reason: "session moved")
        for collaborator in collaborators.all(in: id) {
            sockets.removeCollaborator(collaborator.id)?.close(reason: "session moved")
        }
    }

    /// The customer's PIN or link names a session this node does not serve: it is brought here
    /// first, as a session is served where its customer is (a cluster on one PostgreSQL). An address
    /// over its limit of wrong guesses is refused before the database is asked.
    func bringHere(_ credential: Credential, from source: String) async throws {
        guard sharedNode != nil else { return }
        await catchUpWrongGuesses()
        try checkGuessLimits(from: source, at: environment.now())
        switch credential {
        case .pin(let typed):
            guard let pin = PinCode(typed)?.digits, registry.session(withPin: pin) == nil else { return }
            await bringHere { try await store.session(pin: pin) }
        case .link(let token):
            let hash = Secrets.hash(token)
            guard registry.session(withLinkHash: hash) == nil else { return }
            await bringHere { try await store.session(linkTokenHash: hash) }
        }
    }

    /// The same for an applet coming back with its token.
    func bringHere(appletTokenHash hash: String) async {
        guard registry.session(withAppletTokenHash: hash) == nil else { return }
        await bringHere { try await store.session(appletTokenHash: hash) }
    }

    private func bringHere(_ find: () async throws -> SessionRecord?) async {
        guard let node = sharedNode else { return }
        do {
            guard let record = try await find(), registry.record(record.id) == nil, !record.machine.state.isRemovedFromQueue else { return }
            await node.bringHere(record.id)
        } catch {
            logger.error("Could not look a customer's session up in the database", metadata: ["error": "\(error)"])
        }
    }

    /// Serves a session whose node went silent, as the database has it (its lease is this node's).
    func takeOver(_ id: String) async {
        remoteSessions.remove(id)
        do {
            guard let record = try await store.session(id: id), !record.machine.state.isRemovedFromQueue else { return }
            await serve(record, since: environment.now())
            // The other nodes learn who serves it now, even when taking it over changed nothing.
            outbox.announce(.session(id))
            logger.notice("Took over a session of a silent gateway node", metadata: ["session.id": "\(id)"])
        } catch {
            logger.error("Could not take over a session", metadata: ["session.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Shows this node's consoles a session another node serves, as the database has it now.
    func showRemote(_ id: String, heldBy holder: String? = nil) async {
        guard registry.record(id) == nil else { return }
        do {
            guard let record = try await store.session(id: id) else {
                remoteSessions.remove(id)
                return
            }
            if record.machine.state.isRemovedFromQueue {
                guard remoteSessions.remove(id) != nil else { return }
            } else {
                guard remoteSessions.keep(record, holder: holder) else { return }
            }
            await publishHere(record)
            // Its technician's active sessions, and so Busy, count it.
            if let owner = record.technicianId { await updatePresence(of: owner) { _ in } }
        } catch {
            logger.error("Could not read a session another gateway node changed", metadata: ["session.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Gives this node's consoles the log lines another node wrote in a session it serves, from the
    /// first they have not had.
    func showRemoteLog(of sessionId: String, from firstId: Int64) async {
        guard registry.record(sessionId) == nil, let record = remoteSessions.record(sessionId),
              await seenHere(record) else { return }
        do {
            let after = remoteSessions.lastLogId(of: sessionId) ?? firstId - 1
            for entry in try await store.log(sessionId: sessionId, afterId: after) where remoteSessions.noteLog(entry.id, of: sessionId) {
                await publishHere(entry, to: record)
            }
        } catch {
            logger.error("Could not read log lines another gateway node wrote", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
        }
    }

    /// The same for a line that came whole in a signal: shown as it is when this node's consoles
    /// have the line before it, else read with any they missed.
    func showRemoteLog(_ entry: LogEntry, after: Int64) async {
        guard registry.record(entry.sessionId) == nil, let record = remoteSessions.record(entry.sessionId),
              await seenHere(record) else { return }
        if remoteSessions.noteLog(entry.id, of: entry.sessionId, after: after) {
            await publishHere(entry, to: record)
        } else {
            await showRemoteLog(of: entry.sessionId, from: entry.id)
        }
    }

    /// Whether a console on this node sees the session (nobody here: nothing to show; a console that
    /// opens it later reads its log).
    /// Whether a console here shows the session: one of its viewers', or an administrator's
    /// monitoring here of one of them (E1: the mirror is built on the monitoring's node).
    private func seenHere(_ record: SessionRecord) async -> Bool {
        await viewers(of: record).contains(where: { !sockets.localConsoles(of: $0).isEmpty || !monitorings.watching($0).isEmpty })
    }
}
