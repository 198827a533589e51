import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore
import Logging
import NIOConcurrencyHelpers

/// The live sessions of this gateway and what they share. Each session is an actor of its own
/// (`LiveSession`: its record, remote desktop, recording and file, one change at a time); the hub
/// finds them (`SessionRegistry`) and holds the organisation's concerns in small lock-protected
/// types: sockets, names, queues, presence, limits, settings. Nothing here serialises one
/// session's work behind another's.
public final class SessionHub: Sendable {
    let store: any Store
    let environment: GatewayEnvironment
    let publicURL: String
    let logger: Logger
    /// A direct path for screens shared from browsers; nil: always through the gateway.
    let webRTC: WebRTCSetup?
    /// A TURN server whose credentials are made per session (`webRTCSetup(for:)`).
    let turn: TurnServerSecret?

    /// Each live session's actor and a copy of its record for lookups across sessions.
    let registry = SessionRegistry()
    /// Every open socket: consoles, applets, collaborators' consoles.
    let sockets = SocketDirectory()
    /// Agents of unattended computers that proved their key (F5).
    let onlineAgents = OnlineAgents()
    /// The lease tokens this gateway node writes its live sessions under (issue 20).
    let leases = LeaseBook()
    /// Live sessions other gateway nodes serve, for this node's consoles (issue 20).
    let remoteSessions = RemoteSessions()
    /// Changes this node tells the others about (issue 20); nothing is kept until a feed runs.
    let outbox = SignalOutbox()
    /// This gateway as a node of the cluster, set once when it is made.
    let clusterNode = NIOLockedValueBox<ClusterNode?>(nil)
    /// Connections to unattended computers waiting for their agent's answer.
    let pendingConnects = PendingAnswers<AgentToGateway.AgentConnectAnswer>()
    let pendingLanListings = PendingAnswers<AgentToGateway.LanMachines>()
    let pendingLanConnects = PendingAnswers<AgentToGateway.LanConnectAnswer>()
    let names: NameBook
    let queues: QueueDirectory
    let presenceBoard = PresenceBoard()
    /// External collaborators still invited or collaborating (I2).
    let collaborators = CollaboratorBook()
    /// Administrators watching technicians from this node (E1).
    let monitorings = MonitoringBoard()
    /// Wrong PINs and links, per address and gateway-wide.
    let guesses = GuessLimits()
    /// A customer's applet may send 20 chat lines in 10 seconds; it is hostile input until proven not.
    let customerChat = SharedLimiter(maximumEvents: 20, window: 10)
    /// Channel forms are public: ten requests per address in ten minutes.
    let channelRequests = SharedLimiter(maximumEvents: 10, window: 600)
    /// Set when the gateway begins to stop (`ShutdownNotice`): closing sockets then changes no session.
    private let stoppingFlag = NIOLockedValueBox(false)
    private let drainingFlag = NIOLockedValueBox(false)
    /// Screen frames' way around every actor (see `ScreenRelay`).
    let screenRelay: ScreenRelay
    /// What an administrator saved; nil: the environment's timers and status rules.
    let savedSettings = NIOLockedValueBox<OrganisationSettings?>(nil)
    /// The append-only, hash-chained audit log.
    let audit: AuditTrail
    /// One change at a time per session (see `LiveSession.serialised`).
    let locks = KeyedLocks()
    /// Who is behind each open console socket, kept current without a store read per message.
    let identities = ConsoleIdentities()
    /// The gateway's key agents pin (F5).
    let gatewayIdentity: GatewayIdentity

    init(store: any Store, environment: GatewayEnvironment, publicURL: String, logger: Logger,
         webRTC: WebRTCSetup? = WebRTCSetup(iceServers: []), turn: TurnServerSecret? = nil,
         gatewayIdentity: GatewayIdentity = GatewayIdentity(key: .init())) {
        self.gatewayIdentity = gatewayIdentity
        self.turn = turn
        audit = AuditTrail(store: store, environment: environment, logger: logger)
        self.webRTC = webRTC
        self.store = store
        self.environment = environment
        self.publicURL = publicURL
        self.logger = logger
        names = NameBook(store: store, logger: logger)
        queues = QueueDirectory(store: store, logger: logger)
        screenRelay = ScreenRelay(sockets: sockets)
    }

