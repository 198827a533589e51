import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The customer's side: checking a PIN or link, joining, and the applet's socket.
extension SessionHub {
    enum Credential: Sendable {
        case pin(String)
        case link(String)

        /// What the audit log says was used, never the secret itself.
        var kind: String {
            switch self {
            case .pin: "pin"
            case .link: "link"
            }
        }
    }

    /// Who a PIN or link would connect the customer to, without using it up. Wrong PINs are
    /// counted per source address and refused for a while after ten.
    func invitation(for credential: Credential, from source: String) async throws -> Invitation {
        let record = try findWaitingForCustomer(credential, from: source)
        return Invitation(technicianName: await technicianName(record.technicianId),
                          organisation: await organisationName(record.organisationId), sessionName: record.name,
                          channel: await channel(record.channelId)?.name, terms: settings.appletTerms)
    }

    /// Uses the PIN or link (single use) and gives the applet its own token for this session.
    /// `acceptedTerms`: the applet showed the organisation's terms and the customer accepted them.
    func join(with credential: Credential, from source: String, acceptedTerms: Bool = false) async throws -> JoinedSession {
        let found = try findWaitingForCustomer(credential, from: source)
        let id = found.id
        let appletToken = Secrets.token()
        let appletTokenHash = Secrets.hash(appletToken)
        // Used up in memory before anything awaits: of concurrent joins with one PIN, exactly one finds it.
        live[id]?.pin = nil
        live[id]?.linkTokenHash = nil
        live[id]?.appletTokenHash = appletTokenHash
        try await serialised(id) {
            // Closed while this join waited its turn: the PIN died with the session.
            guard let claimed = live[id], claimed.appletTokenHash == appletTokenHash else { throw Self.unknown(credential) }
            do {
                try await persist(claimed, viewsChanged: false)
            } catch {
                if live[id]?.appletTokenHash == appletTokenHash {
                    live[id]?.pin = found.pin
                    live[id]?.linkTokenHash = found.linkTokenHash
                    live[id]?.appletTokenHash = found.appletTokenHash
                }
                throw error
            }
        }
        logger.info("Customer joined", metadata: ["session.id": "\(id)", "customer.address": "\(source)"])
        try await audit.record(.customerJoined, organisationId: found.organisationId, actorId: nil, actorName: "customer",
                           objectType: "session", objectId: id,
                           after: AuditTrail.json(["credential": credential.kind,
                                                   "terms": settings.appletTerms == nil ? "none" : acceptedTerms ? "accepted" : "not shown"]),
                           source: source)
        return JoinedSession(sessionId: id, appletToken: appletToken,
                      technicianName: await technicianName(found.technicianId),
                      organisation: await organisationName(found.organisationId))
    }

    /// The customer said no before joining (to the technician, or to the terms). The session stays
    /// Connecting until its timeout, as the appendix has it, and its PIN or link keeps working if the
    /// customer changes their mind; the technician is told at once with a log line (at most one a
    /// minute per session, so a known PIN cannot flood the log).
    func customerDeclined(_ credential: Credential, termsRefused: Bool, from source: String) async throws {
        let found = try findWaitingForCustomer(credential, from: source)
        guard found.machine.state == .connecting else { return }
        let now = environment.now()
        if let last = declinesNoted[found.id], now.timeIntervalSince(last) < 60 { return }
        declinesNoted[found.id] = now
        if declinesNoted.count > 10_000 { declinesNoted = declinesNoted.filter { now.timeIntervalSince($0.value) < 60 } }
        try await logEvent(termsRefused ? .termsRefused : .invitationDeclined, in: found)
    }

    /// A PIN or link attempt is checked only within its address's limit and the gateway's ceiling.
    func checkGuessLimits(from source: String, at now: Date) throws {
        try guesses.check(from: source, at: now)
    }

    /// A wrong PIN or link counts against its address and the gateway's ceiling; only time clears either.
    func recordWrongGuess(from source: String, at now: Date) {
        guesses.recordWrongGuess(from: source, at: now)
    }

    static func unknown(_ credential: Credential) -> GatewayError {
        switch credential {
        case .pin: GatewayError.unknownPin
        case .link: GatewayError.unknownLink
        }
    }

