import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// External technicians invited into a session by link or PIN (I2): their limited console joins
/// the session's chat; the lead removes them; they leave; the session's end ends them. Their view
/// of the session follows the manual's appendix (Invitation → Collaboration → closed).
extension SessionHub {
    /// What the lead sees of each collaborator, and what an invitation gives them to pass on.
    struct CollaboratorView: Codable, Sendable {
        let id: String
        let name: String
        let email: String?
        let state: SessionState
        let approved: Bool
        let language: String
        /// Only in the answer to the invitation: the one-time link and PIN.
        var link: String?
        var pin: String?
        /// Only in the answer to the invitation: the gateway sent it by email.
        var emailed: Bool?
    }

    /// Who invites the external technician, as their join page shows it (in the inviter's language).
    struct CollaboratorInvitation: Codable, Sendable {
        let sessionName: String
        let inviterName: String
        let organisation: String
        let name: String
        let language: String
        let limited: Bool
    }

    struct JoinedCollaborator: Codable, Sendable {
        let collaboratorId: String
        let token: String
        let language: String
    }

    static let unknownInvitation = GatewayError(.unknownInvitation,
                                                "This invitation is not valid, was already used or has expired. Ask the technician for a new one.")

    enum CollaboratorCredential: Sendable {
        case pin(String)
        case link(String)
    }

    func loadExternalCollaborators() async throws {
        for collaborator in try await store.openExternalCollaborators() where registry.record(collaborator.sessionId) != nil {
            collaborators.set(collaborator, id: collaborator.id)
        }
    }

    func collaboratorView(of collaborator: ExternalCollaborator, link: String? = nil, pin: String? = nil) -> CollaboratorView {
        CollaboratorView(id: collaborator.id, name: collaborator.name, email: collaborator.email, state: collaborator.view.state,
                         approved: collaborator.approved, language: collaborator.language, link: link, pin: pin)
    }

