import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore
import Logging
import NIOConcurrencyHelpers

/// The one owner of live sessions on this gateway: applies the state machine, writes the store
/// first and then tells the technician's consoles and the customer's applet.
public actor SessionHub {
    let store: any Store
    let environment: GatewayEnvironment
    let publicURL: String
    let logger: Logger

    /// Sessions still in a queue, by id. The store is written before this changes.
    var live = LiveSessions()
    /// Link URLs of sessions waiting for their customer, kept only in memory (the store has hashes).
    var links: [String: String] = [:]
    /// Every open socket: consoles, applets, collaborators' consoles.
    nonisolated let sockets = SocketDirectory()
    nonisolated let names: NameBook
    nonisolated let queues: QueueDirectory
    nonisolated let presenceBoard = PresenceBoard()
    /// Wrong PINs and links, per address and gateway-wide.
    nonisolated let guesses = GuessLimits()
    /// When a customer's "no" was last logged, per session (one line a minute at most).
    var declinesNoted: [String: Date] = [:]
    /// A customer's applet may send 20 chat lines in 10 seconds; it is hostile input until proven not.
    nonisolated let customerChat = SharedLimiter(maximumEvents: 20, window: 10)
    /// Sessions started automatically (B4) that no technician has acted on yet: a customer who
    /// leaves now left "while waiting".
    var awaitingTechnician: Set<String> = []
    /// Channel forms are public: ten requests per address in ten minutes.
    nonisolated let channelRequests = SharedLimiter(maximumEvents: 10, window: 600)
    /// Remote desktops requested or running, by session id (J1, J2).
    var remotes: [String: RemoteDesktopState] = [:] {
        didSet { updateScreenRoutes() }
    }
    /// Set when the gateway begins to stop (`ShutdownNotice`): closing sockets then changes no session.
    nonisolated let stoppingFlag = NIOLockedValueBox(false)
    /// Screen frames' way around the hub (see `ScreenRelay`).
    nonisolated let screenRelay: ScreenRelay
    /// The recording running in each session, by session id (J14).
    var activeRecordings: [String: String] = [:]
    /// The file transfer running in each session (one at a time), by session id (D4, G1).
    var runningFiles: [String: String] = [:]
    /// Pipes from the technician's upload to the applet's download, by file id.
    var fileRelays: [String: FileRelay] = [:]
    /// Each side's MD5 of a file on its way to the customer, by file id, until both are known:
    /// the upload and the applet's result race, and the verdict waits for the second.
    var fileChecks: [String: (sent: String?, received: String?)] = [:]
    /// What an administrator saved; nil: the environment's timers and status rules.
    nonisolated let savedSettings = NIOLockedValueBox<OrganisationSettings?>(nil)
    /// External collaborators still invited or collaborating, by id (I2).
    var externals: [String: ExternalCollaborator] = [:]

    /// The append-only, hash-chained audit log.
    let audit: AuditTrail
    /// One change at a time per session (see `serialised`).
    let locks = KeyedLocks()
    /// Who is behind each open console socket, kept current without a store read per message.
    nonisolated let identities = ConsoleIdentities()

    init(store: any Store, environment: GatewayEnvironment, publicURL: String, logger: Logger) {
        audit = AuditTrail(store: store, environment: environment, logger: logger)
        self.store = store
        self.environment = environment
        self.publicURL = publicURL
        self.logger = logger
        names = NameBook(store: store, logger: logger)
        queues = QueueDirectory(store: store, logger: logger)
        screenRelay = ScreenRelay(sockets: sockets)
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
        try await loadExternalCollaborators()
        logger.info("Loaded live sessions", metadata: ["sessions.count": "\(live.count)", "collaborators.count": "\(externals.count)"])
    }

    // MARK: Applying events

    /// Applies `event` to a live session (the owner's view, and what it means for other views):
    /// store first, then the log, then the sockets.
    @discardableResult
    func apply(_ event: SessionEvent, to id: String) async throws -> SessionRecord {
        try await serialised(id) { try await applyNow(event, to: id) }
    }

    private func applyNow(_ event: SessionEvent, to id: String) async throws -> SessionRecord {
        guard let record = live[id] else { throw GatewayError.sessionNotFound }
        let change: SessionChange
        do {
            change = try SessionChange.applying(event, to: record, before: record, at: environment.now(), timers: timers)
        } catch {
            throw GatewayError.refused(error)
        }
        return try await run(change)
    }

    func move(_ machine: inout SessionMachine, by event: SessionEvent, at now: Date) throws -> Transition {
        do {
            return try machine.handle(event, at: now, timers: timers)
        } catch {
            throw GatewayError.refused(error)
        }
    }

    /// Stores a changed session and tells everyone concerned. `leavingViews` are other views that
    /// left their technician's queue with this change; they are dropped from the record.
    @discardableResult
    func commit(_ changed: SessionRecord, ownerTransition transition: Transition?, leavingViews: [String: SessionMachine] = [:],
                previousOwner: (id: String, machine: SessionMachine)? = nil) async throws -> SessionRecord {
        try await serialised(changed.id) {
            let change = SessionChange.committing(changed, before: live[changed.id], transition: transition,
                                                  leavingViews: leavingViews, previousOwner: previousOwner, at: environment.now())
            return try await run(change)
        }
    }

    /// Moves every session whose timer ran out (connecting timeout, five minutes offline …).
    public func runTimers() async {
        await collectRelayedActivity()
        await refreshStatuses()
        let now = environment.now()
        // Derived from the settings on each read: once per tick, not once per waiting session.
        let timers = self.timers
        // Ids first: changing `live` while iterating it would copy thousands of records.
        let due = live.values.filter { $0.machine.dueTimerEvent(at: now, timers: timers) != nil }.map(\.id)
        for id in due {
            do {
                // Another change may have come first: the timer is checked again in the session's turn.
                try await serialised(id) {
                    await collectRelayedActivity()
                    guard let current = live[id], let event = current.machine.dueTimerEvent(at: now, timers: timers) else { return }
                    try await apply(event, to: id)
                }
            } catch {
                logger.error("Timer event failed", metadata: ["session.id": "\(id)", "error": "\(error)"])
            }
        }
    }

    /// The remote desktops passing frames now, with the applet socket each may come from.
    func updateScreenRoutes() {
        var routes: [String: ScreenRelay.Route] = [:]
        for (id, state) in remotes where state.forwardsFrames {
            routes[id] = ScreenRelay.Route(technicianId: state.technicianId, controls: state.mode == .control)
        }
        screenRelay.setSessions(routes)
    }

    /// Input the relay passed on counts as activity: for the session's idle timer and the
    /// technician's presence. Collected before the timers look at either.
    func collectRelayedActivity() async {
        let (sessions, technicians) = screenRelay.takeActivity()
        for (id, at) in sessions where live[id] != nil { live[id]?.machine.recordActivity(at: at) }
        for (technicianId, at) in technicians { await updatePresence(of: technicianId) { $0.lastActivityAt = max($0.lastActivityAt, at) } }
    }

    /// Writes the session as it is and keeps memory's version in step with the store's: the next
    /// write names the version this one made, and a write from a stale copy is refused (`.conflict`).
    /// `viewsChanged` false when only its own row changed (not other technicians' views), which
    /// saves the database a transaction.
    @discardableResult
    func persist(_ record: SessionRecord, viewsChanged: Bool) async throws -> SessionRecord {
        var written = record
        written.version = try await store.updateSession(record, viewsChanged: viewsChanged)
        if live[record.id] != nil { live[record.id]?.version = written.version }
        return written
    }

    /// Runs `body` as the only change in progress on session `id`: every read-await-write of a
    /// session goes through here, so two requests on one session (a timer and End, two consoles,
    /// a customer's quit and a transfer) take turns instead of overwriting each other.
    func serialised<T>(_ id: String, _ body: () async throws -> T) async rethrows -> T {
        try await locks.withLock("session:\(id)", body)
    }

    // MARK: Telling consoles and applets

    /// The technicians who see this session in their queue: its owner, any other views, and
    /// everyone who sees it through a queue (a channel's, or a group's or channel's it is transferred to).
    func viewers(of record: SessionRecord, includingQueue: Bool = true) async -> [String] {
        let own = [record.technicianId].compactMap { $0 } + record.otherViews.keys.sorted()
        return includingQueue ? own + (await queueAudience(of: record)) : own
    }

    /// Sends each viewer the session as they see it.
    func publish(_ record: SessionRecord) async {
        if let owner = record.technicianId { await publish(record, as: record.machine, to: owner) }
        for (technicianId, view) in record.otherViews { await publish(record, as: view, to: technicianId) }
        guard let view = queueView(of: record) else { return }
        for technicianId in await queueAudience(of: record) { await publish(record, as: view, to: technicianId) }
    }

    func publish(_ record: SessionRecord, as view: SessionMachine, to technicianId: String) async {
        let message = WireCodec.encode(GatewayToConsole.session(await summary(of: record, view: view)))
        sockets.sendToConsoles(of: technicianId, message)
    }

    func publish(_ entry: LogEntry, to record: SessionRecord) async {
        let message = WireCodec.encode(GatewayToConsole.log(entry))
        for technicianId in await viewers(of: record) { sockets.sendToConsoles(of: technicianId, message) }
        publishToCollaborators(entry, sessionId: record.id)
    }

    func endApplet(of sessionId: String, reason: String) {
        guard let outlet = sockets.removeApplet(of: sessionId) else { return }
        outlet.send(WireCodec.encode(GatewayToApplet.ended(reason: reason)))
        outlet.close(reason: "session ended")
    }

    /// The session as one technician sees it: `view` is their state machine (the owner's by default).
    func summary(of record: SessionRecord, view: SessionMachine? = nil) async -> SessionSummary {
        let machine = view ?? record.machine
        let connecting = machine.state == .connecting
        var transfer: TransferSummary?
        if let pending = record.transfer {
            transfer = TransferSummary(
                fromTechnicianId: pending.fromTechnicianId, fromName: await technicianName(pending.fromTechnicianId),
                toTechnicianId: pending.to.technicianId, toName: await targetName(pending.to), toQueue: pending.to.queueKind,
                comment: pending.comment, at: pending.at)
        }
        var transferredBy: String?
        if let id = record.transferredBy { transferredBy = await technicianName(id) }
        var channelName = "Private"
        if record.channelId != nil { channelName = await channel(record.channelId)?.name ?? "Channel" }
        return SessionSummary(
            id: record.id, name: record.name, state: machine.state, method: record.method, channel: channelName,
            channelId: record.channelId, technicianId: record.technicianId, technicianName: await technicianName(record.technicianId),
            createdAt: record.machine.createdAt, stateSince: machine.stateEnteredAt,
            heldSince: machine.heldSince, pin: connecting ? record.pin : nil,
            link: connecting ? links[record.id] : nil, customer: record.customer,
            transfer: transfer, transferredBy: transferredBy, fields: record.fields, chatEnabled: !record.chatDisabled)
    }

    /// "" for nobody yet (a session waiting in a channel queue).
    nonisolated func technicianName(_ id: String?) async -> String {
        await names.name(of: id, .technician)
    }

    nonisolated func organisationName(_ id: String) async -> String {
        await names.name(of: id, .organisation)
    }

    public func beginStopping() { stoppingFlag.withLockedValue { $0 = true } }

    var stopping: Bool { stoppingFlag.withLockedValue { $0 } }

    /// Forget a technician's cached name after an edit.
    func technicianChanged(_ id: String) { names.forget(id, .technician) }
}
