import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Administrators watching technicians (E1, E2): started from *Monitor technician*, Waiting until
/// the technician's console is reached, then Active — the administrator's consoles get a live,
/// read-only mirror of the technician's (their queue, each session and log line as it comes);
/// Closed by customer when the technician closes their console; Closed when the administrator
/// ends it. The technician is told when the organisation's setting says so. From the mirror the
/// administrator joins one of the technician's sessions as a colleague.
extension SessionHub {
    func startMonitoring(_ technicianId: String, by actor: Actor) async throws -> MonitoringSummary {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        guard let technician = try await store.technician(id: technicianId), technician.organisationId == actor.technician.organisationId,
              technician.deletedAt == nil
        else { throw AdminScope.technicianNotFound }
        let managed = try await AdminScope(store: store).managedGroupIds(of: actor)
        let entry: MonitoringBoard.Entry
        do throws(TechnicianMonitoring.Refusal) {
            try TechnicianMonitoring.check(isAdministrator: true, permissions: actor.permissions, administratorId: actor.id,
                                           technicianId: technicianId, sameOrganisation: true, technicianGroup: technician.groupId,
                                           managedGroups: managed, alreadyWatching: false)
            entry = try monitorings.start(.init(
                monitoring: TechnicianMonitoring(id: newMonitoringId(), administratorId: actor.id, technicianId: technicianId),
                technicianName: technician.name, administratorName: actor.technician.name, startedAt: environment.now()))
        } catch {
            throw GatewayError.monitoring(error)
        }
        try await audit.record(.monitoringStarted, by: actor, objectType: "technician", objectId: technicianId,
                               after: AuditTrail.json(["technician": technician.name]))
        tellAdministrator(entry)
        // Their console here, or on another gateway node (the nodes share presence).
        if sockets.hasConsole(technicianId) || status(of: technicianId) != .offline { await monitoredTechnicianReached(technicianId) }
        return monitorings.entry(entry.monitoring.id, of: actor.id)?.summary ?? entry.summary
    }

    func endMonitoring(_ id: String, by actor: Actor) async throws -> MonitoringSummary {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        let ended: MonitoringBoard.Entry?
        do throws(TechnicianMonitoring.Refusal) {
            ended = try monitorings.change(id, of: actor.id) { monitoring throws(TechnicianMonitoring.Refusal) in try monitoring.apply(.ended) }
        } catch {
            throw GatewayError.monitoring(error)
        }
        guard let ended else { throw Self.monitoringNotFound }
        tellAdministrator(ended)
        tellTechnician(ended, watching: false)
        tellTechnicianAboutScreen(ended, watching: false)
        try await audit.record(.monitoringEnded, by: actor, objectType: "technician", objectId: ended.monitoring.technicianId,
                               after: AuditTrail.json(["technician": ended.technicianName]))
        return ended.summary
    }

    func monitorings(of actor: Actor) throws -> [MonitoringSummary] {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        return monitorings.monitorings(of: actor.id).map(\.summary)
    }

    /// The technicians the administrator may watch, with their status (the dialog's list).
    func monitorableTechnicians(by actor: Actor) async throws -> [TechnicianStatusView] {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        try actor.require(.monitorTechnicians)
        let managed = try await AdminScope(store: store).managedGroupIds(of: actor)
        return try await store.technicians(organisationId: actor.technician.organisationId)
            .filter { technician in
                technician.id != actor.id && technician.deletedAt == nil && !technician.disabled
                    && (managed.map { groups in technician.groupId.map(groups.contains) ?? false } ?? true)
            }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
            .map { TechnicianStatusView(id: $0.id, name: $0.name, status: status(of: $0.id)) }
    }

