#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import HTTPTypes
import HummingbirdWSClient
import NIOCore
import LifelineCore
import LifelineProtocol
import Logging
import NIOWebSocket

/// The customer's applet: shows who is asking, joins, chats, and keeps the session alive across
/// network drops until the session ends.
public struct Applet: Sendable {
    let options: AppletOptions
    let transcript: Transcript
    let logger: Logger
    /// The joined session, kept for a restart (claimed by the command before `run`).
    let memory: SessionMemory?

    public init(options: AppletOptions, transcript: Transcript, logger: Logger, memory: SessionMemory? = nil) {
        self.options = options
        self.transcript = transcript
        self.logger = logger
        self.memory = memory
    }

    /// The technician sees the customer's "no" in the session's log; the customer's answer stands
    /// whether or not the gateway could be told.
    private func tellTheTechnicianNo(_ client: GatewayClient, _ refusal: CustomerRefusal) async {
        do { try await client.decline(options.credential, refusal) } catch {
            logger.warning("Could not tell the technician the customer declined", metadata: ["error": "\(error)"])
        }
    }

    /// The gateway's refusal in the customer's language when the applet knows it (an expired PIN
    /// is not a typo), its own words otherwise.
    private func describe(_ error: any Error) -> String {
        if let failure = error as? GatewayClient.Failure, let code = failure.code {
            let key = "gateway.\(code)"
            let text = transcript.text(key)
            if text != key { return text }
        }
        return "\(error)"
    }

    /// Runs until the session ends. `input` yields what the customer asks (typed or clicked); `confirm` asks
    /// whether to let this technician connect, accepting the organisation's terms when it has some.
    public func run(input: AsyncStream<CustomerCommand>, confirm: @Sendable (Invitation) async -> ConsentAnswer) async -> AppletOutcome {
        let client = GatewayClient(gateway: options.gateway, proxy: options.proxy)
        let joined: JoinedSession
        var rejoining = false
        // Nothing joined (a no, a close, a dead PIN): nothing kept for a restart, not even the empty file.
        func notJoined(_ outcome: AppletOutcome) -> AppletOutcome {
            memory?.forget()
            return outcome
        }
        do {
            if case .resume(let file) = options.credential {
                // The root copy of an elevated restart: the session was handed over.
                joined = try ElevatedRestart.takeHandedOverSession(from: file)
                transcript.elevation("ELEVATED")
            } else if case .afterRestart = options.credential {
                // Started by the one-shot entry after the restart: the customer said yes before it.
                joined = try await client.join(with: options.credential)
                rejoining = true
                transcript.resumedAfterRestart(technician: joined.technicianName)
            } else if let remembered = memory?.recall() {
                // Started again after a close or a crash: the customer said yes already.
                joined = remembered
                rejoining = true
                transcript.rejoining(technician: remembered.technicianName, organisation: remembered.organisation)
            } else {
                let invitation = try await client.invitation(for: options.credential)
                // A Lens session is the phone's camera in its browser (Q1): nothing for the applet to do.
                if invitation.type == .lens {
                    throw GatewayClient.Failure(description: "This is a Lens session, for a phone's browser.", code: "not_for_lens")
                }
                transcript.invitation(technician: invitation.technicianName, organisation: invitation.organisation)
                if let terms = invitation.terms { transcript.terms(terms, organisation: invitation.organisation) }
                // Nobody connects before the customer said yes, to the terms as well when there are some.
                switch await confirm(invitation) {
                case .allow: break
                case .decline:
                    await tellTheTechnicianNo(client, invitation.terms == nil ? .declined : .termsRefused)
                    return notJoined(invitation.terms == nil ? .declined : .termsRefused)
                case .close:
                    await tellTheTechnicianNo(client, .closed)
                    return notJoined(.closed)
                }
                joined = try await client.join(with: options.credential, acceptedTerms: invitation.terms != nil)
                do { try memory?.remember(joined) } catch {
                    logger.warning("The session could not be kept for a restart of the applet", metadata: ["error": "\(error)"])
                }
            }
        } catch {
            return notJoined(.failed(message: describe(error)))
        }
        let outgoing = OutgoingMessages()
        let remote = RemoteDesktopController(consent: options.remoteConsent, transcript: transcript, outgoing: outgoing)
        let elevation = ElevatedRestart()
        let files = FileTransfers(gateway: options.gateway, transcript: transcript, outgoing: outgoing, proxy: options.proxy)
        await files.joined(token: joined.appletToken)
        let cards = CallingCardDeployment(gateway: options.gateway, transcript: transcript, outgoing: outgoing)
        let fileManager = FileManagerController(consent: options.remoteConsent, transcript: transcript, outgoing: outgoing,
                                                gateway: (options.gateway, joined.appletToken, options.proxy))
        let removals = ApplicationRemovals(consent: options.remoteConsent, transcript: transcript, outgoing: outgoing)
        let scripts = ScriptRuns(gateway: options.gateway, token: joined.appletToken, proxy: options.proxy, transcript: transcript, outgoing: outgoing)
        let restarts = MachineRestarts(consent: options.remoteConsent, transcript: transcript, outgoing: outgoing,
                                       gateway: options.gateway.absoluteString, proxy: options.proxy)
        let unattended = UnattendedSetup(consent: options.remoteConsent, transcript: transcript, outgoing: outgoing,
                                         client: GatewayClient(gateway: options.gateway, proxy: options.proxy))
        let restart = Restart(joined: joined, arguments: options.restartArguments, elevation: elevation, outgoing: outgoing, files: files,
                              cards: cards, fileManager: fileManager, scripts: scripts, removals: removals, restarts: restarts,
                              unattended: unattended, technicianScreen: TechnicianScreenController(transcript: transcript, outgoing: outgoing),
                              consent: options.remoteConsent)
        await unattended.announceIfInstalled()
        let reader = Task {
            for await command in input {
                // After an elevated restart the root copy reads what the customer types.
                if await elevation.forward(command.line) { continue }
                await Self.obey(command, transcript: transcript, remote: remote, restart: restart)
            }
        }
        defer { reader.cancel() }
        // The customer's own restart brings the session back too (C7).
        let shutdowns = ShutdownWatch.start { goingDown in
            if await elevation.handedOver { return }
            if goingDown { await restarts.customerRestarting() } else { await restarts.customerRestartCalledOff() }
        }
        defer { shutdowns.stop() }
        let outcome = await stayConnected(rejoining: rejoining, remote: remote, restart: restart)
        // Over, or in the root copy's hands: a restart with this PIN or link has nothing to rejoin.
        memory?.forget()
        guard await elevation.handedOver else { return outcome }
        return .handedOver(exitCode: await elevation.waitForChild())
    }

