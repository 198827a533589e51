import Crypto
import FoundationEssentials
import NIOCore
import NIOPosix
import NIOSSH
import Synchronization

/// One SSH connection from the LAN connector to a machine of its network (F4), with swift-nio-ssh:
/// a password login, and the machine's host key checked against the one pinned on first use. The
/// password lives in this connection's memory only.
final class LanSSHConnection: Sendable {
    struct Target: Sendable {
        let host: String
        let port: Int
        let username: String
        let password: String
    }

    /// What a command on the machine printed, and how it ended.
    struct CommandResult: Sendable {
        let status: Int
        let output: String
        let errors: String
    }

    private let channel: any Channel
    /// The machine's host key in OpenSSH's one-line form ("ssh-ed25519 AAAA…").
    let hostKey: String

    private init(channel: any Channel, hostKey: String) {
        self.channel = channel
        self.hostKey = hostKey
    }

    /// Connects, checks the host key (`pinned`: the one-line key kept from the first connection, nil
    /// the first time) and logs in with the password.
    static func open(_ target: Target, pinned: String?, connectTimeout: TimeAmount = .seconds(5),
                     loginTimeout: Duration = .seconds(20)) async throws(LanSSHError) -> LanSSHConnection {
        let progress = LoginProgress()
        let loggedIn = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let client = SSHClientConfiguration(
                        userAuthDelegate: PasswordOffer(username: target.username, password: target.password, progress: progress),
                        serverAuthDelegate: PinnedHostKey(pinned: pinned, progress: progress))
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSHHandler(role: .client(client), allocator: channel.allocator, inboundChildChannelInitializer: nil))
                    try channel.pipeline.syncOperations.addHandler(LoginWatcher(loggedIn: loggedIn))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: target.host, port: target.port).get()
        } catch {
            loggedIn.fail(error)
            throw .unreachable("\(target.host):\(target.port): \(Self.words(for: error))")
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await loggedIn.futureResult.get() }
                group.addTask {
                    try await Task.sleep(for: loginTimeout)
                    throw LanSSHError.unreachable("\(target.host) did not finish the SSH login within \(loginTimeout.components.seconds) s")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            loggedIn.fail(error)
            await LanSSHConnection(channel: channel, hostKey: "").close()
            throw progress.failure(otherwise: error)
        }
        return LanSSHConnection(channel: channel, hostKey: progress.presentedKey ?? "")
    }

    /// Runs `command` with the login shell, sends `input` (each piece as it comes, then end of file)
    /// and returns what it printed (each stream up to 64 KiB) and its exit status.
    func run(_ command: String, input: (any AsyncSequence<ByteBuffer, any Error> & Sendable)? = nil) async throws(LanSSHError) -> CommandResult {
        let ready = channel.eventLoop.makePromise(of: Void.self)
        let finished = channel.eventLoop.makePromise(of: CommandResult.self)
        let child = channel.eventLoop.makePromise(of: (any Channel).self)
        do {
            try await channel.eventLoop.submit { [channel] in
                let ssh = try channel.pipeline.syncOperations.handler(type: NIOSSHHandler.self)
                ssh.createChannel(child, channelType: .session) { childChannel, _ in
                    childChannel.eventLoop.makeCompletedFuture {
                        try childChannel.pipeline.syncOperations.addHandler(CommandHandler(command: command, ready: ready, finished: finished))
                    }
                }
            }.get()
            let session = try await child.futureResult.get()
            try await ready.futureResult.get()
            if let input {
                for try await piece in input {
                    try await session.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(piece))).get()
                }
            }
            try await session.close(mode: .output).get()
            return try await finished.futureResult.get()
        } catch let error as LanSSHError {
            throw error
        } catch {
            throw .commandFailed("\(command.prefix(40))…: \(Self.words(for: error))")
        }
    }

    func close() async {
        do {
            try await channel.close().get()
        } catch ChannelError.alreadyClosed {
            // Closed by the machine already.
        } catch {
            // Nothing is lost: every command's result was read before, or the login had failed.
        }
    }

    /// OpenSSH's fingerprint of a one-line key: "SHA256:" and the base64 of its blob's hash, unpadded.
    static func fingerprint(ofOneLineKey key: String) -> String {
        let fields = key.split(separator: " ")
        guard fields.count >= 2, let blob = Data(base64Encoded: String(fields[1])) else { return "unknown" }
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.filter { $0 != "=" }
    }

    static func words(for error: any Error) -> String {
        switch error {
        case let error as IOError: "\(error.description)"
        case let error as ChannelError: "\(error)"
        case let error as NIOSSHError: "SSH: \(error.type)"
        default: "\(error)"
        }
    }
}

/// Why the connector could not do what the technician asked, each told apart for the console.
enum LanSSHError: Error, Equatable {
    case unreachable(String)
    case authenticationFailed
    case hostKeyChanged(pinned: String, presented: String)
    case commandFailed(String)
}

