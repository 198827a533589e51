import Foundation
@testable import LifelineGateway
import Testing

/// Sign-in backoff per account and per address, without handing an attacker a lock-out button:
/// the source address is the one thing a test of the live gateway cannot vary (every client is
/// 127.0.0.1), so the guard's rule is checked here, on the real guard with a hand-moved clock.
@Suite("Sign-in guard: an account's backoff does not lock out its owner's other addresses")
struct SignInGuardTests {
    static let email = "tom@lifeline.test"

    /// One whole failed attempt, as `SignIn.attempt` makes it.
    static func fail(_ guardian: SignInGuard, from address: String) async throws {
        try await guardian.reserve(email: email, address: address)
        await guardian.failed(email: email, address: address)
        await guardian.release(email: email, address: address)
    }

    @Test("ten wrong passwords from one address hold that address; an address without failures may still sign in")
    func freshAddressGetsThrough() async throws {
        let clock = TestClock()
        let guardian = SignInGuard(now: { clock.now })
        for _ in 0..<5 { try await Self.fail(guardian, from: "203.0.113.9") }
        await #expect(throws: GatewayError.self) { try await guardian.check(email: Self.email, address: "203.0.113.9") }
        // The technician at the office: no failure from there, the right password is checked.
        try await guardian.check(email: Self.email, address: "198.51.100.7")
    }

    @Test("an address that guessed wrong is held by the account's backoff, even with its own free failures left")
    func failingAddressIsHeldByTheAccount() async throws {
        let clock = TestClock()
        let guardian = SignInGuard(now: { clock.now })
        for _ in 0..<6 {
            try await Self.fail(guardian, from: "203.0.113.9")
            clock.advance(by: 900)  // past each wait, so every guess is checked
        }
        try await Self.fail(guardian, from: "192.0.2.1")
        let refused = await #expect(throws: GatewayError.self) { try await guardian.check(email: Self.email, address: "192.0.2.1") }
        #expect(refused?.code == "too_many_attempts")
        // Another account from that address is not held by Tom's backoff (one free failure used).
        try await guardian.check(email: "ann@lifeline.test", address: "192.0.2.1")
        clock.advance(by: 86_400)
        try await guardian.check(email: Self.email, address: "192.0.2.1")
    }
}
