import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The customer's side of one session: the PIN or link used up, the applet's hello, its chat, its
/// quit and its lost connection.
extension LiveSession {
    /// Uses the PIN or link up. In memory before anything awaits: of concurrent joins with one PIN,
    /// exactly one finds it still there.
    func useUp(_ credential: SessionHub.Credential, appletTokenHash: String) async throws {
        let found = record
        let matches = switch credential {
        case .pin(let typed): PinCode(typed).map { $0.digits == found.pin } ?? false
        case .link(let token): found.linkTokenHash == Secrets.hash(token)
        }
        guard isLive, matches else { throw SessionHub.unknown(credential) }
        changeRecord {
            $0.pin = nil
            $0.linkTokenHash = nil
            $0.appletTokenHash = appletTokenHash
        }
        if let pin = found.pin { hub.registry.retire(pin: pin, .used, at: environment.now()) }
        try await serialised {
            // Closed while this join waited its turn: the PIN died with the session.
            guard isLive, record.appletTokenHash == appletTokenHash else { throw SessionHub.unknown(credential) }
            do {
                try await persist(record, viewsChanged: false)
            } catch {
                if record.appletTokenHash == appletTokenHash {
                    changeRecord {
                        $0.pin = found.pin
                        $0.linkTokenHash = found.linkTokenHash
                        $0.appletTokenHash = found.appletTokenHash
                    }
                }
                throw error
            }
        }
    }

    /// The customer said no before joining (to the technician, or to the terms). The session stays
    /// Connecting until its timeout, as the appendix has it, and its PIN or link keeps working if the
    /// customer changes their mind; the technician is told at once with a log line (at most one a
    /// minute, so a known PIN cannot flood the log).
    func customerDeclined(_ refusal: CustomerRefusal) async throws {
        guard isLive, record.machine.state == .connecting else { return }
        let now = environment.now()
        if let last = declineNotedAt, now.timeIntervalSince(last) < 60 { return }
        declineNotedAt = now
        try await hub.logEvent(refusal.logEvent, in: record)
    }

    /// The applet's hello with this session's token: the session moves on (Waiting, back from
    /// Reconnecting …), then the socket is registered and welcomed, so its first frame is the welcome.
    func welcomeApplet(tokenHash: String, customer: CustomerInfo, rejoining: Bool = false, outlet: Outlet) async throws {
        try await serialised {
            // The session may have closed (and its token died) while this hello waited its turn.
            guard isLive, record.appletTokenHash == tokenHash else { throw GatewayError.unknownAppletToken }
            // A Lens session is a phone's camera in its browser (Q1): the applet has nothing to show in it.
            guard record.sessionType.hasAppletTools || customer.chatOnly else {
                throw GatewayError(.notForLens, "This is a Lens session: open its link, or the PIN page, in the phone's browser.")
            }
            try await welcomeAppletNow(customer: customer, rejoining: rejoining, outlet: outlet)
        }
    }

    private func welcomeAppletNow(customer: CustomerInfo, rejoining: Bool, outlet: Outlet) async throws {
        var current = record
        let privilegeChange = SessionHub.privilegeChange(from: current.customer, to: customer)
        let movedFromInstantChat = current.customer?.chatOnly == true && !customer.chatOnly
        let event: SessionEvent? = switch current.machine.state {
        case .connecting: .appletConnected
        case .reconnecting, .offline: .connectionRestored
        case .rebooting: .rebootFinished
        default: nil
        }
        if current.customer != customer {
            // Stored with the state change below when there is one: one write per hello, not two.
            changeRecord { $0.customer = customer }
            current.customer = customer
            if event == nil { current = try await persist(current, viewsChanged: false) }
        }
        if let privilegeChange { try await hub.logEvent(privilegeChange, in: current) }
        if movedFromInstantChat { try await hub.logEvent(.appletTookOver, in: current) }
        if rejoining { try await hub.logEvent(.appletRejoined, in: current) }
        // Which way the customer came in, once, when they first join (issue 16).
        if event == .appletConnected { try await hub.logEvent(customer.joinedBy, in: current) }
        if let event {
            current = try await apply(event)
            if event == .appletConnected { current = try await autoStartIfWanted(current) }
        } else {
            await hub.publish(current)
        }
        if let previous = sockets.setApplet(outlet, of: id) {
            if movedFromInstantChat { previous.send(WireCodec.encode(GatewayToApplet.movedToApplet)) }
            previous.close(reason: "replaced by a newer connection")
        }
        outlet.send(WireCodec.encode(GatewayToApplet.welcome(.init(
            sessionId: id, technicianName: await hub.technicianName(current.technicianId),
            organisation: await hub.organisationName(current.organisationId), state: current.machine.state))))
        if current.chatDisabled { outlet.send(WireCodec.encode(GatewayToApplet.chatSwitched(.init(enabled: false)))) }
        await runStartScriptsIfDue()
    }