    /// Connects, and reconnects with backoff after every drop, until the gateway ends the session.
    private func stayConnected(rejoining: Bool, remote: RemoteDesktopController, restart: Restart) async -> AppletOutcome {
        let backoff = Backoff(maximum: options.maximumBackoff)
        var failures = 0
        // Only the first hello of a restarted applet says so; later ones are network drops.
        var firstHelloRejoins = rejoining
        while true {
            let result = await connectOnce(rejoining: firstHelloRejoins, remote: remote, restart: restart)
            if case .dropped(wasWelcomed: true) = result { firstHelloRejoins = false }
            switch result {
            case .ended(let reason):
                return .sessionEnded(reason: reason)
            case .handedOver:
                return .handedOver(exitCode: 0)
            case .refused(let message):
                return .failed(message: message)
            case .dropped(let wasWelcomed):
                if wasWelcomed { failures = 0 }
                failures += 1
                let delay = backoff.delay(attempt: failures - 1, unit: Double.random(in: 0..<1))
                transcript.reconnecting(attempt: failures, delay: delay)
                try? await Task.sleep(for: .milliseconds(Int(delay * 1_000)))
            }
        }
    }

    enum ConnectionResult: Sendable {
        case ended(String)
        case refused(String)
        /// A root copy took the session over (J3).
        case handedOver
        case dropped(wasWelcomed: Bool)
    }