    private func findWaitingForCustomer(_ credential: Credential, from source: String) throws -> SessionRecord {
        let now = environment.now()
        try checkGuessLimits(from: source, at: now)
        let match: SessionRecord?
        switch credential {
        case .pin(let typed):
            let pin = PinCode(typed)?.digits
            match = pin.flatMap { live.withPin($0) }
        case .link(let token):
            let hash = Secrets.hash(token)
            match = live.withLinkHash(hash)
        }
        // A PIN whose connecting timeout has passed is dead even before the timer closes it.
        // An Instant Chat customer's download link joins the applet to the running session.
        let usable = match.map { record in
            record.machine.state == .connecting ? record.machine.dueTimerEvent(at: now, timers: timers) == nil
                                                : Self.awaitsApplet(record)
        } ?? false
        // Failures leave the count only with time: a right PIN does not clear it (an attacker would
        // check their own live PIN between guesses).
        guard let record = match, usable else {
            recordWrongGuess(from: source, at: now)
            throw Self.unknown(credential)
        }
        return record
    }

    // MARK: The applet's socket

    /// The applet said hello with its token: move the session on, then register the socket and
    /// welcome it, so the applet's first frame is always the welcome.
    func appletConnected(token: String, customer claimed: CustomerInfo, outlet: Outlet) async throws {
        let customer = claimed.withDeviceId(claimed.deviceId.map(Secrets.deviceId(fromKey:)))
        let hash = Secrets.hash(token)
        guard let found = live.withAppletTokenHash(hash) else { throw GatewayError.unknownAppletToken }
        try await serialised(found.id) {
            // The session may have closed (and its token died) while this hello waited its turn.
            guard let current = live[found.id], current.appletTokenHash == hash else { throw GatewayError.unknownAppletToken }
            try await welcomeApplet(current, customer: customer, outlet: outlet)
        }
    }

    private func welcomeApplet(_ current: SessionRecord, customer: CustomerInfo, outlet: Outlet) async throws {
        var record = current
        let privilegeChange = Self.privilegeChange(from: record.customer, to: customer)
        let movedFromInstantChat = record.customer?.chatOnly == true && !customer.chatOnly
        let event: SessionEvent? = switch record.machine.state {
        case .connecting: .appletConnected
        case .reconnecting, .offline: .connectionRestored
        case .rebooting: .rebootFinished
        default: nil
        }
        if record.customer != customer {
            // Stored with the state change below when there is one: one write per hello, not two.
            live[record.id]?.customer = customer
            record.customer = customer
            if event == nil { record = try await persist(record, viewsChanged: false) }
        }
        if let privilegeChange { try await logEvent(privilegeChange, in: record) }
        if movedFromInstantChat {
            try await logEvent(.appletTookOver, in: record)
        }
        if let event {
            record = try await apply(event, to: record.id)
            if event == .appletConnected { record = try await autoStartIfWanted(record) }
        } else {
            await publish(record)
        }
        if let previous = sockets.setApplet(outlet, of: record.id) {
            if movedFromInstantChat { previous.send(WireCodec.encode(GatewayToApplet.movedToApplet)) }
            previous.close(reason: "replaced by a newer connection")
        }
        outlet.send(WireCodec.encode(GatewayToApplet.welcome(
            sessionId: record.id, technicianName: await technicianName(record.technicianId),
            organisation: await organisationName(record.organisationId), state: record.machine.state)))
        if record.chatDisabled { outlet.send(WireCodec.encode(GatewayToApplet.chatSwitched(enabled: false))) }
    }

    nonisolated func hasApplet(outletId: UUID) -> Bool { sockets.sessionId(ofApplet: outletId) != nil }

    /// Earlier lines of the log, so a reconnecting applet can show what it missed.
    func chatHistory(sessionId: String) async throws -> [LogEntry] {
        try await store.log(sessionId: sessionId).filter { $0.kind == .chat }
    }

