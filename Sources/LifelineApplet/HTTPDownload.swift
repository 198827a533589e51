import Crypto
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
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One file downloaded over HTTP(S) with SwiftNIO (D4): the socket is read in large buffers that go
/// straight to the file descriptor and into the MD5, so the applet keeps up with the gateway.
enum HTTPDownload {
    struct Failure: Error {
        let message: String
    }

    /// Downloads `url` into `descriptor`; returns the MD5 (hex) once exactly `expected` bytes
    /// arrived, throws otherwise. `progress` gets the bytes received so far, now and then.
    static func fetch(_ url: URL, bearer: String, into descriptor: Int32, expected: Int64, proxy: ProxySettings? = nil,
                      progress: @escaping @Sendable (Int64) -> Void) async throws -> String {
        try await fetch(url, bearer: bearer, into: descriptor, expected: expected, digest: Insecure.MD5(), proxy: proxy, progress: progress)
            .finalize().hexString
    }

    /// The same with another hash, which may already hold the bytes before these (a resume);
    /// returns the hash with every byte in.
    static func fetch<Digest: IncrementalHash>(_ url: URL, bearer: String, into descriptor: Int32, expected: Int64, digest: Digest,
                                                       proxy: ProxySettings? = nil, stop: StopFlag? = nil,
                                                       progress: @escaping @Sendable (Int64) -> Void) async throws -> Digest {
        try await fetch(url, bearer: bearer, into: DescriptorSink(descriptor: descriptor, digest: digest), expected: expected,
                        proxy: proxy, stop: stop, progress: progress).digest
    }

    /// The body into any sink; returns the sink once exactly `expected` bytes went in.
    static func fetch<Sink: DownloadSink>(_ url: URL, bearer: String, into sink: Sink, expected: Int64, proxy: ProxySettings? = nil,
                                          stop: StopFlag? = nil, progress: @escaping @Sendable (Int64) -> Void) async throws -> Sink {
        guard let host = url.host, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw Failure(message: "the gateway's address is not http or https")
        }
        let secure = scheme == "https"
        let port = url.port ?? (secure ? 443 : 80)
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Sink.self)
        let handler = DownloadHandler(sink: sink, expected: expected, stop: stop, promise: promise, progress: progress)
        let sslContext = secure ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        // TLS, HTTP and the download handler: straight to the gateway, or inside a proxy's tunnel.
        let configure: @Sendable (any Channel) throws -> Void = { channel in
            if let sslContext {
                try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: host))
            }
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        let channel: any Channel
        if let proxy {
            channel = try await ProxyTunnel.connect(through: proxy, to: host, port: port, group: group, configure: configure)
        } else {
            channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64 * 1024, initial: 256 * 1024, maximum: 1024 * 1024))
                .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try configure(channel) } }
                .connect(host: host, port: port).get()
        }
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?\(query)" }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: port == (secure ? 443 : 80) ? host : "\(host):\(port)")
        head.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }
}

/// Where a download's bytes go, piece by piece on the connection's event loop; a failure
/// (the disk refused) is said in words and stops the download.
protocol DownloadSink: Sendable {
    mutating func take(_ bytes: UnsafeRawBufferPointer) -> String?
}

/// Into an open file, hashed on the way.
struct DescriptorSink<Digest: IncrementalHash>: DownloadSink {
    let descriptor: Int32
    var digest: Digest

    mutating func take(_ bytes: UnsafeRawBufferPointer) -> String? {
        digest.update(bufferPointer: bytes)
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return "the disk refused the file (\(String(cString: strerror(errno))))"
            }
            offset += written
        }
        return nil
    }
}

/// Into memory: a bundle of small files, split and written once it is all in.
struct MemorySink: DownloadSink {
    var bytes: [UInt8] = []

    mutating func take(_ piece: UnsafeRawBufferPointer) -> String? {
        bytes.append(contentsOf: piece)
        return nil
    }
}

/// Hands the body to its sink as it comes; the result is decided at the end of the response or
/// of the connection, whichever comes first. Used on its channel's event loop only.
private final class DownloadHandler<Sink: DownloadSink>: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let expected: Int64
    private let promise: EventLoopPromise<Sink>
    private let progress: @Sendable (Int64) -> Void
    private var sink: Sink
    /// Raised by the customer's red X: not one more byte is written.
    private let stop: StopFlag?
    private var received: Int64 = 0
    private var reported: Int64 = 0
    private var status: UInt = 0
    private var failure: String?
    private var finished = false

    init(sink: Sink, expected: Int64, stop: StopFlag?, promise: EventLoopPromise<Sink>, progress: @escaping @Sendable (Int64) -> Void) {
        self.sink = sink
        self.stop = stop
        self.expected = expected
        self.promise = promise
        self.progress = progress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status.code
            if status != 200 { failure = "the gateway answered HTTP \(status)" }
        case .body(let buffer):
            if stop?.isRaised == true, failure == nil {
                failure = "stopped on the customer's computer"
                context.close(promise: nil)
            }
            guard failure == nil else { return }
            if let refused = buffer.withUnsafeReadableBytes({ sink.take($0) }) { failure = refused }
            received += Int64(buffer.readableBytes)
            if failure != nil { context.close(promise: nil) }
            if received - reported >= expected / 20 || received == expected {
                reported = received
                progress(received)
            }
        case .end:
            finish()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil { failure = "the connection failed (\(error))" }
        context.close(promise: nil)
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        if let failure { return promise.fail(HTTPDownload.Failure(message: failure)) }
        guard received == expected else {
            return promise.fail(HTTPDownload.Failure(message: "the transfer was interrupted after \(received) of \(expected) bytes"))
        }
        promise.succeed(sink)
    }
}