    private func connectOnce(rejoining: Bool, remote: RemoteDesktopController, restart: Restart) async -> ConnectionResult {
        let state = ConnectionState()
        let transcript = self.transcript
        let (joined, outgoing, elevation) = (restart.joined, restart.outgoing, restart.elevation)
        let handOvers = await elevation.handOvers()
        // The customer said yes to administrator rights while a previous connection was down.
        if await elevation.handedOver { return .handedOver }
        let hello = WireCodec.encode(AppletToGateway.hello(.init(token: joined.appletToken, appletVersion: AppletVersion.current,
                                                           customer: LocalMachine.describe(), rejoining: rejoining ? true : nil)))
        do {
            _ = try await Self.connectSocket(url: Self.socketURL(options.gateway), proxy: options.proxy, logger: logger) { inbound, outbound, _ in
                try await outbound.write(.text(hello))
                let messages = await outgoing.attach()
                // Screen frames: a few at most are queued; flow control keeps it so.
                let (screenFrames, screenSink) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(4))
                await remote.attach(screenSink)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in messages { try await outbound.write(.text(text)) }
                    }
                    group.addTask {
                        for await frame in screenFrames { try await outbound.write(.binary(ByteBuffer(bytes: frame))) }
                    }
                    group.addTask {
                        // The customer allowed administrator rights: the root copy has the session now.
                        for await _ in handOvers {
                            await remote.detach()
                            await state.handOver()
                            try await outbound.close(.normalClosure, reason: "handed over")
                            return
                        }
                    }
                    group.addTask {
                        // Binary frames are acknowledgements of drawn updates, or the technician's
                        // screen (H1), up to a screen update's limit.
                        for try await frame in inbound.messages(maxSize: ScreenUpdate.maximumFrameBytes) {
                            let text: String
                            switch frame {
                            case .text(let received) where received.utf8.count <= WireProtocol.maximumFrameBytes: text = received
                            case .text: continue
                            case .binary(let buffer):
                                let bytes = Array(buffer.readableBytesView)
                                if FrameAcknowledgement.isAcknowledgement(bytes) {
                                    await acknowledged(bytes, remote: remote)
                                } else {
                                    await restart.technicianScreen.frame(bytes)
                                }
                                continue
                            }
                            if await Self.handle(text, transcript: transcript, state: state, remote: remote, restart: restart) {
                                try await outbound.close(.normalClosure, reason: "session ended")
                                return
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("Applet connection failed", metadata: ["error": "\(error)"])
        }
        await remote.detach()
        await restart.technicianScreen.close(byCustomer: false)
        await restart.fileManager.detach()
        await restart.scripts.connectionLost()
        await outgoing.detach()
        return await state.result
    }

    /// Shows one frame from the gateway. Returns true when the session is over.
    /// The remote desktop's messages, all for its controller.
    private static func handleRemoteDesktop(_ message: GatewayToApplet, remote: RemoteDesktopController) async {
        switch message {
        case .remoteRequest(let request): await remote.requested(request.mode, by: request.technicianName)
        case .remoteStop(let stop): await remote.technicianStopped(reason: stop.reason)
        case .input(let events): await remote.play(events)
        case .frameAck(let ack): await remote.acknowledged(ack.sequence, video: ack.video == true)
        case .remoteSettings(let settings): await remote.choose(settings.quality)
        case .remoteTool(let tool): await remote.use(tool)
        case .recording(let notice): await remote.recording(active: notice.active, technician: notice.technicianName)
        case .screenRefresh: await remote.refresh()
        case .remoteViewers(let viewers): await remote.viewers(viewers.names, inControl: viewers.inControl)
        default: break
        }
    }

    /// The gateway's binary acknowledgement of a drawn update (`FrameAcknowledgement`); a malformed one is dropped.
    private func acknowledged(_ bytes: [UInt8], remote: RemoteDesktopController) async {
        do throws(ScreenUpdate.DecodingProblem) {
            let acknowledgement = try FrameAcknowledgement.decode(bytes)
            await remote.acknowledged(acknowledgement.sequence, video: acknowledgement.video)
        } catch {
            logger.warning("Dropped a malformed frame acknowledgement", metadata: ["problem": "\(error)"])
        }
    }

    private static func handle(_ text: String, transcript: Transcript, state: ConnectionState, remote: RemoteDesktopController,
                               restart: Restart) async -> Bool {
        let message: GatewayToApplet
        do throws(WireError) {
            message = try WireCodec.decode(text, as: GatewayToApplet.self)
        } catch {
            transcript.error(code: error.code, message: error.description)
            return false
        }
        switch message {
        case .welcome(let welcome):
            await state.welcomed(by: welcome.technicianName)
            transcript.welcome(sessionId: welcome.sessionId, technician: welcome.technicianName, state: welcome.state)
        case .chat(let entry):
            transcript.chat(entry)
        case .status(let entry):
            transcript.status(entry, technician: await state.technicianName)
        case .technicianChanged(let changed):
            await state.technicianChanged(to: changed.name)
            transcript.technicianChanged(to: changed.name)
        case .collaborator(let presence):
            transcript.collaborator(name: presence.name, joined: presence.joined)
        case .ended(let ended):
            await state.end(ended.reason)
            transcript.ended(reason: ended.reason)
            return true
        case .error(let failure):
            transcript.error(code: failure.code, message: failure.message)
            if failure.code == "unknown_applet_token" { await state.refuse("This session is over: \(failure.message)") }
        case .remoteRequest, .remoteStop, .input, .frameAck, .remoteSettings, .remoteTool, .recording, .screenRefresh, .remoteViewers:
            await handleRemoteDesktop(message, remote: remote)
        case .technicianScreen(let notice):
            await restart.technicianScreen.sharing(notice)
        case .elevate(let elevate):
            await elevationRequested(elevate, transcript: transcript, restart: restart)
        case .fileOffer(let offer):
            await restart.files.offered(offer)
        case .fileCancelled(let cancelled):
            await restart.files.cancelled(cancelled.id, reason: cancelled.reason)
        case .openURL(let link):
            transcript.link(link.url, technician: link.technicianName, opened: LinkOpener.open(link.url))
        case .survey(let survey):
            transcript.survey(survey.url, technician: survey.technicianName, opened: LinkOpener.open(survey.url))
        case .chatSwitched(let switched):
            transcript.chatSwitched(enabled: switched.enabled)
        case .callingCardOffer(let offer):
            await restart.cards.offered(offer)
        case .fileManagerOpen(let open):
            await restart.fileManager.requested(by: open.technicianName)
        case .fileManagerClose(let close):
            await restart.fileManager.technicianClosed(reason: close.reason)
        case .fileManagerRequest(let request):
            // Its own task: a long listing or delete does not hold up the messages behind it.
            Task { await restart.fileManager.handle(request) }
        case .systemInfoRequest(let request):
            // Its own task too: the processes are read twice, 200 ms apart.
            Task { await answer(request, transcript: transcript, outgoing: restart.outgoing) }
        case .systemActionRequest(let request):
            let technician = await state.technicianName
            Task { await act(request, technician: technician, transcript: transcript, restart: restart) }
        case .reboot(let order):
            Task { await restart.restarts.requested(order) }
        case .unattendedOffer(let offer):
            Task { await restart.unattended.offered(offer) }
        case .resumeTicket(let message):
            await restart.restarts.ticketArrived(message)
        case .scriptRun(let order):
            // Its own task: a script runs for minutes while messages keep coming.
            Task { await restart.scripts.received(order) }
        case .scriptCancel(let cancel):
            await cancel.sessionMovedOn == true ? restart.scripts.sessionStopped(cancel.runId) : restart.scripts.technicianCancelled(cancel.runId)
        case .appletInvitation, .movedToApplet, .webrtcSignal:
            // Browser-only messages (Instant Chat, a screen shared from a browser): the applet
            // is what they lead to, and shows its screen itself.
            break
        }
        return false
    }

    /// What an elevated restart needs from the connection that receives the request.
    struct Restart: Sendable {
        let joined: JoinedSession
        let arguments: [String]
        let elevation: ElevatedRestart
        let outgoing: OutgoingMessages
        let files: FileTransfers
        let cards: CallingCardDeployment
        let fileManager: FileManagerController
        let scripts: ScriptRuns
        let removals: ApplicationRemovals
        let restarts: MachineRestarts
        let unattended: UnattendedSetup
        let technicianScreen: TechnicianScreenController
        /// What the customer answers to the screen and to administrator rights.
        let consent: RemoteConsent
    }

    /// The applet's WebSocket, through the Calling Card's HTTP proxy when one is set (G3).
    static func connectSocket(url: String, proxy: ProxySettings?, logger: Logger,
                              handler: @escaping WebSocketDataHandler<WebSocketClient.Context>) async throws {
        let configuration = WebSocketClientConfiguration(maxFrameSize: ScreenUpdate.maximumFrameBytes)
        if let proxy {
            var headers: HTTPFields = [:]
            if let authorization = proxy.authorization { headers[.proxyAuthorization] = authorization }
            _ = try await WebSocketClient.connect(
                url: url, configuration: configuration, tlsConfiguration: AppletTrust.tlsConfiguration(),
                proxySettings: .init(host: proxy.host, port: proxy.port, type: .http(connectHeaders: headers)), logger: logger, handler: handler)
        } else {
            _ = try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: AppletTrust.tlsConfiguration(),
                                                  logger: logger, handler: handler)
        }
    }

    static func socketURL(_ gateway: URL, path: String = "/ws/applet") -> String {
        var base = gateway.absoluteString.trimmingSuffix("/")
        if base.hasPrefix("https://") { base = "wss://" + base.dropFirst("https://".count) }
        else if base.hasPrefix("http://") { base = "ws://" + base.dropFirst("http://".count) }
        return base + path
    }
}