    func appletSaid(_ text: String, sessionId: String, outletId: UUID) async throws {
        guard sockets.isApplet(outletId, of: sessionId), let record = live[sessionId] else { throw GatewayError.unknownAppletToken }
        if record.chatDisabled { throw GatewayError.chatDisabled }
        let clean: String
        do { clean = try ChatText.validated(text) } catch { throw GatewayError.badRequest(Self.describe(error)) }
        let author = record.customer?.user.isEmpty == false ? record.customer!.user : record.name
        let now = environment.now()
        if let wait = customerChat.admit(sessionId, at: now) {
            throw GatewayError(.slowDown,
                               "Messages are arriving too fast. Wait \(max(1, Int(wait.rounded(.up)))) seconds.")
        }
        live[sessionId]?.machine.recordActivity(at: now)
        let entry = try await store.appendLog(sessionId: sessionId, at: now, kind: .chat, authorRole: .customer,
                                              author: author, text: clean, state: nil)
        await publish(entry, to: record)
        sockets.sendToApplet(of: sessionId, WireCodec.encode(GatewayToApplet.chat(entry)))
    }

    /// The customer pressed "end session" in the applet.
    func appletQuit(sessionId: String, outletId: UUID) async throws {
        try await serialised(sessionId) {
            guard sockets.isApplet(outletId, of: sessionId), let record = live[sessionId] else { return }
            // Nobody had engaged with the customer yet: the manual's "closed by customer while waiting".
            let stillWaiting = record.machine.state == .waiting || awaitingTechnician.contains(sessionId)
            try await apply(.customerClosed(stillWaitingForTechnician: stillWaiting), to: sessionId)
        }
    }

    /// The applet's socket closed without a quit: a network loss until it comes back.
    func appletDisconnected(outletId: UUID) async {
        guard let sessionId = sockets.removeApplet(outletId: outletId) else { return }
        // The gateway is stopping and closing every socket: the next start marks these sessions
        // Reconnecting (`loadLiveSessions`), so thousands of store writes now would only delay the stop.
        if stopping { return }
        // A file on its way to or from the customer cannot finish without them.
        if let fileId = runningFiles[sessionId] {
            await failFile(fileId, sessionId: sessionId, reason: "the customer's applet disconnected.", tellApplet: false)
        }
        do {
            try await serialised(sessionId) {
                // Checked in the session's turn: a quit or End that came first leaves nothing to lose.
                guard sockets.applet(of: sessionId) == nil, let record = live[sessionId], record.machine.state.expectsCustomerConnection else { return }
                try await apply(.connectionLost(since: environment.now()), to: sessionId)
            }
        } catch {
            logger.error("Could not record a lost applet connection", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
        }
    }
}

extension SessionHub {
    /// The customer's consent (given, refused, revoked) to `what` in the audit log.
    func auditConsent(_ action: AuditAction, to what: String, in record: SessionRecord, detail: String? = nil) async throws(GatewayError) {
        try await audit.record(action, organisationId: record.organisationId, actorId: nil, actorName: "customer", objectType: what,
                               objectId: record.id, after: detail)
    }

    /// A refusal or a revocation stands whether or not it could be audited (the trail has logged
    /// the lost entry as critical and counted it for `audit verify`).
    func auditRefusal(_ action: AuditAction, to what: String, in record: SessionRecord, detail: String? = nil) async {
        do { try await auditConsent(action, to: what, in: record, detail: detail) } catch {
            logger.error("The customer's answer stands without its audit entry", metadata: ["session.id": "\(record.id)", "audit.object": "\(what)"])
        }
    }

    nonisolated func sessionId(ofApplet outletId: UUID) -> String? {
        sockets.sessionId(ofApplet: outletId)
    }
}

extension SessionHub {
    /// Auto-start of incoming private sessions (B4): Waiting → Active without Start, when the
    /// technician (or their organisation's default) wants it and they have a free active slot.
    func autoStartIfWanted(_ record: SessionRecord) async throws -> SessionRecord {
        guard record.machine.state == .waiting, let ownerId = record.technicianId,
              let owner = try await store.technician(id: ownerId) else { return record }
        let wanted: Bool
        if let choice = owner.options.autoStartIncoming { wanted = choice } else { wanted = settings.autoStartDefault }
        guard wanted else { return record }
        do {
            try activeLimitAllows(owner.id, excluding: record.id)
        } catch {
            return record
        }
        let started = try await apply(.start, to: record.id)
        awaitingTechnician.insert(record.id)
        return started
    }

    /// The technician acted on the session: the customer is no longer waiting for them.
    func technicianEngaged(_ sessionId: String) {
        awaitingTechnician.remove(sessionId)
    }
}
