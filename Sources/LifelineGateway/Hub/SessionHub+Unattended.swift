import Crypto
import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Unattended computers (F5): the request in a session, the agent's enrolment, the Computers list.
extension SessionHub {
    func requestUnattended(_ message: UnattendedRequestMessage, by actor: Actor) async throws {
        _ = try await ownedLiveSession(message.sessionId, by: actor)
        try await liveSession(message.sessionId, for: actor).unattendedRequest(message, by: actor)
    }

    func appletUnattendedAnswer(accepted: Bool, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletUnattendedAnswer(accepted: accepted, outletId: outletId)
    }

    static let unknownEnrolment = GatewayError(.unknownAppletToken, "This enrolment token is unknown, used or expired: ask the technician to request unattended access again.")

    /// The agent's first contact: its public key and the one-time token; the computer joins the
    /// Computers list of the technician who asked, with the rules the customer approved.
    func enrol(_ enrolment: AgentEnrolment, from source: String) async throws -> EnrolledAgent {
        let notAKey = GatewayError.badRequest("publicKey is an Ed25519 public key: 32 bytes in base64.")
        guard let raw = Data(base64Encoded: enrolment.publicKey), raw.count == 32 else { throw notAKey }
        do { _ = try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch { throw notAKey }
        let name = enrolment.name.trimmed, hostname = enrolment.hostname.trimmed
        for (field, value) in [("name", name), ("hostname", hostname)] {
            guard (1...128).contains(value.count), !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw GatewayError.badRequest("\(field) is 1 to 128 characters on one line.")
            }
        }
        guard (20...100).contains(enrolment.token.utf8.count) else { throw Self.unknownEnrolment }
        let now = environment.now()
        guard let approved = try await store.useEnrolment(tokenHash: Secrets.hash(enrolment.token), now: now),
              let record = try await store.session(id: approved.sessionId) else { throw Self.unknownEnrolment }
        // Checked again at the approval's time: a range may have ended while the customer read it.
        if let problem = approved.rules.problem(approvedAt: now, zone: FoundationZone(approved.rules.timeZone)) { throw GatewayError.badRequest(problem) }
        let device = UnattendedDevice(id: UUID().uuidString.lowercased(), organisationId: record.organisationId, technicianId: approved.technicianId,
                                      name: name, hostname: hostname, publicKey: enrolment.publicKey, rules: approved.rules,
                                      approvedAt: now, createdAt: now)
        try await store.insertDevice(device)
        try await audit.record(.unattendedGranted, organisationId: record.organisationId, actorId: nil, actorName: "customer",
                               objectType: "computer", objectId: device.id,
                               after: AuditTrail.json(["session": record.id, "name": name, "technician": approved.technicianId]), source: source)
        try await logEvent(.unattendedGranted(name: name), in: record)
        sockets.sendToConsoles(of: approved.technicianId, WireCodec.encode(GatewayToConsole.unattendedResult(.init(
            sessionId: record.id, outcome: .enrolled, computerId: device.id))))
        return EnrolledAgent(deviceId: device.id, gatewayKey: gatewayIdentity.publicKey)
    }

    /// The computers a technician may connect to: their own and their group's.
    func computers(for actor: Actor) async throws -> [ComputerSummary] {
        try actor.require(.unattendedAccess)
        let now = environment.now()
        return try await store.devices(technicianId: actor.id, groupId: actor.technician.groupId).map { device in
            ComputerSummary(id: device.id, name: device.name, hostname: device.hostname, rules: device.rules, approvedAt: device.approvedAt,
                            lastSeenAt: device.lastSeenAt, online: onlineAgents.isOnline(device.id), shared: device.technicianId != actor.id,
                            available: FoundationZone(device.rules.timeZone).map { device.rules.verdict(at: now, approvedAt: device.approvedAt, zone: $0) }
                                ?? .expired)
        }
    }

    /// Removes a computer of one's own (a shared one is not deleted from a technician's list, as the
    /// manual says); an administrator removes any of the organisation's.
    func deleteComputer(_ id: String, by actor: Actor) async throws {
        try actor.require(.unattendedAccess)
        let found = try await store.device(id: id)
        guard let device = found, device.organisationId == actor.technician.organisationId,
              device.technicianId == actor.id || device.groupId == actor.technician.groupId || actor.technician.role.isAdministrator else {
            throw GatewayError(.notFound, "No such computer.")
        }
        if device.technicianId != actor.id && !actor.technician.role.isAdministrator {
            throw GatewayError(.permissionDenied, "A computer shared with your group is removed by its owner or an administrator.")
        }
        guard try await store.deleteDevice(id: id) else { throw GatewayError(.notFound, "No such computer.") }
        // Its agent, if connected, uninstalls itself.
        if let agent = onlineAgents.remove(id) {
            agent.send(WireCodec.encode(GatewayToAgent.removed))
            agent.close(reason: "computer removed")
        }
        try await audit.record(.unattendedRemoved, organisationId: device.organisationId, actorId: actor.id, actorName: actor.technician.name,
                               objectType: "computer", objectId: id, after: AuditTrail.json(["name": device.name]))
    }
}
