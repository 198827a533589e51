import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Connecting to an unattended computer (F5): the gateway checks the technician, the computer and
/// its rules, opens a link session for the technician and sends the link to the computer's agent,
/// which checks its own copy of the rules (the gateway cannot widen them) before it starts the
/// applet. The session then goes on like any other.
extension SessionHub {
    func connectUnattended(_ computerId: String, credentials: UnattendedConnectRequest = .init(), by actor: Actor,
                           source: String) async throws -> UnattendedConnection {
        try actor.require(.unattendedAccess)
        let found = try await store.device(id: computerId)
        guard let device = found, device.organisationId == actor.technician.organisationId,
              device.technicianId == actor.id || (device.groupId != nil && device.groupId == actor.technician.groupId) else {
            throw GatewayError(.notFound, "No such computer.")
        }
        guard let zone = FoundationZone(device.rules.timeZone) else {
            throw GatewayError(.outsideApprovedHours, "\(device.rules.timeZone) is not a time zone this gateway knows.")
        }
        let verdict = device.rules.verdict(at: environment.now(), approvedAt: device.approvedAt, zone: zone)
        guard verdict == .allowed else { throw GatewayError(.outsideApprovedHours, "Not now: " + Self.words(for: verdict, of: device.name)) }
        // The customer's choice; the agent checks the credentials with the computer's own rules (PAM).
        if device.rules.credentials == .atEachConnection {
            guard let username = credentials.username, !username.isEmpty, username.count <= 64,
                  let password = credentials.password, !password.isEmpty, password.utf8.count <= 1_024 else {
                throw GatewayError.badRequest("\(device.name) asks for a user name and password of the computer at each connection.")
            }
        }
        guard let agent = onlineAgents.outlet(of: computerId) else {
            throw GatewayError(.computerOffline, "\(device.name) is offline: its agent is not connected.")
        }
        let created = try await createSession(by: actor, name: device.name, method: .link)
        let sessionId = created.summary.id
        guard let link = created.link else { throw GatewayError(.internalError, "The session has no link.") }
        let answer = await pendingConnects.answer(for: sessionId, from: computerId, within: environment.agentAnswerDeadline) {
            agent.send(WireCodec.encode(GatewayToAgent.connect(.init(sessionId: sessionId, link: link, technician: actor.technician.name,
                                                                     username: credentials.username, password: credentials.password))))
        }
        guard let record = try await store.session(id: sessionId) else { throw GatewayError(.sessionNotFound, "The session is gone.") }
        guard let answer, answer.started else {
            let failure = answer.map { answer in
                answer.credentialsRefused == true
                    ? GatewayError(.credentialsRefused, "\(device.name) refused the user name or password.")
                    : answer.verdict.map { GatewayError(.outsideApprovedHours, "The computer's agent refused: " + Self.words(for: $0, of: device.name)) }
                    ?? GatewayError(.computerNotAnswering, "The computer's agent could not start the applet: \(answer.reason ?? "no reason given").")
            } ?? GatewayError(.computerNotAnswering, "\(device.name)'s agent did not answer within \(environment.agentAnswerDeadline.components.seconds) s.")
            try await logEvent(.unattendedConnectionRefused(reason: failure.message), in: record)
            _ = try await perform(.end, on: sessionId, by: actor)
            throw failure
        }
        try await logEvent(.unattendedConnection(technician: actor.technician.name, name: device.name), in: record)
        try await audit.record(.unattendedConnected, by: actor, objectType: "computer", objectId: computerId,
                               after: AuditTrail.json(["session": sessionId, "name": device.name]), source: source)
        return UnattendedConnection(sessionId: sessionId)
    }

    func agentConnectAnswer(_ answer: AgentToGateway.AgentConnectAnswer, from deviceId: String) {
        pendingConnects.resolve(answer.sessionId, with: answer, from: deviceId)
    }

    static func words(for verdict: UnattendedRules.Verdict, of name: String) -> String {
        switch verdict {
        case .allowed: "\(name) may be connected to now."
        case .notYet: "the access the customer approved for \(name) has not started yet."
        case .expired: "the access the customer approved for \(name) is over."
        case .outsideHours: "it is outside the daily hours the customer approved for \(name)."
        }
    }
}