    /// Loads the live sessions this gateway serves after a start (all of them, or on a shared
    /// database the ones its node holds). Applets were connected to the previous process, so every
    /// session that expected one is now reconnecting; applets come back by themselves.
    func loadLiveSessions(_ stored: [SessionRecord]) async throws {
        let now = environment.now()
        for record in stored { await serve(record, since: now) }
        try await loadExternalCollaborators()
        logger.info("Loaded live sessions", metadata: ["sessions.count": "\(registry.count)", "collaborators.count": "\(collaborators.count)"])
    }

    /// Serves a stored session here: after a start, or taken over from a gateway node that died.
    func serve(_ record: SessionRecord, since now: Date) async {
        let session = LiveSession(record, hub: self)
        guard registry.add(session, record: record, link: nil) else {
            logger.error("A stored live session holds the number or PIN of another; it is not loaded", metadata: ["session.id": "\(record.id)"])
            return
        }
        guard record.machine.state.expectsCustomerConnection else { return }
        do {
            try await session.apply(.connectionLost(since: now))
        } catch {
            logger.error("Could not mark a session as reconnecting", metadata: ["session.id": "\(record.id)", "error": "\(error)"])
        }
    }

    /// Moves every session whose timer ran out (connecting timeout, five minutes offline …).
    public func runTimers() async {
        await collectRelayedActivity()
        await refreshStatuses()
        let now = environment.now()
        // Derived from the settings on each read: once per tick, not once per waiting session.
        let timers = self.timers
        for record in registry.records where record.machine.dueTimerEvent(at: now, timers: timers) != nil {
            guard let session = registry.session(record.id) else { continue }
            do {
                try await session.runDueTimer(at: now, timers: timers)
            } catch {
                logger.error("Timer event failed", metadata: ["session.id": "\(record.id)", "error": "\(error)"])
            }
        }
        await endIdleCollaborations(at: now, idle: timers.idle)
    }

    /// Colleagues whose console went unused longer than the administrator's idle timeout leave the
    /// collaboration (the appendix's Collaboration → Closed); the session goes on.
    private func endIdleCollaborations(at now: Date, idle: TimeInterval?) async {
        guard idle != nil else { return }
        for record in registry.records {
            for (technicianId, view) in record.otherViews where record.collaborations[technicianId] != nil
                && InternalCollaboration.idledOut(view, lastConsoleActivity: presence(of: technicianId).lastActivityAt, now: now, idle: idle) {
                do {
                    try await registry.session(record.id)?.endIdleCollaboration(of: technicianId, at: now, idle: idle)
                } catch {
                    logger.error("Could not end an idle collaboration", metadata: ["session.id": "\(record.id)", "error": "\(error)"])
                }
            }
        }
    }

    /// Input the relay passed on counts as activity: for the session's idle timer and the
    /// technician's presence. Collected before the timers look at either.
    func collectRelayedActivity() async {
        let (sessions, technicians) = screenRelay.takeActivity()
        for (id, at) in sessions { await registry.session(id)?.recordActivity(at: at) }
        for (technicianId, at) in technicians { await updatePresence(of: technicianId) { $0.lastActivityAt = max($0.lastActivityAt, at) } }
    }

    func move(_ machine: inout SessionMachine, by event: SessionEvent, at now: Date) throws -> Transition {
        do {
            return try machine.handle(event, at: now, timers: timers)
        } catch {
            throw GatewayError.refused(error)
        }
    }

    /// Runs `body` as the only change in progress on session `id` (see `LiveSession.serialised`):
    /// for the work on a session that is not its actor's (its collaborators).
    func serialised<T>(_ id: String, isolation: isolated (any _Concurrency.Actor)? = #isolation,
                       _ body: () async throws -> T) async rethrows -> T {
        try await locks.withLock("session:\(id)", isolation: isolation, body)
    }

    // MARK: Telling consoles and applets

