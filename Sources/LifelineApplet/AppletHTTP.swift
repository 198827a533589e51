import AsyncHTTPClient
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
import Synchronization

/// The applet's HTTP requests (joins, Calling Card, files sent): async-http-client over SwiftNIO,
/// one client per way out (direct, or through the Calling Card's proxy), kept for the applet's
/// life. One place for timeouts, redirects and the proxy; TLS trusts the system's certificate
/// authorities and the organisation's own when given (`AppletTrust`).
enum AppletHTTP {
    /// How long a connection may stay silent while an answer is being read.
    static let readTimeout: TimeAmount = .seconds(60)

    private struct Way: Hashable {
        let proxy: ProxySettings?
        let readTimeout: TimeAmount
    }

    private static let clients = Mutex<[Way: HTTPClient]>([:])

    static func client(proxy: ProxySettings?, readTimeout: TimeAmount = readTimeout) -> HTTPClient {
        clients.withLock { clients in
            let way = Way(proxy: proxy, readTimeout: readTimeout)
            if let client = clients[way] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .seconds(10), read: readTimeout)
            configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
            if let tls = AppletTrust.tlsConfiguration() { configuration.tlsConfiguration = tls }
            if let proxy {
                let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
                configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
            }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[way] = client
            return client
        }
    }

    /// What came back: the status and the whole body (answers are small; files go elsewhere).
    struct Answer {
        let status: Int
        let body: Data

        /// The gateway's `error.message`, when the body is its JSON error (a proxy's or a server's
        /// own error page is not: the caller names the status instead).
        var errorMessage: String? {
            guard let error = try? JSONDecoder().decode([String: [String: String]].self, from: body) else { return nil }
            return error["error"]?["message"]
        }
    }

    static let largestAnswer = 4 << 20

    /// One request, its answer read whole; throws when the gateway cannot be reached.
    static func send(_ request: HTTPClientRequest, proxy: ProxySettings?, timeout: TimeAmount = .seconds(20)) async throws -> Answer {
        let response = try await client(proxy: proxy).execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: largestAnswer)
        return Answer(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    /// A file's bytes as the body of a request, read from disk as the upload takes them;
    /// `seen` hears each piece in order (a hash on the way).
    static func fileBody(descriptor: Int32, size: Int64, stop: StopFlag? = nil, seen: (@Sendable (ByteBuffer) -> Void)? = nil) -> HTTPClientRequest.Body {
        let chunk = 256 * 1024
        let chunks = AsyncStream<ByteBuffer>(unfolding: {
            var buffer = ByteBufferAllocator().buffer(capacity: chunk)
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { space in
                max(0, read(descriptor, space.baseAddress, space.count))
            }
            // Stopped (the customer's red X): the body ends short and the gateway drops the copy.
            guard count > 0, stop?.isRaised != true else { return nil }
            seen?(buffer)
            return buffer
        })
        return .stream(chunks, length: .known(size))
    }
}
