import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Who shows their screen to the customer (H1).
struct TechnicianScreenSharer: Equatable, Sendable {
    let technicianId: String
    let name: String
}

/// The technician's own screen on the customer's desktop (H1): started and stopped by the
/// technician (`TechnicianScreenShare` decides), closed by the customer from the applet's window,
/// stopped by itself when the sharer no longer works in the session or a side goes away. The
/// pictures come from the sharer's console as binary frames and go on to the applet unchanged;
/// the applet's acknowledgements go back to the sharer's consoles.
extension LiveSession {
    func startTechnicianScreen(by actor: Actor) async throws {
        _ = try await hub.visibleSession(id, by: actor)
        try actor.require(.shareScreen)
        guard isLive else { throw GatewayError.sessionNotFound }
        // From here to the change, no suspension: the check and the change are one step.
        let current = record
        let isLead = current.technicianId == actor.id
        let working = TechnicianScreenShare.isWorking(isLead: isLead, sessionState: current.machine.state,
                                                      viewState: current.otherViews[actor.id]?.state)
        let starts: Bool
        do throws(TechnicianScreenShare.Refusal) {
            starts = try TechnicianScreenShare.checkStart(by: actor.id, working: working, permissions: hub.sessionPermissions(of: actor, in: current),
                                                          role: isLead ? .lead : .collaborator, appletConnected: sockets.applet(of: id) != nil,
                                                          sharer: technicianScreen?.technicianId)
        } catch {
            throw Self.technicianScreenError(error)
        }
        guard starts else { return }
        let sharer = TechnicianScreenSharer(technicianId: actor.id, name: actor.technician.name)
        technicianScreen = sharer
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.technicianScreen(.init(sharing: true, technicianName: sharer.name))))
        tellTechniciansAboutScreen(reason: nil)
        try await hub.logEvent(.technicianScreenStarted(technician: sharer.name), in: current)
    }

    func stopTechnicianScreen(by actor: Actor) async throws {
        _ = try await hub.visibleSession(id, by: actor)
        do throws(TechnicianScreenShare.Refusal) {
            try TechnicianScreenShare.checkStop(by: actor.id, sharer: technicianScreen?.technicianId)
        } catch {
            throw Self.technicianScreenError(error)
        }
        endTechnicianScreen(reason: "stopped")
    }

    /// One picture from the sharer's console, on to the applet as it came. Refused unless this
    /// technician shares now and the frame is a well-formed screen update.
    func technicianScreenFrame(_ frame: [UInt8], from technicianId: String) throws {
        guard technicianScreen?.technicianId == technicianId else {
            throw GatewayError(.unexpectedFrame, "You are not showing your screen in this session: the picture was dropped.")
        }
        // The applet decodes VP8 and shows several screens, so the sharer's browser may send both.
        try GatewayError.checkTechnicianPicture(frame, toApplet: true)
        sockets.applet(of: id)?.send(binary: frame)
    }

    /// The applet drew an update (or wants a whole picture): the sharer's consoles may send the next.
    func appletDrewTechnicianScreen(_ ack: GatewayToApplet.FrameAck, outletId: UUID) {
        guard sockets.isApplet(outletId, of: id), let sharer = technicianScreen else { return }
        sockets.sendToConsoles(of: sharer.technicianId, WireCodec.encode(GatewayToConsole.technicianScreenAck(
            .init(sessionId: id, sequence: ack.sequence, refresh: ack.refresh == true ? true : nil, screen: ack.screen))))
    }

    /// The customer chose the colours of the technician's screen: the sharer's consoles send accordingly.
    func appletChoseTechnicianScreenQuality(_ quality: RemoteQuality, outletId: UUID) {
        guard sockets.isApplet(outletId, of: id), let sharer = technicianScreen else { return }
        sockets.sendToConsoles(of: sharer.technicianId,
                               WireCodec.encode(GatewayToConsole.technicianScreenQuality(.init(sessionId: id, quality: quality))))
    }

    func appletClosedTechnicianScreen(outletId: UUID) {
        guard sockets.isApplet(outletId, of: id), technicianScreen != nil else { return }
        endTechnicianScreen(reason: "closed_by_customer", tellApplet: false)
    }

    /// The sharer's last console closed here.
    func endTechnicianScreen(ifSharedBy technicianId: String) {
        guard technicianScreen?.technicianId == technicianId else { return }
        endTechnicianScreen(reason: "console_closed")
    }

    /// Called whenever the record changes: a sharer who no longer works in the session (hold,
    /// transfer, leaving, the end) stops sharing at once.
    func technicianScreenFollowsRecord() {
        guard let sharer = technicianScreen else { return }
        let working = isLive && TechnicianScreenShare.isWorking(isLead: record.technicianId == sharer.technicianId,
                                                                 sessionState: record.machine.state,
                                                                 viewState: record.otherViews[sharer.technicianId]?.state)
        if !working { endTechnicianScreen(reason: "session_changed") }
    }

    /// Synchronous, so nothing runs between the check that ended it and the end; the log line follows.
    func endTechnicianScreen(reason: String, tellApplet: Bool = true) {
        guard let sharer = technicianScreen else { return }
        technicianScreen = nil
        if tellApplet {
            sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.technicianScreen(.init(sharing: false, technicianName: sharer.name))))
        }
        tellTechniciansAboutScreen(reason: reason)
        let event: SessionLogEvent = reason == "closed_by_customer"
            ? .technicianScreenClosedByCustomer(technician: sharer.name) : .technicianScreenStopped(technician: sharer.name)
        let logged = record
        Task { [hub, logger, id] in
            do { try await hub.logEvent(event, in: logged) } catch {
                logger.error("Could not log the end of a technician's screen sharing", metadata: ["session.id": "\(id)", "error": "\(error)"])
            }
        }
    }

    /// Every technician of the session learns who shows their screen now (the button's state); a
    /// sharer whose sharing ended learns why from `reason`.
    private func tellTechniciansAboutScreen(reason: String?) {
        let message = WireCodec.encode(GatewayToConsole.technicianScreen(.init(
            sessionId: id, technicianId: technicianScreen?.technicianId, technicianName: technicianScreen?.name, reason: reason)))
        for technicianId in Set(record.otherViews.keys).union([record.technicianId].compactMap { $0 }) { sockets.sendToConsoles(of: technicianId, message) }
    }

    static func technicianScreenError(_ refusal: TechnicianScreenShare.Refusal) -> GatewayError {
        switch refusal {
        case .notPermitted:
            GatewayError(.permissionDenied, "You may not show your screen in this session (share_screen).")
        case .notWorking:
            GatewayError(.sessionNotActive, "Show your screen while you work in the session: it must be Active (Collaboration for a colleague).")
        case .noApplet:
            GatewayError(.customerNotConnected, "The customer's applet is not connected: a screen is shown in the applet only.")
        case .sharedByOther:
            GatewayError(.screenSharedByOther, "Another technician of this session is showing their screen to the customer; one at a time.")
        case .notSharing:
            GatewayError(.notSharing, "You are not showing your screen in this session.")
        }
    }
}

extension GatewayError {
    /// A picture of a technician's own screen (H1, E1) must be a well-formed screen update, video
    /// and screens after the first only for the customer's applet; a bad one goes nowhere.
    static func checkTechnicianPicture(_ frame: [UInt8], toApplet: Bool) throws(GatewayError) {
        do throws(ScreenUpdate.DecodingProblem) {
            try ScreenUpdate.validate(frame, forApplet: toApplet)
        } catch {
            throw GatewayError(.malformedMessage, "The picture of your screen is malformed (\(error)); it was dropped.")
        }
    }
}
