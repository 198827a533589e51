import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTPTypes

/// First in every connection's pipeline, on raw bytes: admits the connection against the ledger,
/// holds each request head to a deadline and a size, and each request body to a minimum pace.
/// Which bytes are a head and which a body it learns from `RequestPhases`, after the HTTP decoder;
/// a WebSocket, once upgraded, is left alone (its pings find a dead peer).
final class ConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        /// Between requests: the idle timeout's business until a byte comes.
        case betweenRequests
        /// A head has begun (or, for the first request, the connection opened).
        case readingHead(bytes: Int, tail: [UInt8])
        /// After a head: a body the decoder reads, or a WebSocket.
        case afterHead
        /// A body, with the time spent waiting on the client's bytes so far.
        case readingBody(BodyPace)
    }

    private let ledger: ConnectionLedger
    private let refusals: UpgradeRefusals
    private let limits: ConnectionLimits
    private let logger: Logger
    private var address: String?
    private var phase = Phase.readingHead(bytes: 0, tail: [])
    private var deadline: Scheduled<Void>?
    /// A head was read that the HTTP decoder did not take as a request: an upgrade, whose answer
    /// (101 or a refusal) is the next write.
    private var awaitingUpgradeAnswer = false
    /// Set once a refused upgrade's answer has replaced the WebSocket library's.
    private var answeredRefusal = false

    init(ledger: ConnectionLedger, refusals: UpgradeRefusals, limits: ConnectionLimits, logger: Logger) {
        self.ledger = ledger
        self.refusals = refusals
        self.limits = limits
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        switch ledger.admit(address, limits: limits) {
        case .admitted:
            self.address = address
            startHeadDeadline(context)
            context.fireChannelActive()
        case .addressFull:
            logger.warning("Refused a connection: its address holds too many", metadata: ["source": "\(address)", "limit": "\(limits.perAddress)"])
            refuse(context, GatewayError(.tooManyConnections, "Too many connections from your address."))
        case .gatewayFull:
            logger.error("Refused a connection: the gateway holds as many as it may", metadata: ["source": "\(address)", "limit": "\(limits.total)"])
            refuse(context, GatewayError(.gatewayFull, "The service is at its connection limit. Try again shortly."))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        refusals.forget(context.channel)
        if let address {
            ledger.release(address)
            self.address = nil
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard address != nil else { return }
        let buffer = unwrapInboundIn(data)
        switch phase {
        case .betweenRequests:
            phase = .readingHead(bytes: 0, tail: [])
            startHeadDeadline(context)
            guard readHead(buffer, context) else { return }
        case .readingHead:
            guard readHead(buffer, context) else { return }
        case .afterHead:
            break
        case .readingBody(var pace):
            pace.received(buffer.readableBytes, at: .now())
            phase = .readingBody(pace)
            deadline?.cancel()
        }
        context.fireChannelRead(data)
    }

    /// The client is asked for more bytes: while a body is read, the wait counts against its pace.
    func read(context: ChannelHandlerContext) {
        if case .readingBody(var pace) = phase, pace.waitingSince == nil {
            pace.waitingSince = .now()
            phase = .readingBody(pace)
            close(context, after: pace.allowance(limits), because: "Closed a connection whose request body came too slowly")
        }
        context.read()
    }

    /// A WebSocket upgrade the gateway refused leaves with the gateway's answer (403, 401 …)
    /// instead of the library's empty 400.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if answeredRefusal {
            promise?.succeed()
            return
        }
        if awaitingUpgradeAnswer {
            awaitingUpgradeAnswer = false
            if let refusal = refusals.take(context.channel) {
                answeredRefusal = true
                context.write(wrapOutboundOut(refusal), promise: promise)
                return
            }
        }
        context.write(data, promise: promise)
    }

    // MARK: Told by RequestPhases

    func headDecoded() {
        if case .readingHead = phase { deadline?.cancel() }
        awaitingUpgradeAnswer = false
        phase = .readingBody(BodyPace())
    }

    func requestEnded() {
        deadline?.cancel()
        phase = .betweenRequests
    }

    // MARK: Heads

    /// Counts a head's bytes; false when the connection was refused for them.
    private func readHead(_ buffer: ByteBuffer, _ context: ChannelHandlerContext) -> Bool {
        guard case .readingHead(var bytes, let tail) = phase else { return true }
        bytes += buffer.readableBytes
        let seen = tail + buffer.readableBytesView
        if Self.containsEndOfHead(seen) {
            deadline?.cancel()
            phase = .afterHead
            awaitingUpgradeAnswer = true
        } else if bytes > limits.maximumHeadBytes {
            logger.notice("Refused a request head over its size", metadata: ["source": "\(address ?? "-")", "bytes": "\(bytes)"])
            refuse(context, GatewayError(.headersTooLarge, "The request's headers are larger than \(limits.maximumHeadBytes / 1_024) KiB."))
            return false
        } else {
            phase = .readingHead(bytes: bytes, tail: Array(seen.suffix(3)))
        }
        return true
    }

    private func startHeadDeadline(_ context: ChannelHandlerContext) {
        close(context, after: limits.headDeadline, because: "Closed a connection that sent no whole request head in time")
    }

    /// The one deadline of the connection: a new one replaces the last.
    private func close(_ context: ChannelHandlerContext, after delay: TimeAmount, because reason: Logger.Message) {
        let channel = context.channel
        let logger = logger
        deadline?.cancel()
        deadline = context.eventLoop.scheduleTask(in: delay) {
            logger.notice(reason, metadata: ["source": "\(channel.remoteAddress?.ipAddress ?? "-")"])
            channel.close(promise: nil)
        }
    }

    static func containsEndOfHead(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return true
        }
        return false
    }

    /// Answers with a short error of the gateway's usual shape and closes.
    private func refuse(_ context: ChannelHandlerContext, _ error: GatewayError) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(error.closingHTTP1Response)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// How a request body keeps pace: the time spent waiting on the client against what it sent.
