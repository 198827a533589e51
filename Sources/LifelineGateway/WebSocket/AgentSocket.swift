import Crypto
import Foundation
import HummingbirdWebSocket
import LifelineProtocol
import Logging

/// `/ws/agent`: an unattended computer's agent (F5). It says `hello` with its computer's id and a
/// nonce; the gateway answers with its own nonce and its signature over both (the agent checks it
/// with the key it pinned); the agent's `proof` signs them with its own key, checked against the
/// public key kept at enrolment. Only then is the computer online.
struct AgentSocket {
    let hub: SessionHub
    let helloDeadline: Duration

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<GatewayRequestContext>) async {
        let (outlet, frames) = Outlet.make()
        let hub = self.hub
        let logger = context.logger
        let source = context.requestContext.remoteAddress
        let deadline = HelloDeadline.start(after: helloDeadline, outlet: outlet,
                                           error: Self.error(code: .helloExpected, message: "Send hello with the computer's id first.")) {
            hub.onlineAgents.holds(outletId: outlet.id)
        }
        await SocketPump.run(outlet: outlet, frames: frames, outbound: outbound, logger: logger) {
            var handshake = AgentHandshakeState.waitingForHello
            try await inbound.eachMessage(AgentToGateway.self, refuse: { outlet.send(Self.error(code: $0, message: $1)) }) { request in
                do {
                    handshake = try await hub.agentSaid(request, in: handshake, outlet: outlet, source: source)
                } catch let error as GatewayError {
                    outlet.send(Self.error(code: error.code, message: error.message))
                    if case .online = handshake {} else { outlet.close(reason: error.code) }
                } catch {
                    logger.error("An agent message failed", metadata: ["error": "\(error)"])
                    outlet.send(Self.error(code: .internalError, message: "Something went wrong on the gateway. Try again in a moment."))
                }
            }
        }
        deadline.cancel()
        await hub.agentDisconnected(outletId: outlet.id)
    }

    static func error(code: ErrorCode, message: String) -> String {
        error(code: code.rawValue, message: message)
    }

    static func error(code: String, message: String) -> String {
        WireCodec.encode(GatewayToAgent.error(.init(code: code, message: message)))
    }
}

/// Where one agent connection is in its handshake.
enum AgentHandshakeState: Sendable {
    case waitingForHello
    case challenged(deviceId: String, agentNonce: String, gatewayNonce: String)
    case online(deviceId: String)
}