    /// E2: the administrator joins one of the watched technician's sessions as a colleague, with
    /// all their group's permissions, straight into Collaboration.
    func joinMonitoredSession(_ sessionId: String, monitoring id: String, by actor: Actor) async throws -> SessionSummary {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        guard let entry = monitorings.entry(id, of: actor.id) else { throw Self.monitoringNotFound }
        guard entry.monitoring.mirrors else { throw GatewayError.monitoring(.notActive(entry.monitoring.state)) }
        if registry.session(sessionId) != nil {
            return try await joinAsMonitorHere(sessionId, watching: entry.monitoring.technicianId, by: actor)
        }
        // Served by another gateway node: it is asked, the watched technician named.
        guard remoteSessions.record(sessionId)?.technicianId == entry.monitoring.technicianId, let node = sharedNode,
              let address = await node.address(servingSession: sessionId) else {
            throw GatewayError.sessionNotFound
        }
        do {
            return try await node.forwarding.joinAsMonitor(sessionId, administrator: actor, watching: entry.monitoring.technicianId,
                                                          from: node.id, at: address)
        } catch let refusal as GatewayError {
            throw refusal
        } catch {
            logger.error("The node serving a monitored session did not answer a join", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
            throw GatewayError(.internalError, "The gateway serving this session did not answer; try again in a few seconds.")
        }
    }

    /// The administrator joins a session served here whose lead is the technician they watch.
    func joinAsMonitorHere(_ sessionId: String, watching technicianId: String, by actor: Actor) async throws -> SessionSummary {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        guard let session = registry.session(sessionId), registry.record(sessionId)?.technicianId == technicianId else {
            throw GatewayError.sessionNotFound
        }
        return try await session.joinAsMonitor(by: actor)
    }

    /// The log so far of a session in the watched technician's queue (the mirror brings what follows).
    func monitoredLog(_ sessionId: String, monitoring id: String, by actor: Actor) async throws -> [LogEntry] {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        guard let entry = monitorings.entry(id, of: actor.id) else { throw Self.monitoringNotFound }
        guard entry.monitoring.mirrors else { throw GatewayError.monitoring(.notActive(entry.monitoring.state)) }
        // Served here or by another gateway node (this node's copy); the log is in the shared store.
        guard let record = registry.record(sessionId) ?? remoteSessions.record(sessionId),
              await view(of: record, for: entry.monitoring.technicianId) != nil else {
            throw GatewayError.sessionNotFound
        }
        return try await store.log(sessionId: sessionId)
    }

    // MARK: The technician's console

    /// The technician opened a console (here or on another node): Waiting monitorings become
    /// Active and get their queue.
    func monitoredTechnicianReached(_ technicianId: String) async {
        let reached = monitorings.apply(.reached, toMonitoringsOf: technicianId)
        guard !reached.isEmpty else { return }
        let now = environment.now()
        let technician = sockets.consoles(of: technicianId).lazy.compactMap { self.identities.actor(of: $0.id, at: now) }.first
        let queue: [SessionSummary]
        if let technician {
            queue = await sessions(of: technician, tab: .all)
        } else {
            // Their consoles are on other nodes: the sessions they own or have a view of, from this node's copies.
            var own: [SessionSummary] = []
            for record in queueRecords {
                if let view = ownView(of: record, for: technicianId) { own.append(await summary(of: record, view: view)) }
            }
            queue = own
        }
        for entry in reached {
            tellAdministrator(entry)
            let snapshot = WireCodec.encode(GatewayToConsole.monitored(.init(monitoringId: entry.monitoring.id, sessions: queue)))
            sockets.sendToConsoles(of: entry.monitoring.administratorId, snapshot)
            tellTechnician(entry, watching: true)
        }
    }

    /// The technician's status changed on any node: Offline everywhere closes their monitorings,
    /// a console anywhere reaches them (E1 across gateway nodes).
    func monitoringsFollow(_ technicianId: String, status: TechnicianStatus) async {
        if status == .offline {
            monitoredTechnicianLeft(technicianId)
            // An administrator with no console on any node watches nothing any more.
            monitoringAdministratorLeft(technicianId)
        } else {
            await monitoredTechnicianReached(technicianId)
        }
    }

    /// A monitoring's id names the gateway node it lives on, where its technician's answers and
    /// screen go from any node (`homeNode(ofMonitoring:)`); a lone gateway's is a plain UUID.
    private func newMonitoringId() -> String {
        let id = UUID().uuidString.lowercased()
        guard let node = clusterNode.withLockedValue({ $0 }), node.isShared else { return id }
        return node.id + "." + id
    }

    /// The node a monitoring lives on, from its id; nil for a lone gateway's.
    static func homeNode(ofMonitoring id: String) -> String? {
        guard let dot = id.firstIndex(of: "."), dot > id.startIndex else { return nil }
        return String(id[..<dot])
    }

    /// The technician closed their last console: their monitorings are Closed by customer.
    func monitoredTechnicianLeft(_ technicianId: String) {
        for entry in monitorings.apply(.technicianLeft, toMonitoringsOf: technicianId) { tellAdministrator(entry) }
    }

    /// The administrator's last console closed: what they watched ends.
    func monitoringAdministratorLeft(_ administratorId: String) {
        for entry in monitorings.monitorings(of: administratorId) {
            do throws(TechnicianMonitoring.Refusal) {
                if let ended = try monitorings.change(entry.monitoring.id, of: administratorId, { monitoring throws(TechnicianMonitoring.Refusal) in
                    try monitoring.apply(.ended)
                }) {
                    tellTechnician(ended, watching: false)
                    tellTechnicianAboutScreen(ended, watching: false)
                }
            } catch {
                logger.error("A monitoring could not end with its administrator's console", metadata: ["monitoring.id": "\(entry.monitoring.id)"])
            }
        }
    }

    /// The mirror: what the technician's console gets of their queue goes to whoever watches them.
    /// Only the monitoring's node has it, and it builds the mirror from its own copies of every
    /// session: it reaches the administrator's consoles on every node, once.
    func mirror(_ update: (String) -> MonitoredUpdate, of technicianId: String) {
        for entry in monitorings.watching(technicianId) {
            sockets.sendToConsoles(of: entry.monitoring.administratorId,
                                   WireCodec.encode(GatewayToConsole.monitored(update(entry.monitoring.id))))
        }
    }

    func tellAdministrator(_ entry: MonitoringBoard.Entry) {
        sockets.sendToConsoles(of: entry.monitoring.administratorId, WireCodec.encode(GatewayToConsole.monitoring(entry.summary)))
    }

    /// The technician is told only when the organisation says so (the manual's global setting).
    private func tellTechnician(_ entry: MonitoringBoard.Entry, watching: Bool) {
        guard settings.notifyWhenMonitored else { return }
        sockets.sendToConsoles(of: entry.monitoring.technicianId,
                               WireCodec.encode(GatewayToConsole.monitorNotice(.init(administratorName: entry.administratorName, watching: watching))))
    }

    static let monitoringNotFound = GatewayError(.monitoringNotFound, "You are not monitoring this technician (or the monitoring ended).")
}

extension GatewayError {
    static func monitoring(_ refusal: TechnicianMonitoring.Refusal) -> GatewayError {
        switch refusal {
        case .administratorsOnly: .administratorsOnly
        case .notPermitted(let permission): .forbidden(permission)
        case .outsideScope: AdminScope.outsideScope
        case .yourself: .badRequest("You cannot monitor yourself.")
        case .alreadyMonitoring: GatewayError(.alreadyMonitoring, "You are already monitoring this technician.")
        case .notActive(let state):
            GatewayError(.invalidState, "The monitoring is \(state.rawValue): the technician's console is not reached.")
        case .invalidTransition(let from, _): GatewayError(.invalidState, "The monitoring is \(from.rawValue).")
        }
    }
}
