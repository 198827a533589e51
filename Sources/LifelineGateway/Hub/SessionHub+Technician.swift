import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// What a technician does to sessions, each action checked against their group and ownership.
extension SessionHub {
    struct CreatedSession: Sendable {
        let summary: SessionSummary
        let pin: String?
        let link: String?
    }

    func createSession(by actor: Actor, name: String?, method: ConnectionMethod, type: SessionType = .standard,
                       platform: CustomerPlatform? = nil) async throws -> CreatedSession {
        try refuseWhileDraining()
        try actor.require(.startPrivateSessions)
        try actor.require(method.requiredPermission)
        if let permission = type.requiredPermission { try actor.require(permission) }
        let now = environment.now()
        var pin: String?
        var linkToken: String?
        switch method {
        case .pin:
            pin = freshPin()
        case .link:
            linkToken = Secrets.token()
        }
        let link = linkToken.map { "\(publicURL)/c/\($0)" }
        var new = SessionRecord(
            id: Secrets.sessionNumber(), organisationId: actor.technician.organisationId, technicianId: actor.id,
            name: SessionName.normalised(name), method: method, pin: pin, linkTokenHash: linkToken.map(Secrets.hash),
            appletTokenHash: nil, machine: SessionMachine(createdAt: now), customer: nil, closedAt: nil)
        new.sessionType = type
        // A Lens session is always a phone's browser.
        new.platform = type == .lens ? .mobile : platform
        let record = try await openSession(new, link: link)
        await recordTechnicianActivity(actor.id)
        do {
            try await audit.record(pin != nil ? .pinCreated : .linkCreated, by: actor, objectType: "session", objectId: record.id)
        } catch {
            // A PIN or link the audit log cannot account for must not work: the session ends at once.
            do { _ = try await perform(.end, on: record.id, by: actor) } catch let endError {
                logger.error("Could not end a session whose creation was not audited",
                             metadata: ["session.id": "\(record.id)", "error": "\(endError)"])
            }
            throw error
        }
        logger.info("Session created", metadata: ["session.id": "\(record.id)", "technician.id": "\(actor.id)", "session.method": "\(method.rawValue)",
                                               "session.type": "\(type.rawValue)"])
        return CreatedSession(summary: await summary(of: record), pin: record.pin, link: link)
    }

    /// A PIN no live session or external invitation holds now.
    func freshPin() -> String {
        var generator = SystemRandomNumberGenerator()
        let invited = collaborators.pins
        return PinCode.generate(avoiding: { registry.isPinTaken($0.digits) || invited.contains($0.digits) }, using: &generator).digits
    }

    /// Stores a new session, puts it in the queue, logs Connecting and tells its viewers.
    func openSession(_ new: SessionRecord, link: String?) async throws -> SessionRecord {
        var record = new
        // A 9-digit number can collide with an old session (or a PIN with one made elsewhere):
        // draw again rather than fail.
        var attempts = 0
        while true {
            // In the registry before the store's await: a creation running meanwhile draws another
            // PIN, and a number a live session holds is drawn again (its session stays as it was).
            let session = LiveSession(record, hub: self)
            guard registry.add(session, record: record, link: link) else {
                record.id = Secrets.sessionNumber()
                if record.pin != nil { record.pin = freshPin() }
                continue
            }
            do {
                try await store.insertSession(record)
                break
            } catch {
                registry.remove(record.id)
                guard error.isConstraintViolation && attempts < 5 else { throw error }
                attempts += 1
                record.id = Secrets.sessionNumber()
                if record.pin != nil { record.pin = freshPin() }
            }
        }
        await clusterNode.withLockedValue({ $0 })?.leaseNewSession(record.id)
        let entry = try await store.appendLog(sessionId: record.id, at: record.machine.createdAt, kind: .status, authorRole: .system,
                                              author: "Lifeline", text: StatusText.entering(.connecting), state: .connecting)
        await publish(record)
        await publish(entry, to: record)
        return record
    }

    /// The technician's queue on one tab, oldest first: their own sessions and the ones they have
    /// another view of (a transfer waiting for them).
    /// Every live session, this node's and (in a cluster) the other nodes', oldest first.
    var queueRecords: [SessionRecord] {
        let remote = remoteSessions.records
        guard !remote.isEmpty else { return registry.records }
        return (registry.records + remote.filter { registry.record($0.id) == nil }).sorted { $0.machine.createdAt < $1.machine.createdAt }
    }

    func sessions(of actor: Actor, tab: QueueTab) async -> [SessionSummary] {
        var result: [SessionSummary] = []
        remember(actor)
        for record in queueRecords {
            guard let view = await view(of: record, for: actor.id),
                  tab.contains(view.state, fromChannel: record.channelId != nil) else { continue }
            result.append(await summary(of: record, view: view))
        }
        return result
    }

    /// The Monitored tab (C2): an administrator sees the live sessions of the organisation's other
    /// technicians, as their owners see them. Read only: acting on them is still refused.
    /// An administrator of some groups (R1) watches only their technicians' sessions.
    func monitoredSessions(by actor: Actor) async throws -> [SessionSummary] {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        let organisationId = actor.technician.organisationId
        var watched: Set<String>?
        if let groups = try await AdminScope(store: store).managedGroupIds(of: actor) {
            let technicians = try await store.technicians(organisationId: organisationId)
            watched = Set(technicians.filter { $0.groupId.map(groups.contains) ?? false }.map(\.id))
        }
        var result: [SessionSummary] = []
        for record in queueRecords
        where record.organisationId == organisationId && record.technicianId != actor.id && record.otherViews[actor.id] == nil {
            guard let owner = record.technicianId, watched?.contains(owner) ?? true else { continue }
            result.append(await summary(of: record))
        }
        return result
    }

