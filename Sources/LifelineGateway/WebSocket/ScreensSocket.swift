import Foundation
import Hummingbird
import HummingbirdWebSocket
import LifelineProtocol
import Logging

/// `/ws/screens?console=ID&session=ID` (issue 23): the socket a console page's worker opens to get
/// one session's screen updates itself, so a busy page never holds a frame back. Signed in as the
/// console (its cookie), it pairs with one of the technician's consoles open on this gateway node
/// (the `console` id of its `snapshot`); the relay then sends that console's updates of the session
/// here instead, starting from a whole screen (the pointer stays on the page, where it is drawn),
/// and the worker acknowledges each drawn update here with `frame_ack`, the only message this
/// socket takes. It closes with its console; once it closed, the page gets the updates again. A
/// session another gateway node serves works the same: its updates come through this node.
struct ScreensSocket {
    let hub: SessionHub
    let console: ConsoleSocket

    struct Pairing {
        let consoleId: UUID
        let sessionId: String
    }

    /// The console and session named in the address, or a clear refusal before the upgrade.
    static func pairing(of request: Request) throws -> Pairing {
        let query = request.uri.queryParameters
        guard let console = query.get("console").flatMap(UUID.init(uuidString:)),
              let session = query.get("session"), !session.isEmpty, session.utf8.count <= 255 else {
            throw GatewayError.badRequest("Name the console (the id its snapshot gave) and the session: /ws/screens?console=ID&session=ID.")
        }
        return Pairing(consoleId: console, sessionId: session)
    }

    /// Refused before the upgrade, as an HTTP error: a console that is not the technician's, or not
    /// open on this node (a socket refused at once after its upgrade could lose the reason on the way).
    func check(_ pairing: Pairing, of actor: Actor) throws {
        guard hub.sockets.isLocalConsole(pairing.consoleId, of: actor.id) else { throw GatewayError(.notFound, Self.unknownConsole) }
    }

    static let unknownConsole = "No console of yours with that id is open on this gateway."

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<GatewayRequestContext>) async {
        guard let actor = context.requestContext.actor else { return }
        let pairing: Pairing
        do { pairing = try Self.pairing(of: context.request) } catch { return }
        let logger = context.logger
        let (outlet, frames) = Outlet.make()
        switch hub.sockets.addScreens(outlet, toConsole: pairing.consoleId, of: actor.id, session: pairing.sessionId) {
        case .added:
            hub.identities.register(outlet.id, actor: actor, expiresAt: actor.tokenExpiresAt)
            await startsFromWholeScreen(pairing.sessionId, outlet: outlet, logger: logger)
        case .unknownConsole:
            outlet.send(ConsoleSocket.error(code: .notFound, message: Self.unknownConsole))
            outlet.close(reason: "unknown console")
        case .tooMany:
            outlet.send(ConsoleSocket.error(code: .tooManyConnections,
                                            message: "A console may have \(SocketDirectory.maximumScreensPerConsole) screen sockets open."))
            outlet.close(reason: "too many screens")
        }
        await SocketPump.run(outlet: outlet, frames: frames, outbound: outbound, logger: logger) {
            for try await message in inbound.messages(maxSize: WireProtocol.maximumFrameBytes) {
                guard case .text(let text) = message else {
                    outlet.send(ConsoleSocket.error(code: .unexpectedFrame, message: "This socket takes frame_ack texts only."))
                    continue
                }
                let request: ConsoleToGateway
                do throws(WireError) {
                    request = try WireCodec.decode(text, as: ConsoleToGateway.self)
                } catch {
                    outlet.send(ConsoleSocket.error(code: error.code, message: error.description))
                    continue
                }
                guard case .frameAck(let ack) = request, ack.sessionId == pairing.sessionId else {
                    outlet.send(ConsoleSocket.error(code: .unexpectedFrame, message: "This socket takes frame_ack of its own session only.",
                                                    sessionId: pairing.sessionId))
                    continue
                }
                // As the console would, with this socket as the viewer the updates went to (or,
                // for a session another node serves, passed there as the console's).
                await console.handle(message, outlet: outlet, logger: logger)
            }
        }
        if hub.sockets.removeScreens(outlet.id, ofConsole: pairing.consoleId, session: pairing.sessionId) {
            // The console gets the updates again; what was on its way here is lost with the socket.
            await startsFromWholeScreen(pairing.sessionId, outlet: outlet, logger: logger)
        }
        hub.identities.remove(outlet.id)
    }

    /// The consoles of the session's screen changed: here, the relay asks the applet for the whole
    /// screen; for a session another node serves, that node is told this technician's consoles
    /// there lost track of it (a `frame_ack` with `refresh`, as a console that could not draw sends).
    private func startsFromWholeScreen(_ sessionId: String, outlet: Outlet, logger: Logger) async {
        guard hub.registry.session(sessionId) == nil, hub.clusterNode.withLockedValue({ $0 }) != nil else {
            return hub.screenRelay.consoleOpened(in: sessionId)
        }
        let lostTrack = WireCodec.encode(ConsoleToGateway.frameAck(.init(sessionId: sessionId, sequence: 0, refresh: true)))
        await console.handle(.text(lostTrack), outlet: outlet, logger: logger)
    }
}
