import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 request written by hand on a plain TCP socket, for what the test client will not
/// send as is (a WebSocket upgrade whose refusal status matters). Returns the status code.
enum RawHTTP {
    static func status(port: Int, request: String) throws -> Int {
        try exchange(port: port, request: request).status
    }

    /// A JSON POST from a chosen loopback source address (127.x.y.z), as a customer elsewhere
    /// would send it. Blocking, on a thread of its own so the gateway's tasks keep running.
    static func post(port: Int, from source: String, path: String, json: String) async throws -> (status: Int, head: String) {
        let request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(json)"
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(port: port, from: source, request: request) }) }.start()
        }
    }

    static func exchange(port: Int, from source: String? = nil, request: String) throws -> (status: Int, head: String) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HarnessError("socket() failed") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw HarnessError("bind(\(source)) failed") }
        }
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
        // Read until the server closes (Connection: close) or the first answer is in (an upgrade's).
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while received.count < 65_536 {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            if !request.contains("Connection: close") { break }
        }
        guard !received.isEmpty else { throw HarnessError("no answer") }
        let head = String(decoding: received, as: UTF8.self)
        guard let line = head.split(separator: "\r\n").first, let code = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw HarnessError("no status line in \(head.prefix(80))")
        }
        return (code, head)
    }
}