struct BodyPace {
    var bytes = 0
    var waited = TimeAmount.zero
    var waitingSince: NIODeadline?

    mutating func received(_ count: Int, at now: NIODeadline) {
        bytes += count
        if let waitingSince { waited = waited + (now - waitingSince) }
        waitingSince = nil
    }

    /// How much longer the client may keep the gateway waiting.
    func allowance(_ limits: ConnectionLimits) -> TimeAmount {
        let earned = TimeAmount.nanoseconds(Int64(bytes) * 1_000_000_000 / Int64(max(1, limits.minimumBodyRate)))
        return max(.zero, limits.bodyGrace + earned - waited)
    }
}

/// After the HTTP decoder: tells the connection's guard where each request's head and end are.
final class RequestPhases: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let logger: Logger
    private var connectionGuard: ConnectionGuard?

    init(logger: Logger) { self.logger = logger }

    func handlerAdded(context: ChannelHandlerContext) {
        do {
            connectionGuard = try context.pipeline.syncOperations.handler(type: ConnectionGuard.self)
        } catch {
            // Only a pipeline built without `GuardedChildChannel` lacks it: its requests go untimed.
            logger.error("No connection guard before the HTTP decoder; request heads and bodies are not timed", metadata: ["error": "\(error)"])
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: connectionGuard?.headDecoded()
        case .body: break
        case .end: connectionGuard?.requestEnded()
        }
        context.fireChannelRead(data)
    }
}

/// The server's child channel with the guard in front of whatever the HTTP server builder made.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let ledger: ConnectionLedger
    let refusals: UpgradeRefusals
    let limits: ConnectionLimits
    let logger: Logger

    func setup(channel: any NIOCore.Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            // Appended before the HTTP handlers: first of all in plain HTTP, right after TLS under TLS.
            try channel.pipeline.syncOperations.addHandler(ConnectionGuard(ledger: ledger, refusals: refusals, limits: limits, logger: self.logger))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades (as `.http1WebSocketUpgrade` builds it), every connection
    /// guarded by `limits`. Under TLS the guard comes after the TLS handler and reads plain text.
    static func guardedHTTP1WebSocketUpgrade<Router: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: Router, configuration: HTTP1WebSocketUpgradeChannel.Configuration, ledger: ConnectionLedger,
        refusals: UpgradeRefusals, limits: ConnectionLimits, logger: Logger
    ) -> HTTPServerBuilder where Router.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        var http1 = configuration.http1
        http1.additionalChannelHandlers = { [RequestPhases(logger: logger)] }
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(http1: http1, ws: configuration.ws)
        return HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                ledger: ledger, refusals: refusals, limits: limits, logger: logger)
        }
    }
}
