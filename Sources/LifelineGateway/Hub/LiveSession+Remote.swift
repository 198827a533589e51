import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The remote desktop (J1, J2) of one session: the owner asks, the applet answers, screen
/// frames flow from the applet to the owner's consoles and input the other way, each message
/// checked against the session, the mode and the technician's permissions. The customer's
/// consent itself is enforced by the applet.
extension LiveSession {

    func requestRemote(_ mode: RemoteMode, by actor: Actor) async throws {
        let record = try await hub.ownedLiveSession(id, by: actor)
        try actor.require(RemoteDesktopState.permission(for: mode, in: record.sessionType))
        if let current = remote, RemoteDesktopState.isSwitch(to: mode, by: actor.id, from: current) {
            // View to control (or back): the running desktop ends, and the customer is asked for the new mode.
            await endRemote(reason: "\(actor.technician.name) switched to \(mode == .control ? "remote control" : "desktop view").",
                            tellApplet: true)
        }
        let state: RemoteDesktopState
        // Read after any await above: what runs now decides.
        do throws(RemoteDesktopState.Refusal) {
            state = try RemoteDesktopState.request(mode, by: actor.id, permissions: actor.permissions,
                                                   sessionState: record.machine.state, current: remote,
                                                   source: record.customer?.remoteSource ?? .applet, sessionType: record.sessionType)
        } catch {
            throw SessionHub.gatewayError(error)
        }
        // A browser that shares its screen is asked as the applet is; the refusals above keep it to the view.
        let applet = try hub.connectedCustomer(of: id)
        remote = state
        let webrtc = state.source == .browser ? hub.webRTCSetup(for: id) : nil
        applet.send(WireCodec.encode(GatewayToApplet.remoteRequest(.init(mode: mode, technicianName: actor.technician.name, webrtc: webrtc))))
        publishRemote(RemoteStatus(sessionId: id, mode: mode, phase: .requested), to: actor.id)
        try await hub.logEvent(mode == .control ? .remoteControlRequested(technician: actor.technician.name)
                                                  : .desktopViewRequested(technician: actor.technician.name), in: record)
    }

    /// The technician's red X: the session stays active.
    func stopRemote(by actor: Actor) async throws {
        _ = try await hub.ownedLiveSession(id, by: actor)
        guard remote != nil else { throw SessionHub.gatewayError(.notRunning) }
        await endRemote(reason: "\(actor.technician.name) ended the remote desktop.", tellApplet: true)
    }

