import Foundation
import HummingbirdWebSocket
import LifelineProtocol
import Logging

/// `/ws/console`: pushes the technician's queue live and takes chat and toolbar commands.
struct ConsoleSocket {
    let hub: SessionHub
    let accounts: Accounts

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, context: WebSocketRouterContext<GatewayRequestContext>) async {
        guard let actor = context.requestContext.actor else { return }
        let logger = context.logger
        // Authenticated once, at the upgrade; `ConsoleIdentities` keeps the technician current from then on.
        let (outlet, frames) = Outlet.make()
        hub.identities.register(outlet.id, actor: actor, expiresAt: actor.tokenExpiresAt)
        await hub.consoleConnected(actor, outlet: outlet)
        await SocketPump.run(outlet: outlet, frames: frames, outbound: outbound, logger: logger) {
            // Binary frames carry the technician's own screen (H1) and may be larger; text keeps its 64 KiB.
            for try await message in inbound.messages(maxSize: ScreenUpdate.maximumFrameBytes) {
                // The console keeps working after an oversized text frame (docs/protocol.md).
                if case .text(let text) = message, text.utf8.count > WireProtocol.maximumFrameBytes {
                    outlet.send(Self.error(code: .messageTooLarge, message: "Text frames are limited to 64 KiB."))
                    continue
                }
                await ShortLived.run { await handle(message, outlet: outlet, logger: logger) }
            }
        }
        hub.identities.remove(outlet.id)
        await hub.consoleDisconnected(technicianId: actor.id, outletId: outlet.id)
    }

    /// `forwardable`: a message about a session another gateway node serves goes there (false for
    /// one another node passed here: never sent on, so never in circles).
    func handle(_ message: WebSocketMessage, outlet: Outlet, logger: Logger, forwardable: Bool = true) async {
        let text: String
        switch message {
        case .text(let received): text = received
        case .binary(let buffer):
            await screenFrame(Array(buffer.readableBytesView), outlet: outlet, logger: logger, forwardable: forwardable)
            return
        }
        let request: ConsoleToGateway
        do throws(WireError) {
            request = try WireCodec.decode(text, as: ConsoleToGateway.self)
        } catch {
            outlet.send(Self.error(code: error.code, message: error.description))
            return
        }
        let sessionId = request.sessionId
        // A refused file manager, system information or script request names itself, so the console settles what waits for it.
        let requestId: String? = switch request {
        case .fileManagerRequest(let message): message.requestId
        case .systemInfoRequest(let message): message.requestId
        case .systemActionRequest(let message): message.requestId
        case .scriptRunRequest(let message): message.requestId
        case .rebootRequest(let message): message.requestId
        case .unattendedRequest(let message): message.requestId
        default: nil
        }
        do {
            guard let actor = signedIn(outlet) else { return }
            // A monitored technician's screen (E1) lives on the administrator's node, not in a session.
            if case .frameAck(let ack) = request, let monitoringId = SessionHub.monitoringId(fromFrameId: ack.sessionId) {
                if forwardable, let node = hub.clusterNode.withLockedValue({ $0 }), let home = node.home(ofMonitoring: monitoringId) {
                    await node.forwardConsoleMessage(text, toNode: home, by: actor)
                } else {
                    hub.monitoredScreenDrawn(ack.sequence, monitoring: monitoringId, by: actor)
                }
                return
            }
            if forwardable, let sessionId, let node = hub.clusterNode.withLockedValue({ $0 }),
               await node.forwardConsoleMessage(text, sessionId: sessionId, by: actor) {
                await hub.recordTechnicianActivity(actor.id)
                return
            }
            // A watched technician's answer goes to the node their monitoring lives on.
            if forwardable, case .monitorScreenAnswer(let answer) = request, let node = hub.clusterNode.withLockedValue({ $0 }),
               let home = node.home(ofMonitoring: answer.monitoringId) {
                await node.forwardConsoleMessage(text, toNode: home, by: actor)
                return
            }
            if try await dispatch(request, by: actor, outlet: outlet) { await hub.recordTechnicianActivity(actor.id) }
        } catch let error as GatewayError {
            outlet.send(Self.error(code: error.code, message: error.message, sessionId: sessionId, requestId: requestId))
        } catch {
            // Not the technician's fault: the socket stays open, the error is logged for the operator.
            logger.error("A console message failed", metadata: ["session.id": "\(sessionId ?? "")", "error": "\(error)"])
            outlet.send(Self.error(code: .internalError, message: "Something went wrong on the gateway. It has been logged.", sessionId: sessionId))
        }
    }

    /// Runs one message for its session; false when it is not the technician's activity to note
    /// here (input and acknowledgements the relay passed, whose activity the timer collects).
    private func dispatch(_ request: ConsoleToGateway, by actor: Actor, outlet: Outlet) async throws -> Bool {
        switch request {
        case .chat(let chat) where chat.technicians == true: _ = try await hub.sendPrivateChat(chat.text, to: chat.sessionId, by: actor)
        case .chat(let chat): _ = try await hub.sendChat(chat.text, to: chat.sessionId, by: actor)
        case .command(let command): _ = try await hub.perform(command.command, on: command.sessionId, by: actor)
        case .activity: break
        case .monitorScreenAnswer(let answer): try hub.monitoredScreenAnswered(answer, by: actor)
        case .remoteRequest(let request): try await hub.requestRemote(request.mode, on: request.sessionId, by: actor)
        case .remoteStop(let stop): try await hub.stopRemote(on: stop.sessionId, by: actor)
        case .remoteInput(let input):
            // The usual case goes around every actor; what the relay does not pass, the session explains.
            if hub.screenRelay.forwardInput(input.events, sessionId: input.sessionId, technicianId: actor.id, permissions: actor.permissions,
                                            at: accounts.environment.now()) { return false }
            try await hub.remoteInput(input.events, on: input.sessionId, by: actor)
        case .remoteSettings(let settings): try await hub.remoteSettings(settings.quality, on: settings.sessionId, by: actor)
        case .remoteTool(let use): try await hub.remoteTool(use.tool, on: use.sessionId, by: actor)
        case .rebootRequest(let request): try await hub.reboot(request, by: actor)
        case .unattendedRequest(let request): try await hub.requestUnattended(request, by: actor)
        case .elevate(let elevate): try await hub.elevateApplet(elevate.credentials, on: elevate.sessionId, by: actor)
        case .webrtcSignal(let message): try await hub.consoleSignal(message.signal, on: message.sessionId, by: actor, console: outlet.id)
        case .fileManagerOpen(let message): try await hub.openFileManager(on: message.sessionId, by: actor)
        case .fileManagerClose(let message): try await hub.closeFileManager(on: message.sessionId, by: actor)
        case .fileManagerRequest(let message): try await hub.fileManagerRequest(message, by: actor)
        case .systemInfoRequest(let message): try await hub.systemInfoRequest(message, by: actor)
        case .systemActionRequest(let message): try await hub.systemActionRequest(message, by: actor)
        case .scriptRunRequest(let message): try await hub.runScript(message, by: actor)
        case .scriptCancel(let message): try await hub.cancelScript(message, by: actor)
        case .frameAck(let ack):
            if hub.screenRelay.forwardFrameAck(ack.sequence, sessionId: ack.sessionId, viewer: actor.id, console: outlet.id,
                                               video: ack.video == true, lostTrack: ack.refresh == true) { return false }
            try await hub.remoteFrameDrawn(ack.sequence, on: ack.sessionId, by: actor)
            return false
        }
        return true
    }

    /// The technician behind the console now; a console whose login ended is told and closed.
    private func signedIn(_ outlet: Outlet) -> Actor? {
        guard let actor = hub.identities.actor(of: outlet.id, at: accounts.environment.now()) else {
            outlet.send(Self.error(code: GatewayError.unauthenticated.code, message: GatewayError.unauthenticated.message))
            outlet.close(reason: "signed out")
            return nil
        }
        return actor
    }

    /// The technician's own screen (H1): the session id in front (length byte, ASCII), then a
    /// screen update, as the consoles receive the customer's. For a session another gateway node
    /// serves, the frame goes there as it came.
    private func screenFrame(_ bytes: [UInt8], outlet: Outlet, logger: Logger, forwardable: Bool) async {
        guard let actor = signedIn(outlet) else { return }
        guard let idLength = bytes.first.map(Int.init), idLength > 0, bytes.count > 1 + idLength,
              let sessionId = String(validating: bytes[1...idLength], as: UTF8.self) else {
            outlet.send(Self.error(code: .malformedMessage, message: "A binary frame starts with the session id (its length, then the id)."))
            return
        }
        do {
            if let monitoringId = SessionHub.monitoringId(fromFrameId: sessionId) {
                if forwardable, let node = hub.clusterNode.withLockedValue({ $0 }), let home = node.home(ofMonitoring: monitoringId) {
                    await node.forwardConsoleFrame(bytes, toNode: home, by: actor)
                    return
                }
                try hub.monitoredScreenFrame(Array(bytes[(1 + idLength)...]), whole: bytes, monitoring: monitoringId, by: actor.id)
                return
            }
            guard let session = hub.registry.session(sessionId) else {
                if forwardable, let node = hub.clusterNode.withLockedValue({ $0 }),
                   await node.forwardConsoleFrame(bytes, sessionId: sessionId, by: actor) { return }
                throw GatewayError.sessionNotFound
            }
            try await session.technicianScreenFrame(Array(bytes[(1 + idLength)...]), from: actor.id)
        } catch let error as GatewayError {
            outlet.send(Self.error(code: error.code, message: error.message, sessionId: sessionId))
        } catch {
            logger.error("A technician's screen frame failed", metadata: ["session.id": "\(sessionId)", "error": "\(error)"])
            outlet.send(Self.error(code: .internalError, message: "Something went wrong on the gateway. It has been logged.", sessionId: sessionId))
        }
    }

    static func error(code: ErrorCode, message: String, sessionId: String? = nil) -> String {
        error(code: code.rawValue, message: message, sessionId: sessionId)
    }

    static func error(code: String, message: String, sessionId: String? = nil, requestId: String? = nil) -> String {
        WireCodec.encode(GatewayToConsole.error(.init(code: code, message: message, sessionId: sessionId, requestId: requestId)))
    }
}

