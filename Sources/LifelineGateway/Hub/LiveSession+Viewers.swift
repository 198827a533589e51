import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The customer's screen seen by the lead and the colleagues (issue 21): who sees it follows the
/// record (a colleague joining, holding, leaving, their permissions), whose input passes follows
/// the lead's choice (`SharedScreen`); the relay, the consoles and the customer are told at once.
extension LiveSession {
    /// The colleagues who see the screen now, with what they are granted in this session. A
    /// colleague with no console open here sees nothing (there is nowhere to send it).
    func screenViewers() -> [String: Set<Permission>] {
        guard let remote else { return [:] }
        var viewers: [String: Set<Permission>] = [:]
        for (technicianId, terms) in record.collaborations where technicianId != remote.technicianId {
            guard let view = record.otherViews[technicianId], let group = hub.onlineActor(technicianId)?.permissions.granted else { continue }
            let granted = InternalCollaboration.granted(chosen: terms.permissions.map(Set.init), byGroup: group)
            if SharedScreen.sees(viewState: view.state, granted: granted) { viewers[technicianId] = granted }
        }
        return viewers
    }

    /// The external collaborators who watch the screen now (I2, the full console).
    func externalViewers() -> [ExternalCollaborator] {
        hub.collaborators.all(in: id).filter { ExternalCollaboration.seesScreen(approved: $0.approved, viewState: $0.view.state) }
    }

    /// An external collaborator's console opened: if they watch, they hear it and get the whole screen.
    func externalConsoleOpened(_ collaboratorId: String) {
        guard let route = screenRoute, route.externals.contains(collaboratorId), let running = remote else { return }
        sockets.collaborator(collaboratorId)?.send(WireCodec.encode(GatewayToCollaborator.remote(
            RemoteStatus(sessionId: id, mode: running.mode, phase: .active))))
        hub.screenRelay.consoleOpened(in: id)
    }

    /// Keeps the relay's route current, and tells whoever it concerns: called whenever the remote
    /// desktop or the record changes. Synchronous, so no other turn runs between the change and it.
    func screenRouteChanged() {
        let viewers = screenViewers()
        let route = remote.flatMap { running in
            running.forwardsFrames
                ? ScreenRelay.Route(technicianId: running.technicianId, colleagues: Set(viewers.keys),
                                    externals: Set(externalViewers().map(\.id)),
                                    controller: SharedScreen.controller(of: running, viewers: viewers),
                                    customerIsApplet: running.source == .applet)
                : nil
        }
        guard route != screenRoute else { return }
        let before = screenRoute
        screenRoute = route
        hub.screenRelay.setRoute(route, for: id)
        tellViewers(before: before, after: route)
    }

    /// The lead gives the mouse and keyboard to a colleague who sees the screen, or takes them
    /// back (`technicianId` the lead's own). Logged and audited.
    func giveControl(to technicianId: String, by actor: Actor) async throws {
        let record = try await leadsNow(actor)
        let holder = remote.flatMap { SharedScreen.controller(of: $0, viewers: screenViewers()) }
        var changed = remote
        do throws(SharedScreen.Refusal) {
            try SharedScreen.giveControl(to: technicianId, remote: &changed, viewers: screenViewers())
        } catch {
            throw GatewayError.sharedScreen(error)
        }
        remote = changed
        guard let holder, holder != technicianId else { return }
        let event: SessionLogEvent = technicianId == actor.id
            ? .controlTakenBack(technician: actor.technician.name, colleague: await hub.technicianName(holder))
            : .controlGiven(technician: actor.technician.name, colleague: await hub.technicianName(technicianId))
        try await hub.logEvent(event, in: record)
        try await hub.audit.record(.remoteControlGiven, by: actor, objectType: "session", objectId: id,
                                   after: AuditTrail.json(["technician": technicianId]))
    }

    /// The status the lead's consoles get: who sees the screen and whose input passes.
    func leadStatus(_ status: RemoteStatus) -> RemoteStatus {
        guard status.phase == .active, let route = screenRoute else { return status }
        return RemoteStatus(sessionId: status.sessionId, mode: status.mode, phase: status.phase, reason: status.reason,
                            sessionState: status.sessionState, webrtc: status.webrtc, controller: route.controller,
                            viewers: viewerList(route))
    }