    /// How `technicianId` sees the session, or nil when it is not in their queue.
    func view(of record: SessionRecord, for technicianId: String) async -> SessionMachine? {
        if let own = ownView(of: record, for: technicianId) { return own }
        return await queueAudience(of: record).contains(technicianId) ? queueView(of: record) : nil
    }

    /// The technician's own view: as owner, or another view (a transfer's recipient).
    func ownView(of record: SessionRecord, for technicianId: String) -> SessionMachine? {
        record.technicianId == technicianId ? record.machine : record.otherViews[technicianId]
    }

    /// The ten-active and one-Lens limits (a first check; the change that starts a session claims its slot).
    func activeLimitAllows(_ technicianId: String, excluding id: String) throws {
        if let refusal = registry.activeLimitRefusal(technicianId, activating: id, elsewhere: remoteSessions.activeTypes(of: technicianId, excluding: id)) {
            throw GatewayError.refusing(refusal)
        }
    }

    /// Sessions that left the queue: the technician's history, newest first.
    func history(of actor: Actor, limit: Int) async throws -> [SessionSummary] {
        var result: [SessionSummary] = []
        for record in try await store.closedSessions(technicianId: actor.id, limit: limit) {
            result.append(await summary(of: record))
        }
        return result
    }

    /// A session the actor may see: in their queue, or their own in history. Any other session
    /// is "not found", so its existence is not revealed.
    func visibleSession(_ id: String, by actor: Actor) async throws -> SessionRecord {
        if let record = registry.record(id) {
            guard await view(of: record, for: actor.id) != nil else {
                if await alreadyTaken(record, by: actor.id) {
                    throw GatewayError(.alreadyTaken, "Another technician has already taken this session.")
                }
                throw GatewayError.sessionNotFound
            }
            return record
        }
        guard let record = try await store.session(id: id), record.technicianId == actor.id else {
            throw GatewayError.sessionNotFound
        }
        return record
    }

    func summary(of id: String, for actor: Actor) async throws -> SessionSummary {
        let record = try await visibleSession(id, by: actor)
        return await summary(of: record, view: await view(of: record, for: actor.id))
    }

    func perform(_ command: SessionCommand, on id: String, by actor: Actor) async throws -> SessionSummary {
        guard let session = registry.session(id) else {
            let record = try await visibleSession(id, by: actor)
            throw GatewayError.refused(TransitionRefused(state: record.machine.state, event: .end))
        }
        return try await session.perform(command, by: actor)
    }

    func sendChat(_ text: String, to id: String, by actor: Actor) async throws -> LogEntry {
        try actor.require(.chat)
        guard let session = registry.session(id) else {
            _ = try await visibleSession(id, by: actor)
            throw Self.chatUnavailable
        }
        return try await session.sendChat(text, by: actor)
    }

    static let chatUnavailable = GatewayError(.chatUnavailable, "Chat is possible only in an active session. Start the session first.")

    func log(of id: String, for actor: Actor) async throws -> [LogEntry] {
        _ = try await visibleSession(id, by: actor)
        return try await store.log(sessionId: id)
    }

    /// The link of the actor's own session that still waits for its customer, to send it on.
    func pendingLink(of id: String, by actor: Actor) async throws -> (SessionRecord, String) {
        let record = try await visibleSession(id, by: actor)
        guard registry.record(id) != nil, record.technicianId == actor.id, record.machine.state == .connecting else {
            throw GatewayError(.invitationUnavailable, "Only a session still waiting for its customer can be sent.")
        }
        guard let link = registry.link(of: id) else {
            throw GatewayError(.invitationUnavailable,
                               "This session has no link to send (PIN sessions, or a link created before the gateway restarted). Create a link session.")
        }
        return (record, link)
    }

    /// Notes in the session's log what happened (an invitation sent, a file offered …), in English
    /// and as an event each console words in its technician's language.
    func logEvent(_ event: SessionLogEvent, in record: SessionRecord) async throws {
        let entry = try await store.appendLog(sessionId: record.id, at: environment.now(), kind: .status,
                                              authorRole: .system, author: "Lifeline", text: event.englishText, state: nil, event: event)
        await publish(entry, to: record)
    }

    /// A log line about something already done (a file arrived, a remote desktop ended): the thing
    /// stays done; a store failure is logged with the session rather than dropped.
    func note(_ event: SessionLogEvent, in record: SessionRecord) async {
        do { try await logEvent(event, in: record) } catch {
            logger.error("Could not write a session log line", metadata: ["session.id": "\(record.id)", "log.event": "\(event.code)", "error": "\(error)"])
        }
    }

    static func describe(_ problem: ChatText.Problem) -> String {
        switch problem {
        case .empty: "The message is empty."
        case .tooLong(let limit): "The message is longer than \(limit) characters."
        }
    }
}

extension SessionHub {
    /// Sessions still open in a technician's queue (not closed), for refusing to delete the account.
    func liveSessionCount(of technicianId: String) -> Int {
        registry.involving(technicianId).filter { $0.technicianId == technicianId }.count
    }
}
