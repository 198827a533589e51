import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Races: many clients, each on a connection of its own (the harness's client has one, which the
/// server would answer in turn), all connected before the first request leaves.
extension GatewayHarness {
    struct RaceRequest: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let token: String?
        var body: Data?
        /// A body sent as it is (an XML file, malformed JSON).
        var raw: String? {
            get { body.map { String(decoding: $0, as: UTF8.self) } }
            set { body = newValue.map { Data($0.utf8) } }
        }

        init(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: Any? = nil) throws {
            self.method = method
            self.path = path
            self.token = token
            body = try json.map { try JSONSerialization.data(withJSONObject: $0) }
        }
    }

    /// Sends every request at once and returns the replies in the order of `requests`.
    func race(_ requests: [RaceRequest]) async throws -> [Reply] {
        // A race checks who wins, not how fast: under a loaded machine (suites run in parallel) a
        // request among 200 may wait longer than the client's usual 15 s.
        let clients = requests.map { _ in TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120))) }
        for client in clients { client.connect() }
        let replies: [Reply]
        do {
            for client in clients { _ = try await client.channelPromise.futureResult.get() }
            replies = try await fire(requests, on: clients)
        } catch {
            for client in clients { try? await client.shutdown() }
            throw error
        }
        for client in clients { try await client.shutdown() }
        return replies
    }

    private func fire(_ requests: [RaceRequest], on clients: [TestClient]) async throws -> [Reply] {
        try await withThrowingTaskGroup(of: (Int, Reply).self) { group in
            for (index, request) in requests.enumerated() {
                let client = clients[index]
                group.addTask {
                    var headers: HTTPFields = [:]
                    if let token = request.token { headers[.authorization] = "Bearer \(token)" }
                    var body: ByteBuffer?
                    if let data = request.body {
                        headers[.contentType] = "application/json"
                        body = ByteBuffer(bytes: data)
                    }
                    let response = try await client.execute(TestClient.Request(request.path, method: request.method, headers: headers, body: body))
                    return (index, Reply(status: response.status, headers: response.headers, body: response.body.map { Data(buffer: $0) } ?? Data()))
                }
            }
            var replies = [Reply?](repeating: nil, count: requests.count)
            for try await (index, reply) in group { replies[index] = reply }
            return replies.map { $0! }
        }
    }

    /// The same request `count` times at once.
    func race(_ count: Int, _ request: RaceRequest) async throws -> [Reply] {
        try await race(Array(repeating: request, count: count))
    }
}
