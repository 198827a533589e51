import Foundation
import Prometheus
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LifelineProtocol
import LifelineCore
@testable import LifelineGateway
import LifelineStore
import LifelineTestSupport
import Logging
import Testing
import NIOCore

/// Runs the real gateway on a loopback port with a fresh SQLite file, a hand-moved clock and a
/// master administrator, and gives tests a small JSON client.
struct GatewayHarness: Sendable {
    static let adminEmail = "admin@lifeline.test"
    static let adminPassword = "correct horse battery"
    static let publicURL = "http://127.0.0.1:9999"

    let client: any TestClientProtocol
    let parts: GatewayParts
    let clock: TestClock
    let dataDirectory: String
    /// The gateway's database: the data folder's SQLite file, or a PostgreSQL database of its own
    /// when LIFELINE_TEST_POSTGRES names a server.
    let database: DatabaseLocation

    var port: Int { client.port! }
    var hub: SessionHub { parts.hub }

    static func newDataDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lifeline-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every test client connects from 127.0.0.1, standing for many customers at many addresses:
    /// the per-address cap is lifted. The clients run in the gateway's own process, starved of CPU
    /// when suites run in parallel, so the deadlines are generous (ConnectionLimitsTests set their own).
    static let connectionLimits = ConnectionLimits(headDeadline: .seconds(600), bodyGrace: .seconds(600), perAddress: 100_000,
                                                   idleTimeout: .seconds(600))

    /// Starts a gateway, runs `body`, stops it. Pass the same data directory twice to restart.
    static func run(
        dataDirectory: String = newDataDirectory(), clock: TestClock = TestClock(),
        presence: TechnicianPresence.Settings = .standard, timers: SessionTimers = .standard, sms: SMSConfiguration? = nil,
        withAdministrator: Bool = true, database: DatabaseLocation? = nil,
        webRoot: String = FileManager.default.currentDirectoryPath + "/Web", helloDeadline: Duration = .seconds(10),
        connectionLimits: ConnectionLimits = GatewayHarness.connectionLimits, transferStallLimit: Duration = .seconds(30),
        agentAnswerDeadline: Duration = .seconds(15),
        webRTC: WebRTCSetup? = WebRTCSetup(iceServers: []), turn: TurnServerSecret? = nil, appletBinaryPath: String? = nil,
        metricsRegistry: PrometheusCollectorRegistry? = nil, metricsToken: String? = nil,
        _ body: @Sendable (GatewayHarness) async throws -> Void
    ) async throws {
        let database = if let database { database } else {
            try await TestDatabase.preferred.location(forDataDirectory: dataDirectory)
        }
        var logger = Logger(label: "lifeline-test")
        logger.logLevel = .warning
        var settings = GatewayConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: dataDirectory, publicURL: publicURL,
            webRoot: webRoot, appletBinaryPath: appletBinaryPath,
            initialAdminEmail: withAdministrator ? adminEmail : nil, initialAdminPassword: withAdministrator ? adminPassword : nil, sms: sms,
            database: database)
        settings.browserScreenWebRTC = webRTC
        settings.turn = turn
        settings.metricsToken = metricsToken
        let configuration = settings
        var environment = GatewayEnvironment(now: { clock.now }, bcryptCost: 4, timers: timers, timerInterval: 3_600, presence: presence,
                                             helloDeadline: helloDeadline, connectionLimits: connectionLimits,
                                             transferStallLimit: transferStallLimit)
        environment.agentAnswerDeadline = agentAnswerDeadline
        environment.metricsRegistry = metricsRegistry
        // The tests beat the node's heart themselves (`parts.node.tick()`).
        environment.nodeHeartbeat = .seconds(3_600)
        let (app, parts) = try await buildApplication(configuration: configuration, environment: environment, logger: logger)
        try await app.test(.live) { client in
            // One request before the body: a live test server stopped before it has finished
            // starting can hang its shutdown (a test whose body sends nothing did, now and then).
            // It goes on a connection of its own: the test client's kept connection may already
            // be closed by tight connection limits (a 1 s head deadline on a loaded machine), and
            // a request on it would fail the test for the harness's sake.
            let health = try await RawHTTP.exchange(port: client.port!, request: "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            guard health.status == 200 else { throw HarnessError("The gateway under test is not healthy: \(health.head.prefix(80))") }
            try await body(GatewayHarness(client: client, parts: parts, clock: clock, dataDirectory: dataDirectory,
                                          database: configuration.databaseLocation))
            // The test client's own connection carries one request before the server stops: one that
            // never did is waited for until its head deadline (600 s here) by the server's shutdown, and a
            // body that sends nothing (the route list's test) held a whole run ten minutes, now and then.
            do {
                _ = try await client.execute(uri: "/api/v1/health", method: .get)
            } catch {
                // Closed by the body or by tight connection limits: then nothing is left to wait for.
            }
        }
    }

