import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore
import Logging

/// The one owner of live sessions on this gateway: applies the state machine, writes the store
/// first and then tells the technician's consoles and the customer's applet.
public actor SessionHub {
    let store: any Store
    let environment: GatewayEnvironment
    let publicURL: String
    let logger: Logger

    /// Sessions still in a queue, by id. The store is written before this changes.
    var live: [String: SessionRecord] = [:]
    /// Link URLs of sessions waiting for their customer, kept only in memory (the store has hashes).
    var links: [String: String] = [:]
    /// Technician and organisation names by "kind:id", read once from the store.
    var names: [String: String] = [:]
    var consoles: [String: [UUID: Outlet]] = [:]
    var applets: [String: Outlet] = [:]
    var pinAttempts = AttemptLimiter(maximumFailures: 10, window: 300)
    var presences: [String: TechnicianPresence] = [:]
    /// The last status told to consoles, so only changes are pushed.
    var publishedStatuses: [String: TechnicianStatus] = [:]
    /// Each signed-in technician's organisation: statuses go to colleagues only.
    var organisations: [String: String] = [:]

    init(store: any Store, environment: GatewayEnvironment, publicURL: String, logger: Logger) {
        self.store = store
        self.environment = environment
        self.publicURL = publicURL
        self.logger = logger
    }

    /// Loads the queue after a start. Applets were connected to the previous process, so every
    /// session that expected one is now reconnecting; applets come back by themselves.
    func loadLiveSessions() async throws {
        let now = environment.now()
        for record in try await store.liveSessions() {
            live[record.id] = record
            guard record.machine.state.expectsCustomerConnection else { continue }
            do {
                try await apply(.connectionLost(since: now), to: record.id)
            } catch {
                logger.error("Could not mark a session as reconnecting", metadata: ["session.id": "\(record.id)", "error": "\(error)"])
            }
        }
        logger.info("Loaded live sessions", metadata: ["sessions.count": "\(live.count)"])
    }

    // MARK: Applying events

    /// Applies `event` to a live session: store first, then the log, then the sockets.
    @discardableResult
    func apply(_ event: SessionEvent, to id: String) async throws -> SessionRecord {
        guard var record = live[id] else { throw GatewayError.sessionNotFound }
        let now = environment.now()
        let transition: Transition
        do {
            transition = try record.machine.handle(event, at: now, timers: environment.timers)
        } catch {
            throw GatewayError.refused(error)
        }
        let state = transition.to
        if state == .closed || state.isClosed {
            record.pin = nil
            record.linkTokenHash = nil
            record.appletTokenHash = nil
        }
        if state.isRemovedFromQueue { record.closedAt = now }
        try await store.updateSession(record)
        live[id] = state.isRemovedFromQueue ? nil : record
        if state != .connecting { links[id] = nil }
        logger.info("Session state changed", metadata: [
            "session.id": "\(id)", "session.from": "\(transition.from.rawValue)", "session.to": "\(state.rawValue)",
        ])
        await publish(record)
        if transition.from.countsTowardActiveLimit != state.countsTowardActiveLimit {
            await updatePresence(of: record.technicianId) { _ in }
        }
        if transition.from != state {
            let entry = try await store.appendLog(sessionId: id, at: now, kind: .status, authorRole: .system,
                                                  author: "Lifeline", text: StatusText.entering(state), state: state)
            publish(entry, toTechnician: record.technicianId)
            applets[id]?.send(WireCodec.encode(GatewayToApplet.status(entry)))
            if state.isClosed { endApplet(of: id, reason: StatusText.entering(state)) }
        }
        return record
    }

    /// Moves every session whose timer ran out (connecting timeout, five minutes offline …).
    public func runTimers() async {
        await refreshStatuses()
        let now = environment.now()
        for (id, record) in live {
            guard let event = record.machine.dueTimerEvent(at: now, timers: environment.timers) else { continue }
            do {
                try await apply(event, to: id)
            } catch {
                logger.error("Timer event failed", metadata: ["session.id": "\(id)", "error": "\(error)"])
            }
        }
    }

    // MARK: Telling consoles and applets

    func publish(_ record: SessionRecord) async {
        let message = WireCodec.encode(GatewayToConsole.session(await summary(of: record)))
        consoles[record.technicianId]?.values.forEach { $0.send(message) }
    }

    func publish(_ entry: LogEntry, toTechnician technicianId: String) {
        let message = WireCodec.encode(GatewayToConsole.log(entry))
        consoles[technicianId]?.values.forEach { $0.send(message) }
    }

    func endApplet(of sessionId: String, reason: String) {
        guard let outlet = applets.removeValue(forKey: sessionId) else { return }
        outlet.send(WireCodec.encode(GatewayToApplet.ended(reason: reason)))
        outlet.close(reason: "session ended")
    }

    func summary(of record: SessionRecord) async -> SessionSummary {
        let connecting = record.machine.state == .connecting
        return SessionSummary(
            id: record.id, name: record.name, state: record.machine.state, method: record.method, channel: "Private",
            technicianId: record.technicianId, technicianName: await technicianName(record.technicianId),
            createdAt: record.machine.createdAt, stateSince: record.machine.stateEnteredAt,
            heldSince: record.machine.heldSince, pin: connecting ? record.pin : nil,
            link: connecting ? links[record.id] : nil, customer: record.customer)
    }

    func technicianName(_ id: String) async -> String {
        await cachedName(id, kind: "technician") { try await $0.technician(id: id)?.name }
    }

    func organisationName(_ id: String) async -> String {
        await cachedName(id, kind: "organisation") { try await $0.organisation(id: id)?.name }
    }

    /// Names shown with every session change are read once and kept; a failed read shows "".
    private func cachedName(_ id: String, kind: String, read: (any Store) async throws -> String?) async -> String {
        if let name = names["\(kind):\(id)"] { return name }
        do {
            let name = try await read(store) ?? ""
            names["\(kind):\(id)"] = name
            return name
        } catch {
            logger.error("Could not read a name", metadata: ["name.kind": "\(kind)", "name.id": "\(id)", "error": "\(error)"])
            return ""
        }
    }

    /// Forget a technician's cached name after an edit.
    func technicianChanged(_ id: String) { names["technician:\(id)"] = nil }
}
