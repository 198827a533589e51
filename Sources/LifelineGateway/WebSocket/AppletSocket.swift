import Foundation
import HummingbirdWebSocket
import LifelineProtocol
import Logging

/// `/ws/applet`: the customer's applet. Its first frame must be `hello` with the applet token.
struct AppletSocket {
    let hub: SessionHub
    let helloDeadline: Duration

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<GatewayRequestContext>) async {
        let logger = context.logger
        let address = context.requestContext.remoteAddress
        let (outlet, frames) = Outlet.make()
        let hub = self.hub
        let deadline = HelloDeadline.start(after: helloDeadline, outlet: outlet,
                                           error: Self.error(code: .helloExpected, message: "Send hello with the applet token first.")) {
            hub.hasApplet(outletId: outlet.id)
        }
        await SocketPump.run(outlet: outlet, frames: frames, outbound: outbound, logger: logger) {
            var sessionId: String?
            for try await message in inbound.messages(maxSize: ScreenUpdate.maximumFrameBytes) {
                switch message {
                case .binary(let buffer):
                    // Screen updates of an accepted remote desktop, straight to the consoles, not
                    // through the hub (ScreenRelay); anything else is dropped.
                    let relayed = if let sessionId {
                        hub.screenRelay.forward(Array(buffer.readableBytesView), sessionId: sessionId, from: outlet.id)
                    } else { false }
                    if !relayed {
                        outlet.send(Self.error(code: .unexpectedFrame, message: "No remote desktop is running, or the frame is malformed."))
                    }
                case .text(let text):
                    // Text frames keep the protocol's 64 KiB limit: a larger one closes the socket.
                    guard text.utf8.count <= WireProtocol.maximumFrameBytes else {
                        outlet.send(Self.error(code: .messageTooLarge, message: "Text frames are limited to 64 KiB."))
                        outlet.close(reason: "frame too large")
                        return
                    }
                    let current = sessionId
                    sessionId = await ShortLived.run {
                        await Self.handle(text, sessionId: current, hub: hub, outlet: outlet, address: address, logger: logger)
                    }
                }
            }
        }
        deadline.cancel()
        await hub.appletDisconnected(outletId: outlet.id)
    }

    /// Handles one text message; returns the session the socket serves from then on (nil until a
    /// hello is accepted).
    private static func handle(_ text: String, sessionId: String?, hub: SessionHub, outlet: Outlet, address: String,
                               logger: Logger) async -> String? {
        let request: AppletToGateway
        do throws(WireError) {
            request = try WireCodec.decode(text, as: AppletToGateway.self)
        } catch {
            outlet.send(Self.error(code: error.code, message: error.description))
            return sessionId
        }
        do {
            guard let sessionId else { return try await hello(request, hub: hub, outlet: outlet, address: address) }
            try await dispatch(request, sessionId: sessionId, hub: hub, outlet: outlet)
        } catch let error as GatewayError {
            outlet.send(Self.error(code: error.code, message: error.message))
            if sessionId == nil { outlet.close(reason: error.code) }
        } catch {
            // The gateway's fault (a store error): logged, and the customer keeps the connection.
            logger.error("An applet message failed", metadata: ["session.id": "\(sessionId ?? "")", "error": "\(error)"])
            outlet.send(Self.error(code: .internalError, message: "Something went wrong on the gateway. Try again in a moment."))
        }
        return sessionId
    }

    /// The first message: anything but hello closes the socket.
    private static func hello(_ request: AppletToGateway, hub: SessionHub, outlet: Outlet, address: String) async throws -> String? {
        guard case .hello(let hello) = request else {
            // Closing the outlet lets the writer send the error before the close frame.
            outlet.send(Self.error(code: .helloExpected, message: "Send hello with the applet token first."))
            outlet.close(reason: "no hello")
            return nil
        }
        // Where the customer connects from is the gateway's to say, whatever the applet claims.
        try await hub.appletConnected(token: hello.token, customer: hello.customer.seen(from: address), rejoining: hello.rejoining == true,
                                      outlet: outlet)
        return hub.sessionId(ofApplet: outlet.id)
    }

    private static func dispatch(_ request: AppletToGateway, sessionId id: String, hub: SessionHub, outlet: Outlet) async throws {
        switch request {
        case .hello:
            outlet.send(Self.error(code: .alreadyConnected, message: "This socket already said hello."))
        case .chat(let chat):
            try await hub.appletSaid(chat.text, sessionId: id, outletId: outlet.id)
        case .quit:
            try await hub.appletQuit(sessionId: id, outletId: outlet.id)
        case .remoteAnswer(let answer):
            await hub.appletAnsweredRemote(accepted: answer.accepted, sessionId: id, outletId: outlet.id)
        case .remoteEnded(let ended):
            await hub.appletEndedRemote(reason: ended.reason, sessionId: id, outletId: outlet.id)
        case .remoteNotice(let notice):
            await hub.appletRemoteNotice(notice, sessionId: id, outletId: outlet.id)
        case .elevationFailed(let failed):
            await hub.appletElevationFailed(reason: failed.reason, sessionId: id, outletId: outlet.id)
        case .fileAnswer(let answer):
            await hub.appletAnsweredFile(answer.id, accepted: answer.accepted, sessionId: id, outletId: outlet.id)
        case .fileResult(let result):
            await hub.appletFileResult(result.id, md5: result.md5, error: result.error, sessionId: id, outletId: outlet.id)
        case .appletDeclined:
            try await hub.customerDeclinedApplet(sessionId: id, outletId: outlet.id)
        case .callingCardResult(let result):
            try await hub.appletCallingCardResult(installed: result.installed, error: result.error, sessionId: id, outletId: outlet.id)
        case .webrtcSignal(let signal):
            await hub.customerSignal(signal, sessionId: id, outletId: outlet.id)
        case .screenTransport(let message):
            await hub.customerScreenTransport(message.transport, sessionId: id, outletId: outlet.id)
        case .fileManagerAnswer(let answer):
            await hub.appletAnsweredFileManager(accepted: answer.accepted, sessionId: id, outletId: outlet.id)
        case .fileManagerClosed(let closed):
            await hub.appletClosedFileManager(reason: closed.reason, sessionId: id, outletId: outlet.id)
        case .fileManagerReply(let reply):
            await hub.appletFileManagerReply(reply, sessionId: id, outletId: outlet.id)
        case .systemInfoReply(let reply):
            await hub.appletSystemInfoReply(reply, sessionId: id, outletId: outlet.id)
        case .systemActionReply(let reply):
            await hub.appletSystemActionReply(reply, sessionId: id, outletId: outlet.id)
        case .rebootResult(let result):
            await hub.appletRebootResult(result, sessionId: id, outletId: outlet.id)
        case .unattendedAnswer(let answer):
            await hub.appletUnattendedAnswer(accepted: answer.accepted, sessionId: id, outletId: outlet.id)
        case .customerRestart(let restart):
            await hub.customerRestart(restart.phase, sessionId: id, outletId: outlet.id)
        case .scriptOutput(let message):
            await hub.appletScriptOutput(message, sessionId: id, outletId: outlet.id)
        case .scriptFinished(let message):
            await hub.appletScriptFinished(message, sessionId: id, outletId: outlet.id)
        case .technicianScreenAck(let ack):
            await hub.registry.session(id)?.appletDrewTechnicianScreen(ack, outletId: outlet.id)
        case .technicianScreenClosed:
            await hub.registry.session(id)?.appletClosedTechnicianScreen(outletId: outlet.id)
        case .technicianScreenQuality(let settings):
            await hub.registry.session(id)?.appletChoseTechnicianScreenQuality(settings.quality, outletId: outlet.id)
        }
    }

    static func error(code: ErrorCode, message: String) -> String {
        error(code: code.rawValue, message: message)
    }

    static func error(code: String, message: String) -> String {
        WireCodec.encode(GatewayToApplet.error(.init(code: code, message: message)))
    }
}