    func appletSaid(_ text: String, outletId: UUID) async throws {
        guard sockets.isApplet(outletId, of: id), isLive else { throw GatewayError.unknownAppletToken }
        let current = record
        if current.chatDisabled { throw GatewayError.chatDisabled }
        let clean: String
        do { clean = try ChatText.validated(text) } catch { throw GatewayError.badRequest(SessionHub.describe(error)) }
        // Signed with the name the technician gave the session ("Customer" when none, as the
        // manual has it); the computer's account is a detail of the session, not a name.
        let author = current.name
        let now = environment.now()
        if let wait = hub.customerChat.admit(id, at: now) {
            throw GatewayError(.slowDown, "Messages are arriving too fast. Wait \(max(1, Int(wait.rounded(.up)))) seconds.")
        }
        recordActivity(at: now)
        let entry = try await store.appendLog(sessionId: id, at: now, kind: .chat, authorRole: .customer,
                                              author: author, text: clean, state: nil)
        // The customer's side first: the consoles' share (and the other nodes') takes longer.
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.chat(entry)))
        await hub.publish(entry, to: current)
    }

    /// The customer pressed "end session" in the applet.
    func appletQuit(outletId: UUID) async throws {
        try await serialised {
            guard sockets.isApplet(outletId, of: id), isLive else { return }
            // Nobody had engaged with the customer yet: the manual's "closed by customer while waiting".
            let stillWaiting = record.machine.state == .waiting || awaitingTechnician
            try await apply(.customerClosed(stillWaitingForTechnician: stillWaiting))
        }
    }

    /// The applet's socket closed without a quit (already out of the directory): a network loss
    /// until it comes back.
    func appletLost() async {
        endTechnicianScreen(reason: "customer_disconnected", tellApplet: false)
        // A file on its way to or from the customer cannot finish without them.
        if let fileId = runningFileId {
            await failFile(fileId, reason: "the customer's applet disconnected.", tellApplet: false)
        }
        do {
            try await serialised {
                // Checked in the session's turn: a quit or End that came first leaves nothing to lose.
                guard sockets.applet(of: id) == nil, isLive, record.machine.state.expectsCustomerConnection else { return }
                try await apply(.connectionLost(since: environment.now()))
            }
        } catch {
            logger.error("Could not record a lost applet connection", metadata: ["session.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Auto-start of incoming private sessions (B4): Waiting → Active without Start, when the
    /// technician (or their organisation's default) wants it and they have a free active slot.
    func autoStartIfWanted(_ current: SessionRecord) async throws -> SessionRecord {
        guard current.machine.state == .waiting, let ownerId = current.technicianId,
              let owner = try await store.technician(id: ownerId) else { return current }
        let wanted = owner.options.autoStartIncoming ?? hub.settings.autoStartDefault
        guard wanted, hub.registry.activeLimitRefusal(owner.id, activating: id) == nil else { return current }
        let started: SessionRecord
        do {
            started = try await apply(.start, claimingActiveSlotOf: owner.id)
        } catch let error as GatewayError where error == .tooManyActiveSessions || error == .anotherLensActive {
            return current
        }
        awaitingTechnician = true
        return started
    }
}