    // MARK: JSON over HTTP

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw HarnessError("Expected a JSON object, got \(String(decoding: body, as: UTF8.self))")
            }
            return object
        }

        func array() throws -> [[String: Any]] {
            guard let array = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] else {
                throw HarnessError("Expected a JSON array, got \(String(decoding: body, as: UTF8.self))")
            }
            return array
        }

        /// The `error.code` of a JSON error body.
        var errorCode: String? {
            ((try? json())?["error"] as? [String: Any])?["code"] as? String
        }
    }

    func request(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: Any? = nil,
                 raw: String? = nil, bytes: [UInt8]? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            // JSON unless the test says otherwise (a text/plain form post from another page).
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(string: raw)
        } else if let bytes {
            headers[.contentType] = "application/octet-stream"
            body = ByteBuffer(bytes: bytes)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    func login(_ email: String = adminEmail, _ password: String = adminPassword) async throws -> String {
        let reply = try await request(.post, "/api/v1/auth/login", json: ["email": email, "password": password])
        guard reply.status == .ok, let token = try reply.json()["token"] as? String else {
            throw HarnessError("Login failed: \(reply.status)")
        }
        return token
    }

    /// Creates a session and returns (id, pin or link).
    func createSession(token: String, name: String = "Customer", method: String = "pin") async throws -> (id: String, credential: String) {
        let reply = try await request(.post, "/api/v1/sessions", token: token, json: ["name": name, "method": method])
        guard reply.status == .created else { throw HarnessError("Create failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        let object = try reply.json()
        return (object["id"] as! String, (object[method] as? String) ?? "")
    }

    func join(pin: String) async throws -> Reply {
        try await request(.post, "/api/v1/customer/join", json: ["pin": pin])
    }

    func state(of id: String, token: String) async throws -> String {
        try await request(.get, "/api/v1/sessions/\(id)", token: token).json()["state"] as? String ?? "?"
    }

    /// A technician in a new group with exactly `permissions`; returns their token.
    /// The id of the technician called `name`, as the Admin Center lists them.
    func technicianId(named name: String, adminToken: String) async throws -> String {
        let list = try await request(.get, "/api/v1/admin/technicians", token: adminToken).array()
        guard let id = list.first(where: { $0["name"] as? String == name })?["id"] as? String else {
            throw HarnessError("No technician named \(name)")
        }
        return id
    }

    func technician(named name: String, permissions: [String], adminToken: String) async throws -> String {
        let group = try await request(.post, "/api/v1/admin/groups", token: adminToken, json: ["name": "\(name) group", "permissions": permissions]).json()
        let email = "\(name.lowercased())@lifeline.test"
        let created = try await request(.post, "/api/v1/admin/technicians", token: adminToken, json: [
            "email": email, "name": name, "password": "long enough password", "groupId": group["id"] as! String,
        ])
        guard created.status == .created else { throw HarnessError("Technician not created: \(created.status)") }
        return try await login(email, "long enough password")
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension GatewayHarness {
    /// It claims an address, as a hostile applet could: the gateway keeps the one it sees.
    static let customer = CustomerInfo(hostname: "customer-pc", user: "ann", platform: "Linux x86_64", address: "203.0.113.9")

    /// Joins with a PIN over HTTP and opens the applet socket, as the real applet does.
    func connectApplet(pin: String) async throws -> (probe: SocketProbe, appletToken: String) {
        let joined = try await join(pin: pin)
        guard joined.status == .ok, let token = try joined.json()["appletToken"] as? String else {
            throw HarnessError("Join failed: \(joined.status) \(String(decoding: joined.body, as: UTF8.self))")
        }
        return (try await helloApplet(token: token), token)
    }

    /// Opens an applet socket with an applet token and waits for the welcome.
    func helloApplet(token: String, rejoining: Bool = false) async throws -> SocketProbe {
        let probe = SocketProbe(port: port, path: "/ws/applet")
        probe.send(AppletToGateway.hello(.init(token: token, appletVersion: "test", customer: Self.customer, rejoining: rejoining ? true : nil)))
        _ = try await probe.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
        return probe
    }

    /// A console socket authenticated with a bearer token.
    func console(token: String, origin: String? = nil) -> SocketProbe {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let origin { headers[.origin] = origin }
        return SocketProbe(port: port, path: "/ws/console", headers: headers)
    }

    /// Polls the API until the session shows `state` (pushes are asynchronous).
    func waitForState(_ state: String, of id: String, token: String, seconds: Double = 5) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try await self.state(of: id, token: token)
            if last == state { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("Session \(id) stayed \(last), expected \(state)")
    }

    /// Polls `condition` until it holds (a log line written after the answer, a pushed change).
    func eventually(seconds: Double = 5, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("The condition never held within \(seconds) s")
    }
}

extension GatewayHarness {
    /// A second organisation on the same gateway, with its master administrator signed in and a
    /// group, a technician and a channel of its own: the objects another organisation must not reach.
    func otherOrganisation() async throws -> (token: String, objects: [String: String]) {
        let organisation = Organisation(id: "other-organisation", name: "Other Org", createdAt: clock.now)
        try await parts.store.insertOrganisation(organisation)
        let accounts = Accounts(store: parts.store, environment: GatewayEnvironment(bcryptCost: 4))
        try await parts.store.insertTechnician(Technician(
            id: "other-master", organisationId: organisation.id, groupId: nil, email: "master@other.test", name: "Other master",
            passwordHash: try await accounts.hashPassword("other long password"), role: .masterAdministrator, disabled: false,
            language: "en", createdAt: clock.now))
        let token = try await login("master@other.test", "other long password")
        let group = try await request(.post, "/api/v1/admin/groups", token: token, json: ["name": "Theirs", "permissions": ["chat"]]).json()
        let groupId = try #require(group["id"] as? String)
        let technician = try await request(.post, "/api/v1/admin/technicians", token: token, json: [
            "email": "theirs@other.test", "name": "Theirs", "password": "long enough password", "groupId": groupId]).json()
        let channel = try await request(.post, "/api/v1/admin/channels", token: token, json: ["name": "Their channel", "groupIds": [groupId]]).json()
        return (token, ["group": groupId, "technician": try #require(technician["id"] as? String),
                        "channel": try #require(channel["id"] as? String)])
    }
}
