import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 request written by hand on a plain TCP socket, for what the test client will not
/// send as is (a WebSocket upgrade whose refusal status matters). Returns the status code.
enum RawHTTP {
    static func status(port: Int, request: String) throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HarnessError("socket() failed") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError("connect() failed") }
        let bytes = Array(request.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw HarnessError("send() failed") }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(socket, &buffer, buffer.count, 0)
        guard count > 0 else { throw HarnessError("no answer") }
        let head = String(decoding: buffer[0..<count], as: UTF8.self)
        guard let line = head.split(separator: "\r\n").first, let code = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw HarnessError("no status line in \(head.prefix(80))")
        }
        return code
    }
}