    func remoteInput(_ events: [InputEvent], by actor: Actor) async throws {
        if try await colleagueInput(events, by: actor) { return }
        _ = try await hub.ownedLiveSession(id, by: actor)
        // The permission before the state: without it the answer is "not allowed" whatever runs.
        try actor.require(.remoteControl)
        guard let state = remote else { throw SessionHub.gatewayError(.notRunning) }
        do throws(RemoteDesktopState.Refusal) { try state.checkInput(permissions: actor.permissions) } catch {
            throw SessionHub.gatewayError(error)
        }
        try Self.checkInputEvents(events)
        guard screenRoute?.controller == actor.id else { throw Self.notInControl }
        recordActivity(at: environment.now())
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.input(events)))
    }

    /// A colleague's input (issue 21): passed only while they have the mouse and keyboard. False
    /// when the actor is not a colleague in this session (the lead's checks follow).
    private func colleagueInput(_ events: [InputEvent], by actor: Actor) async throws -> Bool {
        let current = try await hub.visibleSession(id, by: actor)
        guard isLive, current.technicianId != actor.id, current.collaborations[actor.id] != nil else { return false }
        // What the lead chose for this session, within what the colleague's group grants.
        guard hub.sessionPermissions(of: actor, in: current).contains(.remoteControl) else { throw GatewayError.forbidden(.remoteControl) }
        guard let state = remote, state.forwardsFrames else { throw SessionHub.gatewayError(.notRunning) }
        guard state.mode == .control else { throw SessionHub.gatewayError(.viewOnly) }
        try Self.checkInputEvents(events)
        guard screenRoute?.controller == actor.id else { throw Self.notInControl }
        recordActivity(at: environment.now())
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.input(events)))
        return true
    }

    private static func checkInputEvents(_ events: [InputEvent]) throws {
        guard ScreenRelay.isAcceptable(events) else {
            throw GatewayError.badRequest("Input events must be at most \(ScreenRelay.maximumInputEvents) valid events per message.")
        }
    }

    static let notInControl = GatewayError(.notInControl, "Only the technician who has the mouse and keyboard may use them; ask the lead to give you control.")

    /// An acknowledgement the relay did not take (the desktop ended meanwhile): nothing to pass on.
    func remoteFrameDrawn(_ sequence: UInt32, by actor: Actor) async throws {
        _ = try await hub.visibleSession(id, by: actor)
    }

    func remoteSettings(_ quality: RemoteQuality, by actor: Actor) async throws {
        _ = try await hub.ownedLiveSession(id, by: actor)
        guard remote != nil else { throw SessionHub.gatewayError(.notRunning) }
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.remoteSettings(.init(quality: quality))))
    }

    /// A toolbar tool (J10, J12, J13, J16): checked against the mode and permissions, then played
    /// by the applet.
    func remoteTool(_ tool: RemoteTool, by actor: Actor) async throws {
        _ = try await hub.ownedLiveSession(id, by: actor)
        if tool.needsControl { try actor.require(.remoteControl) }
        if let permission = tool.permission { try actor.require(permission) }
        guard let state = remote else { throw SessionHub.gatewayError(.notRunning) }
        do throws(RemoteDesktopState.Refusal) {
            try state.checkTool(needsControl: tool.needsControl, permission: tool.permission, permissions: actor.permissions)
        } catch {
            throw SessionHub.gatewayError(error)
        }
        guard tool.isValid else {
            throw GatewayError.badRequest("The remote tool is malformed: clipboard text up to \(RemoteTool.maximumClipboardBytes) bytes, "
                + "strokes of 1 to \(RemoteTool.maximumPoints) points on the screen, monitor 0 to 15.")
        }
        if tool.needsControl { recordActivity(at: environment.now()) }
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.remoteTool(tool)))
    }

    /// A screenshot of the customer's display (J15): permitted, logged, then saved by the console
    /// from the screen it shows (it already holds every pixel).
    func recordScreenshot(by actor: Actor) async throws {
        let record = try await hub.ownedLiveSession(id, by: actor)
        try actor.require(.takeScreenshots)
        guard remote?.forwardsFrames == true else { throw SessionHub.gatewayError(.notRunning) }
        try await hub.logEvent(.screenshotTaken(technician: actor.technician.name), in: record)
    }

    // MARK: The applet's side

    func appletAnsweredRemote(accepted: Bool, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), var state = remote, state.phase == .requested,
              let record = liveRecord else { return }
        let asked = state
        var started = false
        if accepted {
            do throws(RemoteDesktopState.Refusal) {
                try state.accepted()
                started = true
            } catch {
                // The phase was checked above; should it ever refuse, the customer's yes counts as no.
                logger.error("A remote desktop could not take the customer's yes", metadata: ["session.id": "\(id)", "error": "\(error)"])
            }
        }
        if started {
            // Nothing is shown of a customer's screen before its consent is on the record.
            do { try await hub.auditConsent(.consentGiven, to: Self.consentTopic(state, in: record), in: record) } catch {
                await endRemote(reason: error.message, tellApplet: true)
                return
            }
            // Ended or asked anew while the consent was written: that stands.
            guard remote == asked else { return }
            remote = state
            publishRemote(RemoteStatus(sessionId: id, mode: state.mode, phase: .active, webrtc: state.source == .browser ? hub.webRTCSetup(for: id) : nil),
                          to: state.technicianId)
            let accepted: SessionLogEvent = switch (state.source, state.mode) {
            case (.browser, _): .browserScreenFrames
            case (_, .control): .remoteControlAccepted
            case (_, .view): .desktopViewAccepted
            }
            await hub.note(accepted, in: record)
        } else {
            remote = nil
            publishRemote(RemoteStatus(sessionId: id, mode: state.mode, phase: .denied,
                                       reason: "The customer refused."), to: state.technicianId)
            await hub.note(.screenRefused, in: record)
            await hub.auditRefusal(.consentRefused, to: Self.consentTopic(state, in: record), in: record)
        }
    }

    func appletEndedRemote(reason: String, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), let state = remote else { return }
        if let record = liveRecord {
            await hub.auditRefusal(.consentRevoked, to: Self.consentTopic(state, in: record), in: record,
                               detail: AuditTrail.json(["reason": String(reason.prefix(200))]))
        }
        await endRemote(reason: String(reason.prefix(200)), tellApplet: false)
    }

    /// What the customer agreed to show, as the audit log names it: a Lens session's camera (and
    /// microphone, Q1), else the remote desktop's mode.
    static func consentTopic(_ state: RemoteDesktopState, in record: SessionRecord) -> String {
        if record.sessionType == .lens { return "camera_and_microphone" }
        return state.mode == .control ? "remote_control" : "desktop_view"
    }

    /// The customer's clipboard (control mode only; the applet enforces it too) and monitors go to
    /// the owner's consoles; anything outside a running remote desktop is dropped.
    func appletRemoteNotice(_ notice: RemoteNotice, outletId: UUID) {
        guard sockets.isApplet(outletId, of: id), let state = remote, state.forwardsFrames, notice.isValid else { return }
        if case .clipboard = notice, state.mode != .control { return }
        let message = WireCodec.encode(GatewayToConsole.remoteNotice(.init(sessionId: id, notice: notice)))
        sockets.sendToConsoles(of: state.technicianId, message)
    }

    // MARK: The direct path of a screen shared from a browser (issue 16)

    /// A console's answer or candidate: passed to the customer's browser when this console may
    /// be the direct path's other end (`RemoteDesktopState.signalFromConsole`).
    func consoleSignal(_ signal: WebRTCSignal, by actor: Actor, console: UUID) async throws {
        let record = try await hub.ownedLiveSession(id, by: actor)
        // Part of the desktop view (the camera's, in a Lens session): a permission taken away mid-view stops the setup too.
        try actor.require(RemoteDesktopState.permission(for: .view, in: record.sessionType))
        guard hub.webRTC != nil else { throw SessionHub.gatewayError(.noDirectPath) }
        guard signal.isValid else { throw GatewayError.badRequest(WebRTCSignal.invalidMessage) }
        // Read after the await above, written back before the next one.
        guard var state = remote else { throw SessionHub.gatewayError(.notRunning) }
        do throws(RemoteDesktopState.Refusal) {
            try state.signalFromConsole(signal.kind, technicianId: actor.id, console: console.uuidString)
        } catch {
            throw SessionHub.gatewayError(error)
        }
        remote = state
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.webrtcSignal(signal)))
    }

    /// The customer's browser's offer or candidate: to the owner's consoles, or only to the one
    /// that answered. Anything outside a browser's shown screen is dropped.
    func customerSignal(_ signal: WebRTCSignal, outletId: UUID) {
        guard hub.webRTC != nil, sockets.isApplet(outletId, of: id), var state = remote else { return }
        guard signal.isValid else {
            logger.notice("A customer's WebRTC signal was malformed and dropped", metadata: ["session.id": "\(id)"])
            return
        }
        guard let route = state.signalFromCustomer(signal.kind) else { return }
        remote = state
        let message = WireCodec.encode(GatewayToConsole.webrtcSignal(.init(sessionId: id, signal: signal)))
        switch route {
        case .ownersConsoles:
            sockets.sendToConsoles(of: state.technicianId, message)
        case .console(let peer):
            sockets.consoles(of: state.technicianId).first { $0.id.uuidString == peer }?.send(message)
        }
    }

    /// The customer's browser switched between the direct path and the gateway: the log says so.
    func customerScreenTransport(_ transport: RemoteDesktopState.Transport, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), var state = remote, state.transportChanged(to: transport) else { return }
        remote = state
        guard let record = liveRecord else { return }
        await hub.note(transport == .webrtc ? .browserScreenWebRTC : .browserScreenBackToFrames, in: record)
    }

    /// Ends the remote desktop of a session: console told, applet told unless it said so itself.
    func endRemote(reason: String, tellApplet: Bool, sessionState: SessionState? = nil) async {
        guard let state = remote else { return }
        remote = nil
        await finishRecording(reason: .recordingStoppedWithRemote)
        if tellApplet { sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.remoteStop(.init(reason: reason)))) }
        publishRemote(RemoteStatus(sessionId: id, mode: state.mode, phase: .ended, reason: reason, sessionState: sessionState),
                      to: state.technicianId)
        if let record = liveRecord { await hub.note(.remoteEnded(reason: reason), in: record) }
    }

    /// The technician's last console closed: nobody is left to watch their remote desktop.
    func endRemote(ifRunBy technicianId: String, reason: String) async {
        guard remote?.technicianId == technicianId else { return }
        await endRemote(reason: reason, tellApplet: true)
    }

    /// Called after every state change: only Active and Collaboration keep the remote desktop.
    private func publishRemote(_ status: RemoteStatus, to technicianId: String) {
        let message = WireCodec.encode(GatewayToConsole.remote(leadStatus(status)))
        sockets.sendToConsoles(of: technicianId, message)
    }
}
