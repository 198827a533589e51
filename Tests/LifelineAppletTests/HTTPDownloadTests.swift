import Crypto
import Foundation
import Glibc
import Synchronization
@testable import LifelineApplet
import LifelineCore
import Testing

/// The applet's download on async-http-client against a real socket on loopback that answers as
/// told: the whole file, a 404, a body cut short, a body that stalls, no answer at all.
@Suite("The applet's file download: exact bytes, hashed on the way, and every failure named")
struct HTTPDownloadTests {
    /// One connection accepted on 127.0.0.1, handled by `serve` on its own thread.
    final class LoopbackServer: @unchecked Sendable {
        let port: Int
        private let listener: Int32

        init(serve: @escaping @Sendable (Int32) -> Void) throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(listener, 4) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
            }
            port = Int(UInt16(bigEndian: address.sin_port))
            self.listener = listener
            Thread.detachNewThread {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                // Reads the request head, then answers as the test says.
                var head = [UInt8](repeating: 0, count: 8_192)
                _ = recv(connection, &head, head.count, 0)
                serve(connection)
                close(connection)
            }
        }

        deinit { close(listener) }

        var url: URL { URL(string: "http://127.0.0.1:\(port)/api/v1/transfers/t1")! }

        static func send(_ connection: Int32, _ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return }
                offset += sent
            }
        }

        static func head(status: String = "200 OK", length: Int) -> [UInt8] {
            Array("HTTP/1.1 \(status)\r\nContent-Length: \(length)\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        }
    }

    func temporaryFile() -> (descriptor: Int32, path: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lifeline-download-\(UUID().uuidString)").path
        return (open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600), path)
    }

    func failure(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "no failure"
        } catch let failure as HTTPDownload.Failure {
            return failure.message
        } catch {
            return "other error: \(error)"
        }
    }

    @Test("8 MiB sent in uneven pieces arrive whole: the file, its MD5 and the progress up to the last byte")
    func wholeFile() async throws {
        let content = (0..<8 * 1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let server = try LoopbackServer { connection in
            LoopbackServer.send(connection, LoopbackServer.head(length: content.count))
            var offset = 0, piece = 1_000
            while offset < content.count {
                let end = min(content.count, offset + piece)
                LoopbackServer.send(connection, Array(content[offset..<end]))
                offset = end
                piece = piece * 3 % 300_007 + 17
            }
        }
        let file = temporaryFile()
        defer { close(file.descriptor); unlink(file.path) }
        let seen = Mutex<[Int64]>([])
        let md5 = try await HTTPDownload.fetch(server.url, bearer: "token", into: file.descriptor, expected: Int64(content.count)) { received in
            seen.withLock { $0.append(received) }
        }
        #expect(md5 == Insecure.MD5.hash(data: content).map { String(format: "%02x", $0) }.joined())
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == Data(content))
        let progress = seen.withLock { $0 }
        #expect(progress.last == Int64(content.count) && progress == progress.sorted() && progress.count >= 5, "\(progress)")
    }

    @Test("the gateway's refusal is named with its status")
    func refused() async throws {
        let server = try LoopbackServer { connection in
            LoopbackServer.send(connection, LoopbackServer.head(status: "404 Not Found", length: 0))
        }
        let message = await failure {
            _ = try await HTTPDownload.fetch(server.url, bearer: "token", into: MemorySink(), expected: 10) { _ in }
        }
        #expect(message == "the gateway answered HTTP 404")
    }

    @Test("a body cut short says how much arrived, and exactly that much is on disk (a resume goes on from there)")
    func cutShort() async throws {
        let server = try LoopbackServer { connection in
            LoopbackServer.send(connection, LoopbackServer.head(length: 100_000) + [UInt8](repeating: 7, count: 40_000))
        }
        let file = temporaryFile()
        defer { close(file.descriptor); unlink(file.path) }
        let message = await failure {
            _ = try await HTTPDownload.fetch(server.url, bearer: "token", into: file.descriptor, expected: 100_000) { _ in }
        }
        let match = message.firstMatch(of: /^the transfer was interrupted after (\d+) of 100000 bytes/)
        let named = match.flatMap { Int($0.1) }
        let onDisk = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int
        #expect(named != nil && named! <= 40_000 && named == onDisk, "\(message); \(onDisk ?? -1) bytes on disk")
    }

    /// A server's silence: held until the test releases it (or a minute passes), remembering
    /// whether it ever gave up, so a test can tell the client's own timeout from the server's close.
    final class Silence: @unchecked Sendable {
        private let released = NSCondition()
        private var isReleased = false
        private let ended = Mutex(false)

        func hold() {
            released.lock()
            let deadline = Date().addingTimeInterval(60)
            while !isReleased, released.wait(until: deadline) {}
            released.unlock()
            ended.withLock { $0 = true }
        }

        /// Lets the server go; true when it was still holding until now.
        func release() -> Bool {
            let stillHolding = !ended.withLock { $0 }
            released.lock()
            isReleased = true
            released.broadcast()
            released.unlock()
            return stillHolding
        }
    }

    @Test("a body that stalls is given up after the read timeout, naming how much arrived")
    func stalls() async throws {
        let silence = Silence()
        let server = try LoopbackServer { connection in
            LoopbackServer.send(connection, LoopbackServer.head(length: 100_000) + [UInt8](repeating: 7, count: 25_000))
            silence.hold()
        }
        let message = await failure {
            _ = try await HTTPDownload.fetch(server.url, bearer: "token", into: MemorySink(), expected: 100_000, readTimeout: .seconds(1)) { _ in }
        }
        #expect(message.hasPrefix("the transfer was interrupted after 25000 of 100000 bytes"), "\(message)")
        #expect(silence.release(), "given up by the applet while the server still held the connection: \(message)")
    }

    @Test("a server that never answers is reported as such after the answer's deadline")
    func neverAnswers() async throws {
        let silence = Silence()
        let server = try LoopbackServer { _ in silence.hold() }
        let message = await failure {
            _ = try await HTTPDownload.fetch(server.url, bearer: "token", into: MemorySink(), expected: 10,
                                             answerTimeout: .seconds(1), readTimeout: .seconds(1)) { _ in }
        }
        #expect(message.hasPrefix("the connection failed"), "\(message)")
        #expect(silence.release(), "given up by the applet while the server still held the connection: \(message)")
    }
}
