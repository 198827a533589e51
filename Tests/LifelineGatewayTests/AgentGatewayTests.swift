import Crypto
import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// An unattended computer's agent on `/ws/agent` (F5), played by a socket holding the key it
/// enrolled with: the gateway proves the pinned key, the agent its own; only then is the computer
/// online. A wrong key, an unknown computer and a message out of turn are refused; removing the
/// computer tells its agent; the agent leaving takes it off the list.
@Suite("Unattended computers' agents on the gateway (F5)")
struct AgentGatewayTests {
    struct Enrolled {
        let computerId: String
        let key: Curve25519.Signing.PrivateKey
        let gatewayKey: String
        let scene: RemoteScene
    }

    func enrolled(_ gw: GatewayHarness, rules: UnattendedRules = UnattendedGatewayTests.rules) async throws -> Enrolled {
        let scene = try await RemoteScene.make(gw)
        scene.console.send(ConsoleToGateway.unattendedRequest(.init(sessionId: scene.sessionId, rules: rules)))
        let offer = try await UnattendedGatewayTests().offer(scene)
        let key = Curve25519.Signing.PrivateKey()
        let reply = try await UnattendedGatewayTests().enrol(gw, token: offer.enrolmentToken, key: key.publicKey.rawRepresentation.base64EncodedString())
        let answer = try reply.json()
        guard reply.status == .created, let computerId = answer["deviceId"] as? String, let gatewayKey = answer["gatewayKey"] as? String else {
            throw HarnessError("not enrolled: \(reply.status)")
        }
        #expect(gatewayKey == offer.gatewayKey, "the key the agent pins is the one the offer named")
        return Enrolled(computerId: computerId, key: key, gatewayKey: gatewayKey, scene: scene)
    }

    static func nonce() -> String { Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString() }

    /// Says hello, checks the gateway's signature with the pinned key, and answers with `key`'s.
    func handshake(_ gw: GatewayHarness, _ computer: Enrolled, signingWith key: Curve25519.Signing.PrivateKey? = nil) async throws -> SocketProbe {
        let agent = SocketProbe(port: gw.port, path: "/ws/agent")
        let mine = Self.nonce()
        agent.send(AgentToGateway.hello(.init(deviceId: computer.computerId, nonce: mine)))
        let message = try await agent.expect(GatewayToAgent.self) { if case .challenge = $0 { true } else { false } }
        guard case .challenge(let challenge) = message else { throw HarnessError("no challenge") }
        let pinned = try Curve25519.Signing.PublicKey(rawRepresentation: Data(base64Encoded: computer.gatewayKey)!)
        let statement = AgentHandshake.gatewayStatement(deviceId: computer.computerId, agentNonce: mine, gatewayNonce: challenge.nonce)
        #expect(pinned.isValidSignature(Data(base64Encoded: challenge.signature)!, for: statement), "the gateway signs with the pinned key")
        let proof = AgentHandshake.agentStatement(deviceId: computer.computerId, agentNonce: mine, gatewayNonce: challenge.nonce)
        agent.send(AgentToGateway.proof(.init(signature: try (key ?? computer.key).signature(for: proof).base64EncodedString())))
        return agent
    }

    func online(_ gw: GatewayHarness, _ computer: Enrolled) async throws -> Bool? {
        try await gw.request(.get, "/api/v1/computers", token: computer.scene.token).array()
            .first { $0["id"] as? String == computer.computerId }?["online"] as? Bool
    }