    /// The technicians who see this session in their queue: its owner, any other views, and
    /// everyone who sees it through a queue (a channel's, or a group's or channel's it is transferred to).
    func viewers(of record: SessionRecord, includingQueue: Bool = true) async -> [String] {
        let own = [record.technicianId].compactMap { $0 } + record.otherViews.keys.sorted()
        return includingQueue ? own + (await queueAudience(of: record)) : own
    }

    /// Sends each viewer the session as they see it, on every gateway node.
    func publish(_ record: SessionRecord) async {
        await publishHere(record)
        outbox.announce(.session(record.id))
    }

    /// Sends each viewer whose console is on this node the session as they see it.
    func publishHere(_ record: SessionRecord) async {
        if let owner = record.technicianId { await publish(record, as: record.machine, to: owner) }
        for (technicianId, view) in record.otherViews { await publish(record, as: view, to: technicianId) }
        guard let view = queueView(of: record) else { return }
        for technicianId in await queueAudience(of: record) { await publish(record, as: view, to: technicianId) }
    }

    func publish(_ record: SessionRecord, as view: SessionMachine, to technicianId: String) async {
        let summary = await summary(of: record, view: view)
        sockets.sendToLocalConsoles(of: technicianId, WireCodec.encode(GatewayToConsole.session(summary)))
        mirror({ MonitoredUpdate(monitoringId: $0, session: summary) }, of: technicianId)
    }

    func publish(_ entry: LogEntry, to record: SessionRecord) async {
        await publishHere(entry, to: record)
        outbox.announce(log: entry)
    }

    func publishHere(_ entry: LogEntry, to record: SessionRecord) async {
        let message = WireCodec.encode(GatewayToConsole.log(entry))
        for technicianId in await viewers(of: record) {
            sockets.sendToLocalConsoles(of: technicianId, message)
            mirror({ MonitoredUpdate(monitoringId: $0, entry: entry) }, of: technicianId)
        }
        publishToCollaborators(entry, sessionId: record.id)
    }

    func endApplet(of sessionId: String, reason: String) {
        guard let outlet = sockets.removeApplet(of: sessionId) else { return }
        outlet.send(WireCodec.encode(GatewayToApplet.ended(.init(reason: reason))))
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
        var summary = SessionSummary(
            id: record.id, name: record.name, state: machine.state, method: record.method, channel: channelName,
            channelId: record.channelId, technicianId: record.technicianId, technicianName: await technicianName(record.technicianId),
            createdAt: record.machine.createdAt, stateSince: machine.stateEnteredAt,
            heldSince: machine.heldSince, pin: connecting ? record.pin : nil,
            link: connecting ? registry.link(of: record.id) : nil, customer: record.customer,
            transfer: transfer, transferredBy: transferredBy, fields: record.fields, chatEnabled: !record.chatDisabled,
            endReason: record.endReason, closedAt: record.closedAt, colleagues: await colleagues(of: record))
        summary.type = record.sessionType
        summary.platform = record.platform
        return summary
    }

    /// "" for nobody yet (a session waiting in a channel queue).
    func technicianName(_ id: String?) async -> String {
        await names.name(of: id, .technician)
    }

    func organisationName(_ id: String) async -> String {
        await names.name(of: id, .organisation)
    }

    public func beginStopping() { stoppingFlag.withLockedValue { $0 = true } }

    /// Stopping soon (SIGTERM): not ready for the load balancer, and no new session starts here —
    /// the ones here go on until the gateway stops, and their applets then reconnect elsewhere.
    public func beginDraining() { drainingFlag.withLockedValue { $0 = true } }

    var draining: Bool { drainingFlag.withLockedValue { $0 } }

    static let drainingRefusal = GatewayError(.draining, "This gateway is stopping. Try again in a moment: you will reach another one.")

    func refuseWhileDraining() throws {
        if draining { throw Self.drainingRefusal }
    }

    var stopping: Bool { stoppingFlag.withLockedValue { $0 } }

    /// Forget a technician's cached name after an edit.
    func technicianChanged(_ id: String) { names.forget(id, .technician) }
}
