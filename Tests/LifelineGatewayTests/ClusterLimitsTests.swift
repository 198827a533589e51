import Foundation
import HTTPTypes
import Testing
import LifelineTestSupport
@testable import LifelineGateway

/// Limits that hold for the cluster, not per node (issue 20, step 5): wrong PINs and failed
/// sign-ins counted on one node hold back the next attempt on the other.
@Suite("Two gateway nodes on one database: wrong PINs and failed sign-ins count on every node",
       .enabled(if: TestDatabase.postgresServer != nil))
struct ClusterLimitsTests {
    static func join(_ gw: GatewayHarness, pin: String, from source: String) async throws -> (status: Int, head: String) {
        try await RawHTTP.post(port: gw.port, from: source, path: "/api/v1/customer/join", json: #"{"pin":"\#(pin)"}"#)
    }

    @Test("two wrong PINs on each node reach the gateway-wide ceiling: the fifth, on either node, waits; a fresh network's right PIN gets in")
    func wrongGuessesAcrossNodes() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let token = try await a.login()
            let (_, pin) = try await a.createSession(token: token)
            let wrong = pin == "999999" ? "999998" : "999999"
            #expect(try await Self.join(a, pin: wrong, from: "127.0.5.1").status == 404)
            #expect(try await Self.join(a, pin: wrong, from: "127.0.5.2").status == 404)
            #expect(try await Self.join(b, pin: wrong, from: "127.0.5.3").status == 404)
            #expect(try await Self.join(b, pin: wrong, from: "127.0.5.4").status == 404)
            let heldOnA = try await Self.join(a, pin: wrong, from: "127.0.5.5")
            #expect(heldOnA.status == 429 && heldOnA.head.contains("too_many_attempts"), "A counts B's two: \(heldOnA.head)")
            #expect(try await Self.join(b, pin: pin, from: "127.0.5.6").status == 429, "B counts A's two, a right PIN from that network waits")
            #expect(try await Self.join(b, pin: pin, from: "127.0.6.1").status == 200, "a customer elsewhere gets in")
        }
    }

    @Test("failed sign-ins on one node count on the other: after five, wherever they failed, the account and address wait on both")
    func failedSignInsAcrossNodes() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let wrong = ["email": GatewayHarness.adminEmail, "password": "not the password"]
            for _ in 0..<3 { #expect(try await a.request(.post, "/api/v1/auth/login", json: wrong).status == .unauthorized) }
            for _ in 0..<2 { #expect(try await b.request(.post, "/api/v1/auth/login", json: wrong).status == .unauthorized) }
            let heldOnB = try await b.request(.post, "/api/v1/auth/login",
                                              json: ["email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword])
            #expect(heldOnB.status == .tooManyRequests && heldOnB.errorCode == "too_many_attempts", "B counts A's three: even the right password waits")
            #expect(try await a.request(.post, "/api/v1/auth/login", json: wrong).status == .tooManyRequests, "A counts B's two")
        }
    }

    @Test("the password checked on A, the code sent to B: B passes it to A, where the challenge is, and the technician is signed in")
    func secondStepThroughAnotherNode() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let token = try await a.login()
            let (secret, _) = try await TwoStepGatewayTests.enrol(a, token: token)
            a.clock.advance(by: 30)
            let challenge = try await TwoStepGatewayTests.challenge(a)
            #expect(challenge.hasPrefix(a.parts.node.id + "."), "the challenge names the node that holds it")
            let wrong = try await b.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": "000000"])
            #expect(wrong.status == .unauthorized && wrong.errorCode == "wrong_code", "checked on A")
            let good = try await b.request(.post, "/api/v1/auth/two-step",
                                           json: ["challenge": challenge, "code": try TwoStepGatewayTests.code(secret, a)])
            #expect(good.status == .ok)
            let signedIn = try #require(try good.json()["token"] as? String)
            #expect(try await b.request(.get, "/api/v1/me", token: signedIn).status == .ok, "a login every node knows")
            let forged = try await b.request(.post, "/api/v1/auth/two-step", json: ["challenge": "node-0000000000000000.x", "code": "123456"])
            #expect(forged.errorCode == "challenge_expired")
        }
    }
}