    func waitOnline(_ gw: GatewayHarness, _ computer: Enrolled, _ expected: Bool) async throws {
        let deadline = Date().addingTimeInterval(5)
        while try await online(gw, computer) != expected, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try await online(gw, computer) == expected)
    }

    @Test("both keys proved: the computer is online while its agent is connected; a newer connection replaces the older")
    func online() async throws {
        try await GatewayHarness.run { gw in
            let computer = try await enrolled(gw)
            #expect(try await online(gw, computer) == false)
            let agent = try await handshake(gw, computer)
            let welcome = try await agent.expect(GatewayToAgent.self) { if case .welcome = $0 { true } else { false } }
            #expect(welcome == .welcome(.init(name: "Ann's laptop")))
            try await waitOnline(gw, computer, true)
            let second = try await handshake(gw, computer)
            _ = try await second.expect(GatewayToAgent.self) { if case .welcome = $0 { true } else { false } }
            #expect(await agent.closed().isSuccess, "the older connection is closed")
            try await waitOnline(gw, computer, true)
            await second.close()
            try await waitOnline(gw, computer, false)
            let seen = try await gw.request(.get, "/api/v1/computers", token: computer.scene.token).array().first?["lastSeenAt"] as? String
            #expect(seen != nil, "when it was last seen")
        }
    }

    @Test("a signature by another key, an unknown computer, a bad nonce and a proof before hello are refused and the socket closed")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let computer = try await enrolled(gw)
            let impostor = try await handshake(gw, computer, signingWith: Curve25519.Signing.PrivateKey())
            try await impostor.expectError("permission_denied")
            #expect(await impostor.closed().isSuccess)
            #expect(try await online(gw, computer) == false)

            let unknown = SocketProbe(port: gw.port, path: "/ws/agent")
            unknown.send(AgentToGateway.hello(.init(deviceId: UUID().uuidString.lowercased(), nonce: Self.nonce())))
            try await unknown.expectError("not_found")
            let badNonce = SocketProbe(port: gw.port, path: "/ws/agent")
            badNonce.send(AgentToGateway.hello(.init(deviceId: computer.computerId, nonce: "c2hvcnQ=")))
            try await badNonce.expectError("bad_request")
            let early = SocketProbe(port: gw.port, path: "/ws/agent")
            early.send(AgentToGateway.proof(.init(signature: "AAAA")))
            try await early.expectError("hello_expected")
            let leaving = SocketProbe(port: gw.port, path: "/ws/agent")
            leaving.send(AgentToGateway.leave)
            try await leaving.expectError("hello_expected")
            #expect(try await gw.request(.get, "/api/v1/computers", token: computer.scene.token).array().count == 1, "nothing removed")
        }
    }

    @Test("removed from the list, the computer's agent is told; an agent leaving takes its computer off the list, audited")
    func removal() async throws {
        try await GatewayHarness.run { gw in
            let first = try await enrolled(gw)
            let agent = try await handshake(gw, first)
            _ = try await agent.expect(GatewayToAgent.self) { if case .welcome = $0 { true } else { false } }
            #expect(try await gw.request(.delete, "/api/v1/computers/\(first.computerId)", token: first.scene.token).status == .noContent)
            _ = try await agent.expect(GatewayToAgent.self) { $0 == .removed }
            let again = SocketProbe(port: gw.port, path: "/ws/agent")
            again.send(AgentToGateway.hello(.init(deviceId: first.computerId, nonce: Self.nonce())))
            try await again.expectError("not_found")

            let second = try await enrolled(gw)
            let leaving = try await handshake(gw, second)
            _ = try await leaving.expect(GatewayToAgent.self) { if case .welcome = $0 { true } else { false } }
            leaving.send(AgentToGateway.leave)
            _ = try await leaving.expect(GatewayToAgent.self) { $0 == .removed }
            #expect(try await gw.request(.get, "/api/v1/computers", token: second.scene.token).array().isEmpty)
            let entries = try await gw.request(.get, "/api/v1/admin/audit", token: second.scene.token).array()
            let left = entries.first { $0["action"] as? String == "unattended_removed" && $0["objectId"] as? String == second.computerId }
            #expect(left?["actor"] as? String == "customer", "\(entries.suffix(3))")
        }
    }
}

extension AgentGatewayTests {
    static let anyHour = UnattendedRules(credentials: .atEachConnection, period: .days(7), timeZone: "Europe/Paris", clock: .customer)

    /// Credentials typed by the technician: the rules here ask for them at each connection.
    static let credentials = ["username": "ann", "password": "Ann's password"]

    func connect(_ gw: GatewayHarness, _ computer: Enrolled, token: String? = nil,
                 credentials: [String: String]? = Self.credentials) async throws -> GatewayHarness.Reply {
        try await gw.request(.post, "/api/v1/computers/\(computer.computerId)/connect", token: token ?? computer.scene.token, json: credentials)
    }

    func online(_ gw: GatewayHarness, rules: UnattendedRules = Self.anyHour) async throws -> (Enrolled, SocketProbe) {
        let computer = try await enrolled(gw, rules: rules)
        let agent = try await handshake(gw, computer)
        _ = try await agent.expect(GatewayToAgent.self) { if case .welcome = $0 { true } else { false } }
        return (computer, agent)
    }

    /// The agent's next `connect`.
    func nextOrder(_ agent: SocketProbe) async throws -> GatewayToAgent.AgentConnect {
        let message = try await agent.expect(GatewayToAgent.self) { if case .connect = $0 { true } else { false } }
        guard case .connect(let order) = message else { throw HarnessError("no connect") }
        return order
    }

