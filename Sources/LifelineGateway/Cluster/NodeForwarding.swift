import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LifelineProtocol
import NIOCore
import NIOHTTP1

/// A technician's HTTP request about a session another gateway node serves goes to that node
/// (issue 20, step 3): the request — its login cookie or token, its body streamed — and the answer
/// come back the same way, so every check runs where the session lives. The customer's address is
/// passed along signed with a key every node derives from the gateway's identity key (the same file
/// on every node), so the serving node keeps its rate limits and audit per customer address.
struct NodeForwarding: Sendable {
    static let forwardedFor = HTTPField.Name("X-Lifeline-Forwarded-For")!
    static let forwardedSignature = HTTPField.Name("X-Lifeline-Forwarded-Signature")!
    /// How many nodes a request went through: a session that moved meanwhile is followed, never in circles.
    static let hops = HTTPField.Name("X-Lifeline-Hops")!
    static let maximumHops = 3
    /// A node's own request to another node (asking it to let a session go), signed like a forwarded one.
    static let node = HTTPField.Name("X-Lifeline-Node")!
    /// A signature older than this is not believed (a replayed header).
    static let signatureLifetime: TimeInterval = 60

    let key: SymmetricKey
    let now: @Sendable () -> Date

    init(identity: GatewayIdentity, now: @escaping @Sendable () -> Date = Date.init) {
        var material = Data("lifeline cluster forwarding\n".utf8)
        material.append(identity.key.rawRepresentation)
        key = SymmetricKey(data: SHA256.hash(data: material))
        self.now = now
    }

    /// The session a path is about: `/api/v1/sessions/{id}` and everything under it.
    static func sessionId(in path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 4, parts[0] == "api", parts[1] == "v1", parts[2] == "sessions" else { return nil }
        return String(parts[3])
    }

    /// The monitoring a path is about: `/api/v1/monitorings/{id}` and everything under it (E1).
    static func monitoringId(in path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 4, parts[0] == "api", parts[1] == "v1", parts[2] == "monitorings" else { return nil }
        return String(parts[3])
    }

    /// The applet's own HTTP requests that belong to its session's node: files sent and received,
    /// the file manager's copies, a script's files.
    static func isSecondStep(_ request: Request) -> Bool {
        request.method == .post && request.uri.path.hasPrefix("/api/v1/auth/two-step")
    }

    static func isAppletTransfer(_ path: String) -> Bool {
        ["/api/v1/customer/files", "/api/v1/customer/file-manager/", "/api/v1/customer/scripts/"].contains { path.hasPrefix($0) }
    }

    func signature(address: String, method: String, path: String, at time: Date) -> String {
        let seconds = Int(time.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Self.signed(address: address, method: method, path: path, seconds: seconds), using: key)
        return "\(seconds).\(Data(mac).base64EncodedString())"
    }

    private static func signed(address: String, method: String, path: String, seconds: Int) -> Data {
        Data("\(address)\n\(method)\n\(path)\n\(seconds)".utf8)
    }

    /// The customer's address a forwarding node vouched for, or nil (no header, a forged or old one).
    func vouchedAddress(in request: Request) -> String? {
        vouched(Self.forwardedFor, in: request)
    }

    /// The node that signed this request of its own, or nil.
    func vouchedNode(in request: Request) -> String? {
        vouched(Self.node, in: request)
    }

