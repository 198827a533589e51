import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// LAN connections (F4): an administrator makes a computer's agent a connector for some subnets;
/// a technician with `lan_connection` lists that network's machines through it and starts the
/// applet on one with credentials that pass through the gateway's memory to the connector, and
/// are never stored or logged. The session is the technician's, like one they created.
extension SessionHub {
    static let notAConnector = GatewayError(.notLanConnector, "This computer is not a LAN connector: an administrator makes it one.")

    func lanConnectors(for actor: Actor) async throws -> [LanConnectorSummary] {
        try actor.require(.lanConnection)
        return try await store.lanConnectors(organisationId: actor.technician.organisationId).map { device in
            LanConnectorSummary(id: device.id, name: device.name, online: onlineAgents.isOnline(device.id), subnets: device.lanSubnets ?? [])
        }
    }

    /// An administrator's change: the computer's subnets (each checked), or nil when it stops being a connector.
    func setLanConnector(_ computerId: String, subnets: [String]?, by actor: Actor, source: String) async throws {
        guard actor.technician.role.isAdministrator else { throw GatewayError.administratorsOnly }
        let found = try await store.device(id: computerId)
        guard let device = found, device.organisationId == actor.technician.organisationId else { throw GatewayError(.notFound, "No such computer.") }
        var checked: [String]?
        if let subnets {
            guard subnets.count <= 16 else { throw GatewayError.badRequest("A connector checks at most 16 subnets.") }
            checked = []
            for text in subnets {
                do {
                    checked?.append(try LanSubnet(text).description)
                } catch {
                    throw GatewayError.badRequest(error.description)
                }
            }
        }
        guard try await store.setLanSubnets(deviceId: computerId, checked) else { throw GatewayError(.notFound, "No such computer.") }
        try await audit.record(.lanConnectorChanged, by: actor, objectType: "computer", objectId: computerId,
                               before: AuditTrail.json(["subnets": device.lanSubnets.map { $0.joined(separator: " ") } ?? "not a connector"]),
                               after: AuditTrail.json(["subnets": checked.map { $0.joined(separator: " ") } ?? "not a connector"]), source: source)
    }

    func listLan(through computerId: String, by actor: Actor) async throws -> [LanMachine] {
        let (device, agent) = try await connector(computerId, for: actor)
        let requestId = UUID().uuidString
        let answer = await pendingLanListings.answer(for: requestId, from: computerId, within: environment.lanListingDeadline) {
            agent.send(WireCodec.encode(GatewayToAgent.lanList(.init(requestId: requestId, subnets: device.lanSubnets ?? []))))
        }
        guard let answer else {
            throw GatewayError(.computerNotAnswering, "\(device.name) did not list its network within \(environment.lanListingDeadline.components.seconds) s.")
        }
        return answer.machines
    }

