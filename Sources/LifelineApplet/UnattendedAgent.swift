import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HummingbirdWSClient
import LifelineCore
import LifelineProtocol
import Logging
import NIOCore

/// `lifeline-applet --agent FILE`: an unattended computer's agent (F5). It keeps a socket to the
/// gateway so the computer shows online in the technician's Computers list, after a handshake in
/// which the gateway proves the key pinned at enrolment and the agent its own. A gateway that
/// cannot sign with the pinned key is never trusted: the agent tries again later. When the computer
/// is removed from the list, the agent uninstalls itself.
public struct UnattendedAgent: Sendable {
    let stateFile: String
    let logger: Logger
    let backoff = Backoff(base: 1, maximum: 60)
    /// The host keys of LAN machines this computer connected to, when it is a LAN connector (F4).
    let knownHosts: LanKnownHosts

    public init(stateFile: String, logger: Logger) {
        self.stateFile = stateFile
        self.logger = logger
        knownHosts = LanKnownHosts.beside(stateFile: stateFile)
    }

    enum Outcome: Equatable {
        /// The connection ended after the computer was online: try again soon.
        case lost(wasOnline: Bool)
        /// The computer is no longer in the list.
        case removed
    }

    /// Runs until the computer is removed (then the agent is uninstalled and this returns).
    public func run() async throws {
        let state = try AgentState.load(from: stateFile)
        if AppletTrust.caFile == nil, let trusted = state.caFile { try AppletTrust.trust(caFile: trusted) }
        var attempt = 0
        while true {
            let outcome = await connectOnce(state)
            if outcome == .removed {
                logger.notice("This computer was removed from the Computers list: the agent uninstalls itself")
                AgentInstallation.forThisAccount().uninstall(logger: logger)
                return
            }
            attempt = outcome == .lost(wasOnline: true) ? 0 : attempt + 1
            try await Task.sleep(for: .seconds(backoff.delay(attempt: attempt, unit: Double.random(in: 0..<1))))
        }
    }

    /// `--uninstall-agent`: the computer leaves the Computers list (the agent proves itself first),
    /// then everything is removed here. Returns false when the gateway could not be told: the files
    /// go anyway, and the computer shows offline until someone removes it from the list.
    public static func uninstall(logger: Logger) async -> Bool {
        let installation = AgentInstallation.forThisAccount()
        let told: Bool
        do {
            let state = try AgentState.load(from: installation.stateFile)
            told = await UnattendedAgent(stateFile: installation.stateFile, logger: logger).connectOnce(state, leaving: true) == .removed
        } catch {
            logger.warning("No agent settings to read", metadata: ["error": "\(error)"])
            told = false
        }
        installation.uninstall(logger: logger)
        return told
    }

    func connectOnce(_ state: AgentState, leaving: Bool = false) async -> Outcome {
        let handshake = AgentSide(state: state)
        let online = StopFlag()
        do {
            let url = Applet.socketURL(URL(string: state.gateway)!, path: "/ws/agent")
            try await Applet.connectSocket(url: url, proxy: state.proxy, logger: logger) { inbound, outbound, _ in
                try await outbound.write(.text(WireCodec.encode(AgentToGateway.hello(handshake.hello))))
                // A LAN connection takes seconds (SSH, a copy): it runs beside the socket's reading.
                try await withThrowingDiscardingTaskGroup { work in
                    for try await frame in inbound.messages(maxSize: WireProtocol.maximumFrameBytes) {
                        guard case .text(let text) = frame else { continue }
                        switch try WireCodec.decode(text, as: GatewayToAgent.self) {
                        case .challenge(let challenge):
                            // A gateway that cannot sign with the pinned key is not ours: stop here.
                            let proof = try handshake.answer(challenge)
                            try await outbound.write(.text(WireCodec.encode(AgentToGateway.proof(proof))))
                        case .welcome(let welcome):
                            online.raise()
                            if leaving {
                                try await outbound.write(.text(WireCodec.encode(AgentToGateway.leave)))
                                continue
                            }
                            logger.notice("Online for unattended access", metadata: ["computer.id": "\(state.deviceId)", "computer.name": "\(welcome.name)"])
                        case .removed:
                            throw AgentSide.Removed()
                        case .connect(let order):
                            work.addTask {
                                let answer = await AgentConnections.start(order, state: state, logger: logger)
                                try await outbound.write(.text(WireCodec.encode(AgentToGateway.connectAnswer(answer))))
                            }
                        case .lanList(let order):
                            work.addTask {
                                let machines = await LanDiscovery.machines(subnets: order.subnets, logger: logger)
                                try await outbound.write(.text(WireCodec.encode(AgentToGateway.lanMachines(.init(requestId: order.requestId, machines: machines)))))
                            }
                        case .lanConnect(let order):
                            work.addTask {
                                let answer = await LanConnector.connect(order, gateway: state.gateway, knownHosts: knownHosts, logger: logger)
                                try await outbound.write(.text(WireCodec.encode(AgentToGateway.lanConnectAnswer(answer))))
                            }
                        case .error(let error):
                            logger.warning("The gateway refused the agent", metadata: ["error.code": "\(error.code)", "error": "\(error.message)"])
                            if error.code == "not_found" { throw AgentSide.Removed() }
                        }
                    }
                }
            }
        } catch is AgentSide.Removed {
            return .removed
        } catch {
            logger.warning("The agent's connection failed", metadata: ["error": "\(error)"])
        }
        return .lost(wasOnline: online.isRaised)
    }
}

/// The agent's half of the handshake: its nonce, the gateway's signature checked with the pinned
/// key, its own signature over both.
struct AgentSide: Sendable {
    struct Removed: Error {}

    struct Impostor: Error, CustomStringConvertible {
        var description: String { "the gateway did not sign with the key pinned at enrolment: not trusted" }
    }

    let state: AgentState
    let nonce = Data((0..<AgentHandshake.nonceBytes).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()

    var hello: AgentToGateway.AgentHello { .init(deviceId: state.deviceId, nonce: nonce) }

    func answer(_ challenge: GatewayToAgent.GatewayChallenge) throws -> AgentToGateway.AgentProof {
        let statement = AgentHandshake.gatewayStatement(deviceId: state.deviceId, agentNonce: nonce, gatewayNonce: challenge.nonce)
        guard let signature = Data(base64Encoded: challenge.signature),
              try state.pinnedGatewayKey.isValidSignature(signature, for: statement) else { throw Impostor() }
        let mine = AgentHandshake.agentStatement(deviceId: state.deviceId, agentNonce: nonce, gatewayNonce: challenge.nonce)
        return .init(signature: try state.signingKey.signature(for: mine).base64EncodedString())
    }
}
