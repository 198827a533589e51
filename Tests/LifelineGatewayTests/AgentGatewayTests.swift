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

    func enrolled(_ gw: GatewayHarness) async throws -> Enrolled {
        let scene = try await RemoteScene.make(gw)
        scene.console.send(ConsoleToGateway.unattendedRequest(.init(sessionId: scene.sessionId, rules: UnattendedGatewayTests.rules)))
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

private extension SocketProbe {
    func expectError(_ code: String) async throws {
        _ = try await expect(GatewayToAgent.self) { if case .error(let failure) = $0 { failure.code == code } else { false } }
    }
}

private extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
