import Crypto
import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Agents of unattended computers online (F5): the two-way signed handshake, then presence.
extension SessionHub {
    static let unknownComputer = GatewayError(.notFound, "No such computer: it was removed from the Computers list, or never enrolled here.")

    /// One agent message in its handshake; returns where the connection is next.
    func agentSaid(_ message: AgentToGateway, in state: AgentHandshakeState, outlet: Outlet, source: String) async throws -> AgentHandshakeState {
        switch (state, message) {
        case (.waitingForHello, .hello(let hello)):
            guard let nonce = Data(base64Encoded: hello.nonce), nonce.count == AgentHandshake.nonceBytes else {
                throw GatewayError.badRequest("nonce is \(AgentHandshake.nonceBytes) random bytes in base64.")
            }
            guard try await store.device(id: hello.deviceId) != nil else { throw Self.unknownComputer }
            let gatewayNonce = Data((0..<AgentHandshake.nonceBytes).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let signature = try gatewayIdentity.sign(AgentHandshake.gatewayStatement(deviceId: hello.deviceId, agentNonce: hello.nonce,
                                                                                     gatewayNonce: gatewayNonce))
            outlet.send(WireCodec.encode(GatewayToAgent.challenge(.init(nonce: gatewayNonce, signature: signature))))
            return .challenged(deviceId: hello.deviceId, agentNonce: hello.nonce, gatewayNonce: gatewayNonce)
        case (.challenged(let deviceId, let agentNonce, let gatewayNonce), .proof(let proof)):
            guard let device = try await store.device(id: deviceId) else { throw Self.unknownComputer }
            let statement = AgentHandshake.agentStatement(deviceId: deviceId, agentNonce: agentNonce, gatewayNonce: gatewayNonce)
            guard Self.verify(proof.signature, of: statement, by: device.publicKey) else {
                logger.warning("An agent's signature did not match its computer's key", metadata: ["computer.id": "\(deviceId)", "source": "\(source)"])
                throw GatewayError(.permissionDenied, "This signature is not the computer's: the agent's key does not match the one it enrolled with.")
            }
            if let older = onlineAgents.connected(deviceId: deviceId, outlet: outlet), older.id != outlet.id {
                older.close(reason: "replaced by a newer connection of the same computer")
            }
            try await store.deviceSeen(id: deviceId, at: environment.now())
            outlet.send(WireCodec.encode(GatewayToAgent.welcome(.init(name: device.name))))
            return .online(deviceId: deviceId)
        case (.online(let deviceId), .connectAnswer(let answer)):
            agentConnectAnswer(answer, from: deviceId)
            return state
        case (.online(let deviceId), .lanMachines(let answer)):
            pendingLanListings.resolve(answer.requestId, with: answer, from: deviceId)
            return state
        case (.online(let deviceId), .lanConnectAnswer(let answer)):
            pendingLanConnects.resolve(answer.requestId, with: answer, from: deviceId)
            return state
        case (.online(let deviceId), .leave):
            try await computerLeft(deviceId, source: source)
            outlet.send(WireCodec.encode(GatewayToAgent.removed))
            outlet.close(reason: "computer removed")
            return .waitingForHello
        case (.waitingForHello, .proof), (.waitingForHello, .leave), (.challenged, .leave), (.waitingForHello, .connectAnswer), (.challenged, .connectAnswer),
             (.waitingForHello, .lanMachines), (.challenged, .lanMachines), (.waitingForHello, .lanConnectAnswer), (.challenged, .lanConnectAnswer):
            throw GatewayError(.helloExpected, "Send hello with the computer's id first.")
        case (.challenged, .hello), (.online, _):
            throw GatewayError(.alreadyConnected, "This socket already said hello.")
        }
    }

    /// The customer uninstalled the agent on the computer: it leaves the list, audited as theirs.
    func computerLeft(_ deviceId: String, source: String) async throws {
        guard let device = try await store.device(id: deviceId) else { throw Self.unknownComputer }
        guard try await store.deleteDevice(id: deviceId) else { throw Self.unknownComputer }
        _ = onlineAgents.remove(deviceId)
        try await audit.record(.unattendedRemoved, organisationId: device.organisationId, actorId: nil, actorName: "customer",
                               objectType: "computer", objectId: deviceId, after: AuditTrail.json(["name": device.name, "by": "the computer's agent"]),
                               source: source)
    }

    func agentDisconnected(outletId: UUID) async {
        guard let deviceId = onlineAgents.disconnected(outletId: outletId) else { return }
        do {
            try await store.deviceSeen(id: deviceId, at: environment.now())
        } catch {
            logger.error("Could not note when a computer was last seen", metadata: ["computer.id": "\(deviceId)", "error": "\(error)"])
        }
    }

    static func verify(_ signature: String, of statement: Data, by publicKey: String) -> Bool {
        guard let signatureBytes = Data(base64Encoded: signature), let keyBytes = Data(base64Encoded: publicKey) else { return false }
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: keyBytes).isValidSignature(signatureBytes, for: statement)
        } catch {
            return false
        }
    }
}