    func connectLan(through computerId: String, _ request: LanConnectRequest, by actor: Actor, source: String) async throws -> LanConnection {
        let (device, agent) = try await connector(computerId, for: actor)
        let port = request.port ?? 22
        guard let address = LanSubnet.address(request.address) else { throw GatewayError.badRequest("address is an IPv4 address such as 192.168.1.20.") }
        let subnets = allowedSubnets(of: device)
        guard subnets.contains(where: { $0.contains(address) }) else {
            throw GatewayError.badRequest("\(request.address) is outside the subnets an administrator allowed for \(device.name): "
                                          + (subnets.isEmpty ? "none." : subnets.map(\.description).joined(separator: ", ") + "."))
        }
        guard (1...65_535).contains(port) else { throw GatewayError.badRequest("port is 1 to 65535.") }
        guard !request.username.isEmpty, request.username.count <= 64, request.username.allSatisfy({ !$0.isNewline && $0.asciiValue.map { $0 >= 32 } ?? true }) else {
            throw GatewayError.badRequest("username is 1 to 64 characters on one line.")
        }
        guard !request.password.isEmpty, request.password.utf8.count <= 1_024 else { throw GatewayError.badRequest("password is 1 to 1,024 bytes.") }
        let created = try await createSession(by: actor, name: request.address, method: .link)
        let sessionId = created.summary.id
        guard let link = created.link else { throw GatewayError(.internalError, "The session has no link.") }
        let requestId = UUID().uuidString
        let order = GatewayToAgent.LanConnect(requestId: requestId, sessionId: sessionId, address: request.address, port: port,
                                              username: request.username, password: request.password, link: link,
                                              technician: actor.technician.name)
        let answer = await pendingLanConnects.answer(for: requestId, from: computerId, within: environment.lanConnectDeadline) {
            agent.send(WireCodec.encode(GatewayToAgent.lanConnect(order)))
        }
        guard let record = try await store.session(id: sessionId) else { throw GatewayError(.sessionNotFound, "The session is gone.") }
        guard let answer, answer.started, let hostKey = answer.hostKey else {
            let failure = Self.lanFailure(answer, address: request.address, connector: device.name, waited: environment.lanConnectDeadline)
            try await logEvent(.lanConnectionRefused(reason: failure.message), in: record)
            _ = try await perform(.end, on: sessionId, by: actor)
            throw failure
        }
        try await logEvent(.lanConnection(technician: actor.technician.name, address: request.address, fingerprint: hostKey), in: record)
        try await audit.record(.lanConnected, by: actor, objectType: "computer", objectId: computerId,
                               after: AuditTrail.json(["session": sessionId, "address": request.address, "user": request.username,
                                                       "hostKey": hostKey, "pinnedNow": answer.hostKeyPinnedNow ? "yes" : "no"]),
                               source: source)
        return LanConnection(sessionId: sessionId, hostKey: hostKey, hostKeyPinnedNow: answer.hostKeyPinnedNow)
    }

    /// The connector a technician may use: one of their organisation's, online.
    private func connector(_ computerId: String, for actor: Actor) async throws -> (UnattendedDevice, Outlet) {
        try actor.require(.lanConnection)
        let found = try await store.device(id: computerId)
        guard let device = found, device.organisationId == actor.technician.organisationId else { throw GatewayError(.notFound, "No such computer.") }
        guard device.lanSubnets != nil else { throw Self.notAConnector }
        guard let agent = onlineAgents.outlet(of: computerId) else {
            throw GatewayError(.computerOffline, "\(device.name) is offline: its agent is not connected.")
        }
        return (device, agent)
    }

    /// The connector's subnets, checked when they were set; one the store gives back unreadable is
    /// logged and left out, so nothing outside what the administrator wrote is ever allowed.
    private func allowedSubnets(of device: UnattendedDevice) -> [LanSubnet] {
        (device.lanSubnets ?? []).compactMap { text in
            do {
                return try LanSubnet(text)
            } catch {
                logger.error("A LAN connector's stored subnet is unreadable", metadata: ["computer.id": "\(device.id)", "subnet": "\(text)",
                                                                                       "error": "\(error)"])
                return nil
            }
        }
    }

    static func lanFailure(_ answer: AgentToGateway.LanConnectAnswer?, address: String, connector: String, waited: Duration) -> GatewayError {
        guard let answer else { return GatewayError(.computerNotAnswering, "\(connector) did not answer within \(waited.components.seconds) s.") }
        let reason = answer.reason ?? "no reason given"
        switch answer.failure {
        case .unreachable: return GatewayError(.lanUnreachable, "\(address) cannot be reached from \(connector): \(reason).")
        case .authenticationFailed: return GatewayError(.credentialsRefused, "\(address) refused the user name or password.")
        case .hostKeyChanged: return GatewayError(.lanHostKeyChanged, "Not connected: \(reason). Someone may be impersonating it, or it was reinstalled.")
        case .startFailed, nil: return GatewayError(.lanStartFailed, "The applet could not be started on \(address): \(reason).")
        }
    }
}
