import Foundation

/// One HTTP/1.1 request written by hand on a plain TCP socket, for what the test client will not
/// send as is (a WebSocket upgrade whose refusal status matters, a chosen source address).
enum RawHTTP {
    /// A JSON POST from a chosen loopback source address (127.x.y.z), as a customer elsewhere
    /// would send it. Blocking, on a thread of its own so the gateway's tasks keep running.
    static func post(port: Int, from source: String, path: String, json: String) async throws -> (status: Int, head: String) {
        let request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(json)"
        return try await exchange(port: port, from: source, request: request)
    }

    /// Sends `request` and reads until the server closes (Connection: close) or its first answer is in.
    /// The socket blocks on a thread of its own: blocking one of the few threads Swift's tasks share
    /// would starve the gateway under test, which answers on them.
    static func exchange(port: Int, from source: String = "127.0.0.1", request: String) async throws -> (status: Int, head: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchangeBlocking(port: port, from: source, request: request) }) }.start()
        }
    }

    private static func exchangeBlocking(port: Int, from source: String, request: String) throws -> (status: Int, head: String) {
        // An answer is always expected here: on a loaded machine (a CI run where every suite starts
        // its PostgreSQL database at once) it may take more than a few seconds, so wait up to 30.
        let connection = try RawConnection(port: port, from: source, receiveTimeout: 30)
        connection.send(request)
        let answer = request.contains("Connection: close") ? connection.readAllBlocking() : connection.readOnceBlocking()
        guard let head = answer else { throw HarnessError("no answer") }
        guard let line = head.split(separator: "\r\n").first, let code = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw HarnessError("no status line in \(head.prefix(80))")
        }
        return (code, head)
    }
}
