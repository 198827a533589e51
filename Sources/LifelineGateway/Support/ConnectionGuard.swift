import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Limits on the gateway's TCP connections, so no one client can hold its file descriptors:
/// a connection must send a whole request head soon and within a size, one source address holds
/// at most so many, and past the total the gateway answers 503 at once rather than stop answering.
public struct ConnectionLimits: Sendable {
    /// Time from connecting to the end of the first request's head (idle and slow-loris clients).
    public var firstRequestDeadline: TimeAmount
    /// Bytes of the first request's head at most; past it the answer is 431.
    public var maximumHeadBytes: Int
    /// Connections open at once from one source address.
    public var perAddress: Int
    /// Connections open at once in all; the rest of the file descriptors stay for the database,
    /// files in transfer and recordings.
    public var total: Int
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: TimeAmount

    public init(firstRequestDeadline: TimeAmount = .seconds(10), maximumHeadBytes: Int = 32 * 1_024, perAddress: Int = 256,
                total: Int = ConnectionLimits.totalForThisProcess(), idleTimeout: TimeAmount = .seconds(75)) {
        self.firstRequestDeadline = firstRequestDeadline
        self.maximumHeadBytes = maximumHeadBytes
        self.perAddress = perAddress
        self.total = total
        self.idleTimeout = idleTimeout
    }

    /// File descriptors kept back from connections: the listener, the database and its journal,
    /// files being transferred, recordings, the applet download.
    public static let reservedDescriptors = 256

    /// The open-file limit of this process less the reserve.
    public static func totalForThisProcess() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return max(64, Int(clamping: limit.rlim_cur) - reservedDescriptors)
    }
}

/// Connections open now, per source address and in all; shared by every connection's guard.
final class ConnectionLedger: Sendable {
    private let counts = NIOLockedValueBox<(perAddress: [String: Int], total: Int)>(([:], 0))

    enum Admission: Equatable { case admitted, addressFull, gatewayFull }

    func admit(_ address: String, limits: ConnectionLimits) -> Admission {
        counts.withLockedValue { counts in
            if counts.total >= limits.total { return .gatewayFull }
            if counts.perAddress[address, default: 0] >= limits.perAddress { return .addressFull }
            counts.perAddress[address, default: 0] += 1
            counts.total += 1
            return .admitted
        }
    }

    func release(_ address: String) {
        counts.withLockedValue { counts in
            let left = counts.perAddress[address, default: 1] - 1
            counts.perAddress[address] = left > 0 ? left : nil
            counts.total -= 1
        }
    }
}

/// First in every connection's pipeline, on raw bytes: admits the connection against the ledger,
/// and until the first request's head is complete, holds it to a deadline and a size. After that
/// it only passes bytes on (later requests are the HTTP decoder's and the idle timeout's).
final class ConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let ledger: ConnectionLedger
    private let limits: ConnectionLimits
    private let logger: Logger
    private var address: String?
    private var deadline: Scheduled<Void>?
    private var headSeen = false
    private var headBytes = 0
    /// The last bytes read, to find "\r\n\r\n" across reads.
    private var tail: [UInt8] = []

    init(ledger: ConnectionLedger, limits: ConnectionLimits, logger: Logger) {
        self.ledger = ledger
        self.limits = limits
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        switch ledger.admit(address, limits: limits) {
        case .admitted:
            self.address = address
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: limits.firstRequestDeadline) { [weak self] in
                guard let self, !self.headSeen else { return }
                self.logger.notice("Closed a connection that sent no request in time", metadata: ["source": "\(address)"])
                channel.close(promise: nil)
            }
            context.fireChannelActive()
        case .addressFull:
            logger.warning("Refused a connection: its address holds too many", metadata: ["source": "\(address)", "limit": "\(limits.perAddress)"])
            refuse(context, .tooManyConnections, message: "Too many connections from your address.")
        case .gatewayFull:
            logger.error("Refused a connection: the gateway holds as many as it may", metadata: ["source": "\(address)", "limit": "\(limits.total)"])
            refuse(context, .gatewayFull, message: "The service is at its connection limit. Try again shortly.")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        if let address {
            ledger.release(address)
            self.address = nil
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard address != nil else { return }
        if !headSeen {
            let buffer = unwrapInboundIn(data)
            headBytes += buffer.readableBytes
            let bytes = tail + buffer.readableBytesView
            if Self.containsEndOfHead(bytes) {
                headSeen = true
                deadline?.cancel()
                tail = []
            } else if headBytes > limits.maximumHeadBytes {
                logger.notice("Refused a request head over its size", metadata: ["source": "\(address ?? "-")", "bytes": "\(headBytes)"])
                refuse(context, .headersTooLarge, message: "The request's headers are larger than \(limits.maximumHeadBytes / 1_024) KiB.")
                return
            } else {
                tail = Array(bytes.suffix(3))
            }
        }
        context.fireChannelRead(data)
    }

    static func containsEndOfHead(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return true
        }
        return false
    }

    /// Answers with a short error of the gateway's usual shape and closes.
    private func refuse(_ context: ChannelHandlerContext, _ code: ErrorCode, message: String) {
        let body = #"{"error":{"code":"\#(code.rawValue)","message":"\#(message)"}}"#
        let text = "HTTP/1.1 \(code.status.code) \(code.status.reasonPhrase)\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(body)"
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// The server's child channel with the guard in front of whatever the HTTP server builder made.
struct GuardedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let ledger: ConnectionLedger
    let limits: ConnectionLimits
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            // Appended before the HTTP handlers: first of all in plain HTTP, right after TLS under TLS.
            try channel.pipeline.syncOperations.addHandler(ConnectionGuard(ledger: ledger, limits: limits, logger: self.logger))
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
        limits: ConnectionLimits, logger: Logger
    ) -> HTTPServerBuilder where Router.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GuardedChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                ledger: ledger, limits: limits, logger: logger)
        }
    }
}