    /// The lead invites an external technician (permission invite_external_technicians) into an
    /// active session: a one-time link and PIN, the inviter's language, approved or limited.
    func inviteExternal(to id: String, name rawName: String, email rawEmail: String?, by actor: Actor, from source: String) async throws -> CollaboratorView {
        let record = try await ownedActiveSession(id, by: actor, permission: .inviteExternalTechnicians, activeOnly: "Invite a technician")
        guard record.sessionType.allowsCollaboration else { throw GatewayError.collaboration(.lensSession) }
        let name: String
        do { name = try ExternalCollaboration.validatedName(rawName) } catch { throw GatewayError.badRequest(ExternalCollaboration.describe(error)) }
        var email: String?
        if let rawEmail, !rawEmail.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let valid = EmailAddress.validated(rawEmail) else { throw GatewayError.badRequest(ExternalCollaboration.describe(.badEmail)) }
            email = valid.lowercased()
        }
        let pin = freshPin()
        let linkToken = Secrets.token()
        let now = environment.now()
        let collaborator = ExternalCollaborator(
            id: Secrets.token(), sessionId: id, organisationId: record.organisationId, invitedBy: actor.id, name: name, email: email,
            language: actor.technician.language, approved: ExternalCollaboration.isApproved(email: email, approvedList: settings.approvedExternalTechnicians),
            linkTokenHash: Secrets.hash(linkToken), pin: pin, tokenHash: nil, view: .invitation(at: now), createdAt: now)
        // Counted and added in one step before anything awaits, so concurrent invitations cannot pass the limit together.
        guard collaborators.add(collaborator, maximumPerSession: ExternalCollaboration.maximumPerSession) else {
            throw GatewayError(.tooManyCollaborators, ExternalCollaboration.describe(.tooMany))
        }
        do {
            try await serialised(id) { try await store.saveExternalCollaborator(collaborator) }
        } catch {
            collaborators.set(nil, id: collaborator.id)
            throw error
        }
        try await audit.record(.collaboratorInvited, by: actor, objectType: "session", objectId: id,
                           after: AuditTrail.json(["name": name, "email": email ?? "", "approved": collaborator.approved ? "yes" : "no"]), source: source)
        logger.info("External technician invited", metadata: ["session.id": "\(id)", "collaborator.id": "\(collaborator.id)"])
        return collaboratorView(of: collaborator, link: "\(publicURL)/collaborate/\(linkToken)", pin: pin)
    }

    /// The session's external collaborators, for its lead.
    func externalCollaborators(of id: String, by actor: Actor) async throws -> [CollaboratorView] {
        _ = try await ownedLiveSession(id, by: actor)
        return collaborators.all(in: id).map { collaboratorView(of: $0) }
    }

    /// The lead removes a collaborator (or withdraws the invitation): their console closes.
    func removeExternal(_ collaboratorId: String, from id: String, by actor: Actor) async throws {
        _ = try await ownedLiveSession(id, by: actor)
        guard let collaborator = collaborators[collaboratorId], collaborator.sessionId == id else {
            throw GatewayError(.collaboratorNotFound, "There is no such collaborator in this session.")
        }
        try await moveExternal(collaboratorId, by: .removedByLead, telling: "removed")
        try await audit.record(.collaboratorRemoved, by: actor, objectType: "session", objectId: id,
                           after: AuditTrail.json(["name": collaborator.name]))
    }

    /// The join page: who invites, without using the link or PIN up. Wrong ones count against the
    /// source address like customers' PINs.
    func collaboratorInvitation(_ credential: CollaboratorCredential, from source: String) async throws -> CollaboratorInvitation {
        let collaborator = try await findInvitedCollaborator(credential, from: source)
        return CollaboratorInvitation(sessionName: registry.record(collaborator.sessionId)?.name ?? "",
                                      inviterName: await technicianName(collaborator.invitedBy),
                                      organisation: await organisationName(collaborator.organisationId), name: collaborator.name,
                                      language: collaborator.language, limited: !collaborator.approved)
    }

    /// The external technician accepts: the link and PIN are used up, their view turns Collaboration
    /// and they get the token of their console's socket.
    func joinAsCollaborator(_ credential: CollaboratorCredential, name: String?, from source: String) async throws -> JoinedCollaborator {
        let invited = try await findInvitedCollaborator(credential, from: source)
        var collaborator = invited
        if let name, !name.trimmingCharacters(in: .whitespaces).isEmpty {
            do { collaborator.name = try ExternalCollaboration.validatedName(name) } catch {
                throw GatewayError.badRequest(ExternalCollaboration.describe(error))
            }
        }
        let token = Secrets.token()
        let tokenHash = Secrets.hash(token)
        collaborator.linkTokenHash = nil
        collaborator.pin = nil
        collaborator.tokenHash = tokenHash
        try collaborator.view.handle(.start, at: environment.now())
        // Used up in memory before anything awaits: of concurrent joins with one PIN, exactly one
        // finds the invitation as it was.
        guard collaborators.replace(invited, with: collaborator) else { throw Self.unknownInvitation }
        let id = collaborator.id
        try await serialised(collaborator.sessionId) {
            // Withdrawn or ended while this join waited its turn.
            guard let claimed = collaborators[id], claimed.tokenHash == tokenHash else { throw Self.unknownInvitation }
            do {
                try await store.saveExternalCollaborator(claimed)
            } catch {
                // Only if nothing else changed it meanwhile: then the invitation works again.
                if !collaborators.replace(claimed, with: invited) {
                    logger.warning("A collaborator changed while their join failed", metadata: ["collaborator.id": "\(id)"])
                }
                throw error
            }
        }
        await registry.session(collaborator.sessionId)?.screenRouteChanged()
        try await audit.record(.collaboratorJoined, organisationId: collaborator.organisationId, actorId: nil, actorName: collaborator.name,
                           objectType: "session", objectId: collaborator.sessionId, source: source)
        await logConnection(.collaboratorJoined(name: collaborator.name), sessionId: collaborator.sessionId)
        sockets.sendToApplet(of: collaborator.sessionId, WireCodec.encode(GatewayToApplet.collaborator(.init(name: collaborator.name, joined: true))))
        return JoinedCollaborator(collaboratorId: collaborator.id, token: token, language: collaborator.language)
    }

    private func findInvitedCollaborator(_ credential: CollaboratorCredential, from source: String) async throws -> ExternalCollaborator {
        await catchUpWrongGuesses()
        let now = environment.now()
        try checkGuessLimits(from: source, at: now)
        let match: ExternalCollaborator?
        switch credential {
        case .pin(let typed):
            match = PinCode(typed).flatMap { collaborators.withPin($0.digits) }
        case .link(let token):
            match = collaborators.withLinkHash(Secrets.hash(token))
        }
        // An invitation lasts as long as an unused customer PIN (the connecting timeout).
        // Failures leave the count only with time: a right PIN does not clear it (an attacker would
        // check their own live PIN between guesses).
        guard let collaborator = match, collaborator.view.state == .invitation,
              now.timeIntervalSince(collaborator.createdAt) < timers.connecting else {
            await recordWrongGuess(from: source, at: now)
            throw Self.unknownInvitation
        }
        return collaborator
    }

    /// The collaborator's console said hello with its token: it gets the session and its chat.
    func collaboratorConnected(token: String, outlet: Outlet) async throws -> String {
        let hash = Secrets.hash(token)
        guard let collaborator = collaborators.withTokenHash(hash), let record = registry.record(collaborator.sessionId) else {
            throw GatewayError(.unknownCollaboratorToken, "This collaboration is over or the token is wrong.")
        }
        // A second tab replaces the first.
        sockets.setCollaborator(outlet, for: collaborator.id)?.close(reason: "opened elsewhere")
        let log = try await store.log(sessionId: record.id).filter { $0.kind != .connection }
        outlet.send(WireCodec.encode(GatewayToCollaborator.welcome(CollaboratorWelcome(
            collaboratorId: collaborator.id, sessionId: record.id, sessionName: record.name,
            inviterName: await technicianName(collaborator.invitedBy), organisation: await organisationName(record.organisationId),
            name: collaborator.name, state: collaborator.view.state, limited: !collaborator.approved, log: log))))
        await registry.session(record.id)?.externalConsoleOpened(collaborator.id)
        return collaborator.id
    }

    /// The full console drew an update of the customer's screen: flow control, as a technician's console.
    func collaboratorDrew(_ ack: CollaboratorToGateway.FrameAck, collaboratorId: String, outletId: UUID) throws {
        guard sockets.collaborator(collaboratorId)?.id == outletId, let collaborator = collaborators[collaboratorId],
              screenRelay.forwardFrameAck(ack.sequence, sessionId: collaborator.sessionId, viewer: ScreenRelay.external(collaboratorId),
                                          console: outletId, video: ack.video == true, lostTrack: ack.refresh == true) else {
            throw GatewayError(.notViewing, "You do not see the customer's screen: it is shown in the full collaborator console while the lead's remote desktop runs.")
        }
    }

    /// A chat line from the collaborator: the customer, the lead and other collaborators see it.
    func collaboratorSaid(_ text: String, collaboratorId: String, outletId: UUID) async throws {
        guard sockets.collaborator(collaboratorId)?.id == outletId, let collaborator = collaborators[collaboratorId],
              collaborator.view.state == .collaboration, let record = registry.record(collaborator.sessionId) else {
            throw GatewayError(.chatUnavailable, "The collaboration is over.")
        }
        guard record.machine.state == .active || record.machine.state == .collaboration else {
            throw GatewayError(.chatUnavailable, "Chat is possible only while the session is active.")
        }
        if record.chatDisabled { throw GatewayError.chatDisabled }
        let clean: String
        do { clean = try ChatText.validated(text) } catch { throw GatewayError.badRequest(Self.describe(error)) }
        let now = environment.now()
        await registry.session(record.id)?.recordActivity(at: now)
        let entry = try await store.appendLog(sessionId: record.id, at: now, kind: .chat, authorRole: .technician,
                                              author: collaborator.name, text: clean, state: nil)
        await publish(entry, to: record)
        sockets.sendToApplet(of: record.id, WireCodec.encode(GatewayToApplet.chat(entry)))
    }

    /// The collaborator left; the session goes on.
    func collaboratorLeft(collaboratorId: String, outletId: UUID) async throws {
        guard sockets.collaborator(collaboratorId)?.id == outletId else { return }
        try await moveExternal(collaboratorId, by: .end, telling: "left")
    }

    /// Whether this socket said a hello that was accepted (see `HelloDeadline`).
    func hasCollaborator(outletId: UUID) -> Bool {
        sockets.collaboratorId(ofOutlet: outletId) != nil
    }

    func collaboratorDisconnected(outletId: UUID) {
        guard let collaboratorId = sockets.collaboratorId(ofOutlet: outletId) else { return }
        sockets.removeCollaborator(collaboratorId)
    }

    /// An invitation that could not be delivered is withdrawn: nothing is left half-done.
    func withdrawExternal(_ collaboratorId: String) async {
        do { try await moveExternal(collaboratorId, by: .removedByLead, telling: "removed") } catch {
            logger.error("Could not withdraw an invitation", metadata: ["collaborator.id": "\(collaboratorId)", "error": "\(error)"])
        }
    }

    /// Moves one collaborator's view; a closed view ends their console with `reason`.
    private func moveExternal(_ collaboratorId: String, by event: SessionEvent, telling reason: String) async throws {
        guard let sessionId = collaborators[collaboratorId]?.sessionId else { return }
        try await serialised(sessionId) { try await moveExternalNow(collaboratorId, by: event, telling: reason) }
    }

    private func moveExternalNow(_ collaboratorId: String, by event: SessionEvent, telling reason: String) async throws {
        guard var collaborator = collaborators[collaboratorId] else { return }
        let wasCollaborating = collaborator.view.state != .invitation
        let previous = collaborator
        try collaborator.view.handle(event, at: environment.now())
        collaborators.set(collaborator.isOpen ? collaborator : nil, id: collaboratorId)
        do {
            try await store.saveExternalCollaborator(collaborator)
        } catch {
            collaborators.set(previous, id: collaboratorId)
            throw error
        }
        // Who watches the customer's screen may have changed (left, removed, the machine restarting).
        await registry.session(collaborator.sessionId)?.screenRouteChanged()
        guard !collaborator.isOpen else {
            sockets.collaborator(collaboratorId)?.send(WireCodec.encode(GatewayToCollaborator.state(collaborator.view.state)))
            return
        }
        if let outlet = sockets.removeCollaborator(collaboratorId) {
            outlet.send(WireCodec.encode(GatewayToCollaborator.ended(.init(reason: reason))))
            outlet.close(reason: reason)
        }
        if wasCollaborating && reason != "session ended" {
            await logConnection(.collaboratorLeft(name: collaborator.name), sessionId: collaborator.sessionId)
            sockets.sendToApplet(of: collaborator.sessionId, WireCodec.encode(GatewayToApplet.collaborator(.init(name: collaborator.name, joined: false))))
        }
    }

    /// After the lead's view moved: every collaborator of the session follows (the session ended,
    /// the customer left, the machine restarts).
    func followExternalCollaborators(of record: SessionRecord, event: SessionEvent) async {
        for collaborator in collaborators.all(in: record.id) {
            guard let viewEvent = ExternalCollaboration.viewEvent(forLead: event, leadState: record.machine.state,
                                                                  viewState: collaborator.view.state) else { continue }
            do {
                try await moveExternal(collaborator.id, by: viewEvent, telling: "session ended")
            } catch {
                logger.error("A collaborator's view could not follow its session",
                             metadata: ["session.id": "\(record.id)", "collaborator.id": "\(collaborator.id)", "error": "\(error)"])
            }
        }
    }

    /// Sends a chat or status line to the session's collaborators.
    func publishToCollaborators(_ entry: LogEntry, sessionId: String) {
        guard entry.kind != .connection else { return }
        let message = WireCodec.encode(GatewayToCollaborator.log(entry))
        for collaborator in collaborators.all(in: sessionId) where collaborator.view.state != .invitation {
            sockets.collaborator(collaborator.id)?.send(message)
        }
    }

    /// A line for the technicians' chat pane about who joined or left.
    private func logConnection(_ event: SessionLogEvent, sessionId: String) async {
        guard let record = registry.record(sessionId) else { return }
        do {
            let entry = try await store.appendLog(sessionId: sessionId, at: environment.now(), kind: .connection, authorRole: .system,
                                                  author: "", text: event.englishText, state: nil, event: event)
            await publish(entry, to: record)
        } catch {
            logger.error("Could not log a collaborator's arrival", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
        }
    }
}
