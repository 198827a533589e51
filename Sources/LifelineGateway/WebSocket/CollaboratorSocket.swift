import Foundation
import HummingbirdWebSocket
import LifelineProtocol
import Logging

/// `/ws/collaborator`: an external technician's console (I2). Its first frame must be `hello`
/// with the collaborator token from `POST /api/v1/collaborators/join`. The full console (approved
/// list) also gets the customer's screen as binary frames while the lead's remote desktop runs.
struct CollaboratorSocket {
    let hub: SessionHub
    let helloDeadline: Duration

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<GatewayRequestContext>) async {
        let (outlet, frames) = Outlet.make()
        let hub = self.hub
        let logger = context.logger
        let deadline = HelloDeadline.start(after: helloDeadline, outlet: outlet,
                                           error: Self.error(code: .helloExpected, message: "Send hello with the collaborator token first.")) {
            hub.hasCollaborator(outletId: outlet.id)
        }
        await SocketPump.run(outlet: outlet, frames: frames, outbound: outbound, logger: logger) {
            var collaboratorId: String?
            try await inbound.eachMessage(CollaboratorToGateway.self, refuse: { outlet.send(Self.error(code: $0, message: $1)) }) { request in
                do {
                    switch (collaboratorId, request) {
                    case (nil, .hello(let hello)):
                        collaboratorId = try await hub.collaboratorConnected(token: hello.token, outlet: outlet)
                    case (nil, _):
                        outlet.send(Self.error(code: .helloExpected, message: "Send hello with the collaborator token first."))
                        outlet.close(reason: "no hello")
                    case (.some, .hello):
                        outlet.send(Self.error(code: .alreadyConnected, message: "This socket already said hello."))
                    case (.some(let id), .chat(let chat)):
                        try await hub.collaboratorSaid(chat.text, collaboratorId: id, outletId: outlet.id)
                    case (.some(let id), .leave):
                        try await hub.collaboratorLeft(collaboratorId: id, outletId: outlet.id)
                    case (.some(let id), .frameAck(let ack)):
                        try hub.collaboratorDrew(ack, collaboratorId: id, outletId: outlet.id)
                    }
                } catch let error as GatewayError {
                    outlet.send(Self.error(code: error.code, message: error.message))
                    if collaboratorId == nil { outlet.close(reason: error.code) }
                } catch {
                    // The gateway's fault (a store error): logged, and the collaborator keeps the connection.
                    logger.error("A collaborator message failed", metadata: ["collaborator.id": "\(collaboratorId ?? "")", "error": "\(error)"])
                    outlet.send(Self.error(code: .internalError, message: "Something went wrong on the gateway. Try again in a moment."))
                }
            }
        }
        deadline.cancel()
        hub.collaboratorDisconnected(outletId: outlet.id)
    }

    static func error(code: ErrorCode, message: String) -> String {
        error(code: code.rawValue, message: message)
    }

    static func error(code: String, message: String) -> String {
        WireCodec.encode(GatewayToCollaborator.error(.init(code: code, message: message)))
    }
}