    /// Everyone who sees the screen, the lead first, external collaborators last (never in control).
    private func viewerList(_ route: ScreenRelay.Route) -> [RemoteViewer] {
        let granted = screenViewers()
        let technicians = ([route.technicianId] + route.colleagues.sorted()).map {
            RemoteViewer(technicianId: $0, name: hub.onlineActor($0)?.technician.name ?? "",
                         mayControl: $0 == route.technicianId || granted[$0]?.contains(.remoteControl) == true)
        }
        let externals = route.externals.compactMap { hub.collaborators[$0] }.sorted { $0.createdAt < $1.createdAt }
            .map { RemoteViewer(technicianId: ScreenRelay.external($0.id), name: $0.name, mayControl: false) }
        return technicians + externals
    }

    /// Colleagues who stopped seeing the screen are told it ended for them; everyone who sees it
    /// gets who else does and whose input passes; the customer is told whenever that changes.
    private func tellViewers(before: ScreenRelay.Route?, after: ScreenRelay.Route?) {
        let ended = RemoteStatus(sessionId: id, mode: remote?.mode ?? .view, phase: .ended,
                                 reason: after == nil ? "The remote desktop ended." : "You no longer see this screen.")
        for technicianId in (before?.colleagues ?? []).subtracting(after?.colleagues ?? []) {
            sockets.sendToConsoles(of: technicianId, WireCodec.encode(GatewayToConsole.remote(ended)))
        }
        for collaboratorId in (before?.externals ?? []).subtracting(after?.externals ?? []) {
            sockets.collaborator(collaboratorId)?.send(WireCodec.encode(GatewayToCollaborator.remote(ended)))
        }
        guard let after, let running = remote else { return }
        let viewers = viewerList(after)
        let status = RemoteStatus(sessionId: id, mode: running.mode, phase: .active, controller: after.controller, viewers: viewers)
        let message = WireCodec.encode(GatewayToConsole.remote(status))
        for technicianId in after.colleagues { sockets.sendToConsoles(of: technicianId, message) }
        // Someone from outside learns that it runs, not the organisation's ids.
        let toExternals = WireCodec.encode(GatewayToCollaborator.remote(RemoteStatus(sessionId: id, mode: running.mode, phase: .active)))
        for collaboratorId in after.externals { sockets.collaborator(collaboratorId)?.send(toExternals) }
        // Just started: the lead hears it with the customer's yes (`appletAnsweredRemote`).
        guard before != nil || !after.colleagues.isEmpty || !after.externals.isEmpty else { return }
        if before != nil {
            sockets.sendToConsoles(of: after.technicianId, WireCodec.encode(GatewayToConsole.remote(leadStatus(RemoteStatus(
                sessionId: id, mode: running.mode, phase: .active, webrtc: running.source == .browser ? hub.webRTCSetup(for: id) : nil)))))
        }
        let inControl = after.controller.flatMap { controller in viewers.first { $0.technicianId == controller }?.name }
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.remoteViewers(.init(names: viewers.map(\.name), inControl: inControl))))
    }
}

extension SessionHub {
    /// A technician with a console open on this node, as their console knows them (permissions kept current).
    func onlineActor(_ technicianId: String) -> Actor? {
        let now = environment.now()
        return sockets.consoles(of: technicianId).lazy.compactMap { self.identities.actor(of: $0.id, at: now) }.first
    }

    func giveControl(to technicianId: String, in id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).giveControl(to: technicianId, by: actor)
    }
}

extension GatewayError {
    static func sharedScreen(_ refusal: SharedScreen.Refusal) -> GatewayError {
        switch refusal {
        case .notRunning: SessionHub.gatewayError(RemoteDesktopState.Refusal.notRunning)
        case .viewOnly: SessionHub.gatewayError(RemoteDesktopState.Refusal.viewOnly)
        case .notViewing:
            GatewayError(.notViewing, "That technician does not see this screen: they must collaborate in the session with desktop view or remote control granted.")
        case .notPermitted(let permission):
            GatewayError(.permissionDenied, "That technician may not use remote control in this session (\(permission.rawValue)).")
        }
    }
}
