import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the gateway from a chosen loopback address (127.x.y.z), for what the
/// test client will not do: say nothing, trickle a head, send one far too large, hold many. Reads
/// block on threads of their own, so the gateway's tasks keep running.
final class RawConnection: @unchecked Sendable {
    let socket: Int32

    /// `receiveTimeout`: how long a read waits for the gateway before it gives up, in seconds.
    init(port: Int, from source: String = "127.0.0.1", receiveTimeout: Int = 5) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        _ = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError("connect() failed") }
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL))
    }

    /// Everything the gateway sends until it closes (or 5 s pass); nil when it closed without a word.
    func readAllBlocking() -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while received.count < 1_048_576 {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return received.isEmpty ? nil : String(decoding: received, as: UTF8.self)
    }

    /// What the gateway has sent so far (one read, up to 5 s), e.g. the answer on a kept connection.
    func readOnceBlocking() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }

    func readUntilClosed() async -> String? { await onItsOwnThread { $0.readAllBlocking() } }

    func readOnce() async -> String? { await onItsOwnThread { $0.readOnceBlocking() } }

    private func onItsOwnThread(_ read: @escaping @Sendable (RawConnection) -> String?) async -> String? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: read(self)) }.start()
        }
    }

    /// Whether the gateway closes this connection, with nothing more to read, within 5 s (a read
    /// sees the end, or a reset: a socket closed with bytes still unread is reset, not ended; a
    /// read that times out means it is still open).
    func isClosedByGateway() async -> Bool {
        await withCheckedContinuation { continuation in
            Thread {
                var buffer = [UInt8](repeating: 0, count: 1)
                let count = recv(self.socket, &buffer, 1, Int32(MSG_PEEK))
                continuation.resume(returning: count == 0 || (count < 0 && errno == ECONNRESET))
            }.start()
        }
    }
}

