import Crypto
import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Asking for unattended access and an agent's enrolment through the gateway (F5), with sockets
/// playing the console and the applet and requests playing the agent: the rules checked, the
/// customer's no ending it, exactly one of many agents enrolling with one token, the Computers list.
@Suite("Unattended access through the gateway (F5)")
struct UnattendedGatewayTests {
    static let rules = UnattendedRules(credentials: .atEachConnection, period: .days(7), dailyStart: 540, dailyEnd: 1_020,
                                       timeZone: "Europe/Paris", clock: .customer)

    func offer(_ scene: RemoteScene) async throws -> UnattendedOffer {
        let message = try await scene.applet.expect(GatewayToApplet.self) { if case .unattendedOffer = $0 { true } else { false } }
        guard case .unattendedOffer(let offer) = message else { throw HarnessError("not an offer") }
        return offer
    }

    func enrol(_ gw: GatewayHarness, token: String, key: String = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString(),
               name: String = "Ann's laptop") async throws -> GatewayHarness.Reply {
        try await gw.request(.post, "/api/v1/agents/enroll", json: ["token": token, "publicKey": key, "hostname": "ann-pc", "name": name])
    }

    @Test("refused without the permission or with rules that cannot be approved; the customer's no ends it; one of 30 agents enrols")
    func requestAndEnrol() async throws {
        try await GatewayHarness.run { gw in
            let other = try await RemoteScene.make(gw, permissions: ["system_info"])
            other.console.send(ConsoleToGateway.unattendedRequest(.init(sessionId: other.sessionId, rules: Self.rules)))
            try await other.expectError("permission_denied")

            let scene = try await RemoteScene.make(gw)
            var tooLong = Self.rules
            tooLong.credentials = .customerAtSetup
            tooLong.period = .indefinite
            scene.console.send(ConsoleToGateway.unattendedRequest(.init(sessionId: scene.sessionId, rules: tooLong, requestId: "u0")))
            let refused = try await scene.console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            guard case .error(let error) = refused else { throw HarnessError("no refusal") }
            #expect(error.code == "bad_request" && error.requestId == "u0" && error.message == "With the customer's own credentials, access lasts two weeks at most.")

            // The customer says no: the token dies, the technician is told.
            scene.console.send(ConsoleToGateway.unattendedRequest(.init(sessionId: scene.sessionId, rules: Self.rules)))
            let first = try await offer(scene)
            #expect(first.rules == Self.rules && first.technician == "Administrator" && first.gatewayKey == gw.hub.gatewayIdentity.publicKey)
            scene.applet.send(AppletToGateway.unattendedAnswer(.init(accepted: false)))
            let no = try await scene.console.expect(GatewayToConsole.self) { if case .unattendedResult = $0 { true } else { false } }
            #expect(no == .unattendedResult(.init(sessionId: scene.sessionId, outcome: .refused)))
            #expect(try await enrol(gw, token: first.enrolmentToken).status == .unauthorized)

            // Yes: thirty agents present the token at once; exactly one enrols.
            scene.console.send(ConsoleToGateway.unattendedRequest(.init(sessionId: scene.sessionId, rules: Self.rules)))
            let second = try await offer(scene)
            #expect(try await enrol(gw, token: second.enrolmentToken, key: "bm90IGEga2V5").status == .badRequest)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 1...30 { group.addTask { try await enrol(gw, token: second.enrolmentToken).status.code } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1 && statuses.filter { $0 == 401 }.count == 29, "\(statuses)")
            let enrolled = try await scene.console.expect(GatewayToConsole.self) { if case .unattendedResult = $0 { true } else { false } }
            guard case .unattendedResult(let result) = enrolled, let computerId = result.computerId else { throw HarnessError("not enrolled") }
            #expect(result.outcome == .enrolled)

            let computers = try await gw.request(.get, "/api/v1/computers", token: scene.token).array()
            #expect(computers.count == 1)
            #expect(computers.first?["id"] as? String == computerId && computers.first?["name"] as? String == "Ann's laptop")
            #expect(computers.first?["online"] as? Bool == false && computers.first?["shared"] as? Bool == false)
            let texts = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
            for line in ["Administrator asked for unattended access to this computer.", "The customer did not allow unattended access.",
                         "The customer allowed unattended access: Ann's laptop is in the Computers list."] {
                #expect(texts.contains(line), "\(line) in \(texts)")
            }

            // Another technician does not see it, nor remove it; its owner does.
            #expect(try await gw.request(.get, "/api/v1/computers", token: other.token).status == .forbidden)
            #expect(try await gw.request(.delete, "/api/v1/computers/\(computerId)", token: other.token).status == .forbidden)
            #expect(try await gw.request(.delete, "/api/v1/computers/\(computerId)", token: scene.token).status == .noContent)
            #expect(try await gw.request(.get, "/api/v1/computers", token: scene.token).array().isEmpty)
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: scene.token).array().compactMap { $0["action"] as? String }
            #expect(audit.contains("unattended_granted") && audit.contains("unattended_removed"))
        }
    }
}
