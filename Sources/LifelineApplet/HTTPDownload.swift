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
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One file downloaded over HTTP(S) with async-http-client (D4), through the Calling Card's proxy
/// when it names one: each piece of the body goes straight to the sink (a file descriptor and a
/// hash) as it arrives, so the applet keeps up with the gateway.
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
    /// `answerTimeout` bounds the wait for the answer's head, `readTimeout` any silence after it.
    static func fetch<Sink: DownloadSink>(_ url: URL, bearer: String, into sink: Sink, expected: Int64, proxy: ProxySettings? = nil,
                                          stop: StopFlag? = nil, answerTimeout: TimeAmount = .seconds(30),
                                          readTimeout: TimeAmount = AppletHTTP.readTimeout,
                                          progress: @escaping @Sendable (Int64) -> Void) async throws -> Sink {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw Failure(message: "the gateway's address is not http or https")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        let response: HTTPClientResponse
        do {
            response = try await AppletHTTP.client(proxy: proxy, readTimeout: readTimeout).execute(request, timeout: answerTimeout)
        } catch {
            throw Failure(message: "the connection failed (\(error))")
        }
        guard response.status == .ok else { throw Failure(message: "the gateway answered HTTP \(response.status.code)") }
        var sink = sink
        var received: Int64 = 0
        var reported: Int64 = 0
        do {
            for try await piece in response.body {
                // Raised by the customer's red X: not one more byte is written; leaving the loop drops the connection.
                if stop?.isRaised == true { throw Failure(message: "stopped on the customer's computer") }
                if let refused = piece.withUnsafeReadableBytes({ sink.take($0) }) { throw Failure(message: refused) }
                received += Int64(piece.readableBytes)
                if received - reported >= expected / 20 || received == expected {
                    reported = received
                    progress(received)
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(message: "the transfer was interrupted after \(received) of \(expected) bytes (\(error))")
        }
        guard received == expected else {
            throw Failure(message: "the transfer was interrupted after \(received) of \(expected) bytes")
        }
        return sink
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