    private func vouched(_ field: HTTPField.Name, in request: Request) -> String? {
        guard let value = request.headers[field], let signed = request.headers[Self.forwardedSignature],
              let dot = signed.firstIndex(of: "."), let seconds = Int(signed[..<dot]),
              let mac = Data(base64Encoded: String(signed[signed.index(after: dot)...])) else { return nil }
        guard abs(now().timeIntervalSince(Date(timeIntervalSince1970: TimeInterval(seconds)))) <= Self.signatureLifetime else { return nil }
        // swift-crypto compares MACs in constant time.
        let message = Self.signed(address: value, method: request.method.rawValue, path: request.uri.path, seconds: seconds)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key) else { return nil }
        return value
    }

    /// Asks the node at `nodeAddress` to stop serving a session this node just took (its customer
    /// came through here); false when it did not answer yes in time (it may be dead: fencing holds).
    func askToLetGo(_ sessionId: String, from nodeId: String, at nodeAddress: String) async -> Bool {
        let path = "/cluster/v1/sessions/\(sessionId)/let-go"
        var request = HTTPClientRequest(url: nodeAddress + path)
        request.method = .POST
        request.headers.add(name: Self.node.rawName, value: nodeId)
        request.headers.add(name: Self.forwardedSignature.rawName, value: signature(address: nodeId, method: "POST", path: path, at: now()))
        do {
            let answer = try await Self.client.execute(request, timeout: .seconds(2))
            return answer.status == .noContent
        } catch {
            return false
        }
    }

    /// Asks the node serving a session to make the administrator a colleague in it (E2 across
    /// nodes); its answer — the session as they now see it, or its refusal — comes back as given.
    func joinAsMonitor(_ sessionId: String, administrator actor: Actor, watching technicianId: String,
                       from nodeId: String, at nodeAddress: String) async throws -> SessionSummary {
        let path = "/cluster/v1/sessions/\(sessionId)/monitor-join"
        var request = HTTPClientRequest(url: nodeAddress + path)
        request.method = .POST
        request.headers.add(name: Self.node.rawName, value: nodeId)
        request.headers.add(name: Self.forwardedSignature.rawName, value: signature(address: nodeId, method: "POST", path: path, at: now()))
        request.headers.add(name: "Content-Type", value: "application/json")
        let join = ClusterController.MonitorJoin(tokenHash: actor.tokenHash, viaCookie: actor.viaCookie, technicianId: technicianId)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(join)))
        let answer = try await Self.client.execute(request, timeout: .seconds(10))
        let body = Data(buffer: try await answer.body.collect(upTo: 1 << 20))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard answer.status == .ok else {
            struct Refusal: Decodable { struct Detail: Decodable { let code: String; let message: String }; let error: Detail }
            let refusal = try decoder.decode(Refusal.self, from: body)
            throw GatewayError(ErrorCode(rawValue: refusal.error.code) ?? .internalError, refusal.error.message)
        }
        return try decoder.decode(SessionSummary.self, from: body)
    }

    /// One client for every node-to-node request: no redirects, a short connect, generous reads (a
    /// file on its way).
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
        redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(300))))

    /// Headers that describe one hop, not the request.
    private static let hopHeaders: Set<String> = ["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                                                  "proxy-connection", "host"]

    func forward(_ request: Request, from clientAddress: String, to nodeAddress: String, hops: Int) async throws -> Response {
        var outgoing = HTTPClientRequest(url: nodeAddress + (request.uri.string.hasPrefix("/") ? "" : "/") + request.uri.string)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopHeaders.contains(field.name.canonicalName)
            && ![Self.forwardedFor, Self.forwardedSignature, Self.hops, Self.node].contains(field.name) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.headers.add(name: Self.forwardedFor.rawName, value: clientAddress)
        outgoing.headers.add(name: Self.hops.rawName, value: String(hops))
        outgoing.headers.add(name: Self.forwardedSignature.rawName,
                             value: signature(address: clientAddress, method: request.method.rawValue, path: request.uri.path, at: now()))
        let length = request.headers[.contentLength].flatMap(Int.init)
        outgoing.body = .stream(request.body, length: length.map { .known(Int64($0)) } ?? .unknown)
        let answer = try await Self.client.execute(outgoing, timeout: .seconds(300))
        var headers = HTTPFields()
        for header in answer.headers where !Self.hopHeaders.contains(header.name.lowercased()) {
            guard let name = HTTPField.Name(header.name) else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        return Response(status: .init(code: Int(answer.status.code), reasonPhrase: answer.status.reasonPhrase), headers: headers,
                        body: ResponseBody(asyncSequence: answer.body))
    }
}

/// Sends requests about sessions another node serves to that node, and believes the customer's
/// address a node vouches for.
struct NodeForwardingMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let hub: SessionHub
    let forwarding: NodeForwarding

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var hops = 1
        if request.headers[NodeForwarding.forwardedFor] != nil {
            // Believed only when signed by a node of this cluster; followed again (the session moved
            // meanwhile) at most a few times.
            guard let address = forwarding.vouchedAddress(in: request) else { return try await next(request, context) }
            context.remoteAddress = address
            hops = (request.headers[NodeForwarding.hops].flatMap(Int.init) ?? NodeForwarding.maximumHops) + 1
            guard hops <= NodeForwarding.maximumHops else { return try await next(request, context) }
        }
        guard let node = hub.sharedNode else { return try await next(request, context) }
        if NodeForwarding.isSecondStep(request) {
            return try await secondStep(request, context: context, node: node, hops: hops, next: next)
        }
        // A monitoring lives on the node it was started through (E1): its id names it.
        if let monitoringId = NodeForwarding.monitoringId(in: request.uri.path), let home = node.home(ofMonitoring: monitoringId),
           let address = await node.address(ofNodeIfKnown: home) {
            return try await forward(request, context: context, to: address, hops: hops, about: ("monitoring.id", monitoringId),
                                     refusal: "The gateway running this monitoring did not answer; try again in a few seconds.")
        }
        guard let sessionId = await servedSessionId(of: request), hub.registry.record(sessionId) == nil,
              let address = await node.address(servingSession: sessionId)
        else { return try await next(request, context) }
        return try await forward(request, context: context, to: address, hops: hops, about: ("session.id", sessionId),
                                 refusal: "The gateway serving this session did not answer; try again in a few seconds.")
    }

    /// The node at `address` answers the request; one that does not is logged (`about` names what
    /// the request was for) and the caller told `refusal`.
    private func forward(_ request: Request, context: Context, to address: String, hops: Int, about: (key: String, value: String),
                         refusal: String) async throws -> Response {
        do {
            return try await forwarding.forward(request, from: context.remoteAddress, to: address, hops: hops)
        } catch {
            hub.logger.error("A request could not reach the gateway node it belongs to",
                             metadata: [about.key: "\(about.value)", "node.address": "\(address)", "error": "\(error)"])
            throw GatewayError(.internalError, refusal)
        }
    }

    /// A two-step sign-in's second request goes to the node that checked the password: the
    /// challenge lives there, and its token starts with that node's id.
    private func secondStep(_ request: Request, context: Context, node: ClusterNode, hops: Int,
                            next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16_384)
        struct Challenge: Decodable { let challenge: String }
        let token: String
        do {
            token = try JSONDecoder().decode(Challenge.self, from: Data(body.readableBytesView)).challenge
        } catch {
            return try await next(request, context)  // the handler answers a malformed body
        }
        guard let dot = token.firstIndex(of: "."), token[..<dot] != node.id,
              let address = await node.address(ofNodeIfKnown: String(token[..<dot]))
        else { return try await next(request, context) }
        do {
            return try await forwarding.forward(request, from: context.remoteAddress, to: address, hops: hops)
        } catch {
            hub.logger.error("A sign-in's second step could not reach the gateway node that asked for it",
                             metadata: ["node.address": "\(address)", "error": "\(error)"])
            throw GatewayError(.challengeExpired, "This sign-in has expired. Type your email and password again.")
        }
    }

    /// The session a request is about: named in a technician's path, or — for the applet's own
    /// transfers, which the load balancer may send to any node — the one its bearer token belongs to.
    private func servedSessionId(of request: Request) async -> String? {
        let path = request.uri.path
        if let id = NodeForwarding.sessionId(in: path) { return id }
        guard NodeForwarding.isAppletTransfer(path), let token = AuthenticationMiddleware.bearerToken(request) else { return nil }
        let hash = Secrets.hash(token)
        if let (_, record) = hub.registry.session(withAppletTokenHash: hash) { return record.id }
        do {
            return try await hub.store.session(appletTokenHash: hash)?.id
        } catch {
            hub.logger.error("Could not look an applet's session up in the database", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
