#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import NIOCore
import NIOPosix

/// A TCP connection to `host:port` through an HTTP proxy (CONNECT), for the applet's own NIO
/// clients (the file download) when the Calling Card's settings name a proxy (G3).
enum ProxyTunnel {
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    /// Connects to the proxy, asks it for a tunnel, and hands the channel to `configure` once the
    /// proxy said yes, with the pipeline empty.
    static func connect(through proxy: ProxySettings, to host: String, port: Int, group: any EventLoopGroup,
                        configure: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel {
        let eventLoop = group.next()
        let ready = eventLoop.makePromise(of: Void.self)
        let request = connectRequest(host: host, port: port, authorization: proxy.authorization)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectHandler(request: request, ready: ready))
                }
            }
            .connect(host: proxy.host, port: proxy.port).get()
        do {
            try await ready.futureResult.get()
            try await channel.eventLoop.submit { try configure(channel) }.get()
        } catch {
            try? await channel.close()
            throw error
        }
        return channel
    }

    static func connectRequest(host: String, port: Int, authorization: String?) -> String {
        var lines = ["CONNECT \(host):\(port) HTTP/1.1", "Host: \(host):\(port)"]
        if let authorization { lines.append("Proxy-Authorization: \(authorization)") }
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    /// The proxy's answer: the status code of its first line, once the head is complete.
    static func status(ofHead head: String) -> Int? {
        let firstLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = firstLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1.") else { return nil }
        return Int(parts[1])
    }
}

/// Sends CONNECT, reads the proxy's answer, then leaves the pipeline. Event loop only.
private final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let request: String
    private let ready: EventLoopPromise<Void>
    private var head = ""
    private var done = false

    init(request: String, ready: EventLoopPromise<Void>) {
        self.request = request
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return context.fireChannelRead(data) }
        var buffer = unwrapInboundIn(data)
        head += buffer.readString(length: buffer.readableBytes) ?? ""
        guard head.contains("\r\n\r\n") || head.count > 16_384 else { return }
        done = true
        let status = ProxyTunnel.status(ofHead: head)
        guard status == 200 else {
            let reason = status == 407 ? "the proxy wants other credentials (407)" : "the proxy refused the connection (\(status.map(String.init) ?? "no HTTP answer"))"
            ready.fail(ProxyTunnel.Refused(description: reason))
            context.close(promise: nil)
            return
        }
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
        ready.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done { ready.fail(ProxyTunnel.Refused(description: "the proxy closed the connection")) }
        done = true
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done { ready.fail(error) }
        done = true
        context.close(promise: nil)
    }
}