/// What the login saw, read after it failed to tell a wrong password and a changed key apart.
private final class LoginProgress: Sendable {
    private struct State {
        var presentedKey: String?
        var keyRefused = false
        var passwordTried = false
        var pinned: String?
    }

    private let state = Mutex(State())

    var presentedKey: String? { state.withLock { $0.presentedKey } }

    func presented(_ key: String, pinned: String?, accepted: Bool) {
        state.withLock {
            $0.presentedKey = key
            $0.pinned = pinned
            $0.keyRefused = !accepted
        }
    }

    /// True the first time: a password is offered once; a second ask means it was refused.
    func offerPassword() -> Bool {
        state.withLock { state in
            defer { state.passwordTried = true }
            return !state.passwordTried
        }
    }

    func failure(otherwise error: any Error) -> LanSSHError {
        state.withLock { state in
            if state.keyRefused, let pinned = state.pinned, let presented = state.presentedKey {
                return .hostKeyChanged(pinned: pinned, presented: presented)
            }
            if state.passwordTried { return .authenticationFailed }
            if let error = error as? LanSSHError { return error }
            return .unreachable(LanSSHConnection.words(for: error))
        }
    }
}

private struct PasswordOffer: NIOSSHClientUserAuthenticationDelegate {
    let username: String
    let password: String
    let progress: LoginProgress

    func nextAuthenticationType(availableMethods: NIOSSHAvailableUserAuthenticationMethods,
                                nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>) {
        guard availableMethods.contains(.password) else {
            nextChallengePromise.fail(LanSSHError.commandFailed("the machine does not accept password logins"))
            return
        }
        guard progress.offerPassword() else {
            // A password refused once is refused: no second try with the same one; failing ends the login.
            nextChallengePromise.fail(LanSSHError.authenticationFailed)
            return
        }
        nextChallengePromise.succeed(.init(username: username, serviceName: "", offer: .password(.init(password: password))))
    }
}

private struct PinnedHostKey: NIOSSHClientServerAuthenticationDelegate {
    let pinned: String?
    let progress: LoginProgress

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        let presented = String(openSSHPublicKey: hostKey)
        let accepted = pinned.map { Self.sameKey($0, presented) } ?? true
        progress.presented(presented, pinned: pinned, accepted: accepted)
        if accepted {
            validationCompletePromise.succeed(())
        } else {
            validationCompletePromise.fail(LanSSHError.hostKeyChanged(pinned: pinned ?? "", presented: presented))
        }
    }

    /// The type and the key itself; a comment after them does not count.
    static func sameKey(_ one: String, _ other: String) -> Bool {
        one.split(separator: " ").prefix(2) == other.split(separator: " ").prefix(2)
    }
}

/// Succeeds `loggedIn` when the server accepts the login; fails it when the connection ends first.
private final class LoginWatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any
    private let loggedIn: EventLoopPromise<Void>

    init(loggedIn: EventLoopPromise<Void>) {
        self.loggedIn = loggedIn
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is UserAuthSuccessEvent { loggedIn.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        loggedIn.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        loggedIn.fail(LanSSHError.unreachable("the machine closed the SSH connection"))
        context.fireChannelInactive()
    }
}

/// One command on a session channel: asks for it, gathers what it prints, and its exit status.
private final class CommandHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias OutboundIn = SSHChannelData
    typealias OutboundOut = SSHChannelData

    static let kept = 64 * 1024
    private let command: String
    private let ready: EventLoopPromise<Void>
    private let finished: EventLoopPromise<LanSSHConnection.CommandResult>
    private var output: [UInt8] = []
    private var errors: [UInt8] = []
    private var status: Int?

    init(command: String, ready: EventLoopPromise<Void>, finished: EventLoopPromise<LanSSHConnection.CommandResult>) {
        self.command = command
        self.ready = ready
        self.finished = finished
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // The command's output goes on after we close our side (end of its input).
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { [ready] error in ready.fail(error) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.triggerUserOutboundEvent(SSHChannelRequestEvent.ExecRequest(command: command, wantReply: true), promise: nil)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelSuccessEvent: ready.succeed(())
        case is ChannelFailureEvent: ready.fail(LanSSHError.commandFailed("the machine refused to run a command"))
        case let exit as SSHChannelRequestEvent.ExitStatus: status = exit.exitStatus
        case is SSHChannelRequestEvent.ExitSignal: status = 128
        default: context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let bytes) = message.data else { return }
        switch message.type {
        case .channel: Self.keep(bytes, in: &output)
        case .stdErr: Self.keep(bytes, in: &errors)
        default: break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        ready.fail(error)
        finished.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(LanSSHError.commandFailed("the machine closed the command's channel"))
        finished.succeed(.init(status: status ?? -1, output: String(decoding: output, as: UTF8.self),
                               errors: String(decoding: errors, as: UTF8.self)))
        context.fireChannelInactive()
    }

    private static func keep(_ bytes: ByteBuffer, in kept: inout [UInt8]) {
        let room = Self.kept - kept.count
        guard room > 0 else { return }
        kept.append(contentsOf: bytes.readableBytesView.prefix(room))
    }
}
