import Foundation
import LifelineCore
@testable import LifelineGateway
import Testing

/// Sign-in under concurrency, fired for real: one code works once, a challenge checks five codes at
/// most, and concurrent guesses at a password are counted before they are decided.
@Suite("Races: codes used once, guesses counted before they are decided")
struct SignInRaceTests {
    typealias TwoStep = TwoStepGatewayTests

    @Test("one authenticator code sent by 10 concurrent second steps signs in once; one recovery code likewise (10 rounds)")
    func codesWorkOnce() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (secret, recovery) = try await TwoStep.enrol(gw, token: token)
            for round in 0..<10 {
                gw.clock.advance(by: 30)
                // Ten challenges (ten browsers), the same code typed in each at once.
                var challenges: [String] = []
                for _ in 0..<10 { challenges.append(try await TwoStep.challenge(gw)) }
                let code = round.isMultiple(of: 2) ? try TwoStep.code(secret, gw) : recovery[round]
                let replies = try await gw.race(try challenges.map { try .init(.post, "/api/v1/auth/two-step", json: ["challenge": $0, "code": code]) })
                #expect(replies.filter { $0.status == .ok }.count == 1, "round \(round): \(replies.map(\.status.code))")
                // The failures of the losers are forgiven by the winner's sign-in (account key), not by the clock.
                gw.clock.advance(by: 3_600)
            }
            let left = try await gw.request(.get, "/api/v1/me/two-step", token: token).json()["recoveryCodesLeft"] as? Int
            #expect(left == 5, "five recovery codes used, each once")
        }
    }

    @Test("50 codes sent at once on one challenge, the right one among them: at most five are checked")
    func aChallengeChecksFiveCodes() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (secret, _) = try await TwoStep.enrol(gw, token: token)
            for _ in 0..<5 {
                gw.clock.advance(by: 3_600)
                let challenge = try await TwoStep.challenge(gw)
                var codes = (0..<49).map { String(format: "%06d", $0) }
                codes.insert(try TwoStep.code(secret, gw), at: Int.random(in: 0...49))
                let replies = try await gw.race(try codes.map { try .init(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": $0]) })
                let checked = replies.filter { $0.status == .ok || $0.errorCode == "wrong_code" }.count
                #expect(checked <= SignInGuard.wrongCodesPerChallenge, "statuses: \(replies.map(\.status.code))")
                #expect(replies.filter { $0.status == .ok }.count <= 1)
            }
        }
    }

    @Test("100 concurrent guesses at one account's password: only the free ones are checked (10 rounds)")
    func guessesAreCountedBeforeTheyAreDecided() async throws {
        try await GatewayHarness.run { gw in
            for _ in 0..<10 {
                gw.clock.advance(by: 86_400)
                let replies = try await gw.race(100, .init(.post, "/api/v1/auth/login",
                                                           json: ["email": GatewayHarness.adminEmail, "password": "wrong password guess"]))
                let checked = replies.filter { $0.status == .unauthorized }.count
                #expect(checked <= LoginBackoff().freeFailures, "statuses: \(Set(replies.map(\.status.code)))")
                #expect(replies.allSatisfy { $0.status == .unauthorized || $0.status == .tooManyRequests })
            }
        }
    }
}