    @Test("connecting: offline refused; the agent gets a link session and says it started; the session is the technician's, logged and audited")
    func connecting() async throws {
        try await GatewayHarness.run { gw in
            let offline = try await enrolled(gw, rules: Self.anyHour)
            let refused = try await connect(gw, offline)
            #expect(refused.status == .conflict && refused.errorCode == "computer_offline")

            let (computer, agent) = try await online(gw)
            // The customer asked for credentials at each connection: none, none sent to the agent.
            let bare = try await connect(gw, computer, credentials: nil)
            #expect(bare.status == .badRequest && bare.errorCode == "bad_request")
            async let reply = connect(gw, computer)
            let order = try await nextOrder(agent)
            #expect(order.technician == "Administrator" && order.link.hasPrefix(GatewayHarness.publicURL + "/c/"))
            #expect(order.username == "ann" && order.password == "Ann's password", "the typed credentials go to the agent, which checks them")
            agent.send(AgentToGateway.connectAnswer(.init(sessionId: order.sessionId, started: true)))
            let answer = try await reply
            let body = try answer.json()
            #expect(answer.status == .created && body["sessionId"] as? String == order.sessionId)
            let session = try await gw.request(.get, "/api/v1/sessions/\(order.sessionId)", token: computer.scene.token).json()
            #expect(session["name"] as? String == "Ann's laptop" && session["state"] as? String == "connecting")
            let texts = try await gw.request(.get, "/api/v1/sessions/\(order.sessionId)/log", token: computer.scene.token).array()
                .compactMap { $0["text"] as? String }
            #expect(texts.contains("Administrator connected to Ann's laptop with unattended access."), "\(texts)")
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: computer.scene.token).array()
            #expect(audit.contains { $0["action"] as? String == "unattended_connected" && $0["objectId"] as? String == computer.computerId })
        }
    }

    @Test("the agent's no (its own rules) ends the session and names why; outside the rules the gateway does not even ask; another technician cannot connect")
    func connectRefusals() async throws {
        try await GatewayHarness.run(agentAnswerDeadline: .seconds(1)) { gw in
            let (computer, agent) = try await online(gw)
            async let reply = connect(gw, computer)
            let order = try await nextOrder(agent)
            agent.send(AgentToGateway.connectAnswer(.init(sessionId: order.sessionId, started: false, verdict: .outsideHours)))
            let answer = try await reply
            #expect(answer.status == .conflict && answer.errorCode == "outside_approved_hours")
            let message = (try answer.json()["error"] as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix("The computer's agent refused") == true, "\(message ?? "")")

            // Credentials the computer refused (its PAM said no): their own error, the session ended.
            async let wrong = connect(gw, computer)
            let wrongOrder = try await nextOrder(agent)
            agent.send(AgentToGateway.connectAnswer(.init(sessionId: wrongOrder.sessionId, started: false, reason: "Authentication failure",
                                                          credentialsRefused: true)))
            let wrongReply = try await wrong
            #expect(wrongReply.status == .forbidden && wrongReply.errorCode == "credentials_refused")
            try await gw.waitForState("closed", of: wrongOrder.sessionId, token: computer.scene.token)
            try await gw.waitForState("closed", of: order.sessionId, token: computer.scene.token)
            let texts = try await gw.request(.get, "/api/v1/sessions/\(order.sessionId)/log", token: computer.scene.token).array()
                .compactMap { $0["text"] as? String }
            #expect(texts.contains { $0.hasPrefix("The computer's agent refused the connection:") }, "\(texts)")

            // An agent that stays silent: the technician hears so after the deadline.
            async let silent = connect(gw, computer)
            _ = try await nextOrder(agent)
            let timedOut = try await silent
            #expect(timedOut.status == .gatewayTimeout && timedOut.errorCode == "computer_not_answering")

            // Another computer's agent cannot answer for this one.
            let (other, otherAgent) = try await online(gw)
            async let third = connect(gw, computer)
            let thirdOrder = try await nextOrder(agent)
            otherAgent.send(AgentToGateway.connectAnswer(.init(sessionId: thirdOrder.sessionId, started: true)))
            let thirdReply = try await third
            #expect(thirdReply.status == .gatewayTimeout)
            _ = other

            // Rules that say no now: the gateway refuses before asking (the harness's clock is 08:00 UTC).
            let nightOnly = UnattendedRules(credentials: .atEachConnection, period: .days(7), dailyStart: 1_320, dailyEnd: 300,
                                            timeZone: "UTC", clock: .customer)
            let (night, nightAgent) = try await online(gw, rules: nightOnly)
            let early = try await connect(gw, night)
            #expect(early.status == .conflict && early.errorCode == "outside_approved_hours")
            #expect(await nightAgent.next(within: 0.5) == nil, "the agent was not asked")

            let rita = try await gw.technician(named: "Rita", permissions: ["start_private_sessions", "connect_by_link", "unattended_access"],
                                               adminToken: computer.scene.token)
            #expect(try await connect(gw, computer, token: rita).status == .notFound)
            let noPermission = try await gw.technician(named: "Nora", permissions: ["start_private_sessions"], adminToken: computer.scene.token)
            #expect(try await connect(gw, computer, token: noPermission).status == .forbidden)
        }
    }
}

private extension SocketProbe {
    func expectError(_ code: String) async throws {
        _ = try await expect(GatewayToAgent.self) { if case .error(let failure) = $0 { failure.code == code } else { false } }
    }
}

private extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
