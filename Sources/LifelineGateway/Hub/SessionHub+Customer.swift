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
        try await bringHere(credential, from: source)
        let (_, record) = try await findWaitingForCustomer(credential, from: source)
        var invitation = Invitation(technicianName: await technicianName(record.technicianId),
                                    organisation: await organisationName(record.organisationId), sessionName: record.name,
                                    channel: await channel(record.channelId)?.name, terms: settings.appletTerms)
        invitation.type = record.sessionType == .standard ? nil : record.sessionType
        invitation.platform = record.platform
        return invitation
    }

    /// Uses the PIN or link (single use) and gives the applet its own token for this session.
    /// `acceptedTerms`: the applet showed the organisation's terms and the customer accepted them.
    func join(with credential: Credential, from source: String, acceptedTerms: Bool = false) async throws -> JoinedSession {
        try refuseWhileDraining()
        try await bringHere(credential, from: source)
        let (session, found) = try await findWaitingForCustomer(credential, from: source)
        let appletToken = Secrets.token()
        try await session.useUp(credential, appletTokenHash: Secrets.hash(appletToken))
        let id = found.id
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

    /// The customer said no before joining (to the technician, to the terms, or by closing the applet). The session stays
    /// Connecting until its timeout, as the appendix has it, and its PIN or link keeps working if the
    /// customer changes their mind; the technician is told at once with a log line (at most one a
    /// minute per session, so a known PIN cannot flood the log).
    func customerDeclined(_ credential: Credential, _ refusal: CustomerRefusal, from source: String) async throws {
        try await bringHere(credential, from: source)
        let (session, _) = try await findWaitingForCustomer(credential, from: source)
        try await session.customerDeclined(refusal)
    }

    /// A PIN or link attempt is checked only within its address's limit and the gateway's ceiling.
    func checkGuessLimits(from source: String, at now: Date) throws {
        try guesses.check(from: source, at: now)
    }

    /// A wrong PIN or link counts against its address and the gateway's ceiling; only time clears
    /// either. In a cluster every node counts it.
    func recordWrongGuess(from source: String, at now: Date) async {
        guesses.recordWrongGuess(from: source, at: now)
        guard let node = sharedNode else { return }
        await node.guessFailures.record(.wrongGuess, key: source)
    }

    /// The wrong guesses other nodes counted since this node last looked, counted here too: read
    /// before a PIN or link is checked, so the limits hold for the cluster.
    func catchUpWrongGuesses() async {
        guard let node = sharedNode else { return }
        let now = environment.now()
        for failure in await node.guessFailures.unseen() {
            guesses.recordWrongGuess(from: failure.key, at: now.addingTimeInterval(-failure.age))
        }
    }

    static func unknown(_ credential: Credential) -> GatewayError {
        switch credential {
        case .pin: GatewayError.unknownPin
        case .link: GatewayError.unknownLink
        }
    }

    private func findWaitingForCustomer(_ credential: Credential, from source: String) async throws -> (LiveSession, SessionRecord) {
        let now = environment.now()
        try checkGuessLimits(from: source, at: now)
        let match: (LiveSession, SessionRecord)?
        switch credential {
        case .pin(let typed):
            let pin = PinCode(typed)?.digits
            match = pin.flatMap { registry.session(withPin: $0) }
        case .link(let token):
            match = registry.session(withLinkHash: Secrets.hash(token))
        }
        // A PIN whose connecting timeout has passed is dead even before the timer closes it.
        // An Instant Chat customer's download link joins the applet to the running session.
        let usable = match.map { _, record in
            record.machine.state == .connecting ? record.machine.dueTimerEvent(at: now, timers: timers) == nil
                                                : Self.awaitsApplet(record)
        } ?? false
        // Failures leave the count only with time: a right PIN does not clear it (an attacker would
        // check their own live PIN between guesses).
        guard let match, usable else {
            await recordWrongGuess(from: source, at: now)
            throw deadCredential(credential, unusable: match?.1, at: now)
        }
        return match
    }

    /// Why a PIN does not work, when the gateway knows: expired or already used tell the customer
    /// what to do (ask for a new one, or restart the applet that joined), a typo is "not valid".
    private func deadCredential(_ credential: Credential, unusable record: SessionRecord?, at now: Date) -> GatewayError {
        guard case .pin(let typed) = credential, let pin = PinCode(typed)?.digits else { return Self.unknown(credential) }
        if record?.machine.state == .connecting { return .pinExpired }
        return switch registry.retiredPin(pin, at: now) {
        case .expired: .pinExpired
        case .used: .pinUsed
        case nil: .unknownPin
        }
    }

    // MARK: The applet's socket

    /// The applet said hello with its token: move the session on, then register the socket and
    /// welcome it, so the applet's first frame is always the welcome.
    func appletConnected(token: String, customer claimed: CustomerInfo, rejoining: Bool = false, outlet: Outlet) async throws {
        let customer = claimed.withDeviceId(claimed.deviceId.map(Secrets.deviceId(fromKey:)))
        let hash = Secrets.hash(token)
        await bringHere(appletTokenHash: hash)
        guard let (session, _) = registry.session(withAppletTokenHash: hash) else { throw GatewayError.unknownAppletToken }
        try await session.welcomeApplet(tokenHash: hash, customer: customer, rejoining: rejoining, outlet: outlet)
    }

    func hasApplet(outletId: UUID) -> Bool { sockets.sessionId(ofApplet: outletId) != nil }

    /// Earlier lines of the log, so a reconnecting applet can show what it missed.
    func chatHistory(sessionId: String) async throws -> [LogEntry] {
        try await store.log(sessionId: sessionId).filter { $0.kind == .chat }
    }

    func appletSaid(_ text: String, sessionId: String, outletId: UUID) async throws {
        guard let session = registry.session(sessionId) else { throw GatewayError.unknownAppletToken }
        try await session.appletSaid(text, outletId: outletId)
    }

    /// The customer pressed "end session" in the applet.
    func appletQuit(sessionId: String, outletId: UUID) async throws {
        try await registry.session(sessionId)?.appletQuit(outletId: outletId)
    }

    /// The applet's socket closed without a quit: a network loss until it comes back.
    func appletDisconnected(outletId: UUID) async {
        guard let sessionId = sockets.removeApplet(outletId: outletId) else { return }
        // The gateway is stopping and closing every socket: the next start marks these sessions
        // Reconnecting (`loadLiveSessions`), so thousands of store writes now would only delay the stop.
        if stopping { return }
        await registry.session(sessionId)?.appletLost()
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

    func sessionId(ofApplet outletId: UUID) -> String? {
        sockets.sessionId(ofApplet: outletId)
    }
}
