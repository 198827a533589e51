import Foundation
import Testing
@testable import LifelineGateway

/// Guessing from many source addresses at once, for real: each guess is a connection from its own
/// loopback address (127.0.N.x), as customers and attackers elsewhere would connect.
@Suite("The gateway-wide ceiling on wrong PINs holds guessers from many addresses; real customers still get in")
struct GuessCeilingGatewayTests {
    static func join(_ gw: GatewayHarness, pin: String, from source: String) async throws -> (status: Int, head: String) {
        try await RawHTTP.post(port: gw.port, from: source, path: "/api/v1/customer/join", json: #"{"pin":"\#(pin)"}"#)
    }

    static func wrong(for pin: String) -> String { pin == "999999" ? "999998" : "999999" }

    @Test("past four wrong PINs a minute, a network that failed waits; a fresh network's right PIN is accepted")
    func ceilingHoldsFailedNetworks() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (_, pin) = try await gw.createSession(token: token)
            let (_, second) = try await gw.createSession(token: token)
            for host in 1...4 { #expect(try await Self.join(gw, pin: Self.wrong(for: pin), from: "127.0.1.\(host)").status == 404) }
            let held = try await Self.join(gw, pin: Self.wrong(for: pin), from: "127.0.1.5")
            #expect(held.status == 429)
            #expect(held.head.contains("too_many_attempts") && held.head.contains("ask your technician for a link"))
            #expect(held.head.lowercased().contains("retry-after: "))
            #expect(try await Self.join(gw, pin: pin, from: "127.0.1.6").status == 429, "a failed network is held even with a right PIN")
            #expect(try await Self.join(gw, pin: pin, from: "127.0.2.1").status == 200, "a customer typing their PIN right gets in")
            #expect(try await Self.join(gw, pin: Self.wrong(for: second), from: "127.0.3.1").status == 404, "a fresh network is checked once")
            #expect(try await Self.join(gw, pin: second, from: "127.0.3.2").status == 429)
            gw.clock.advance(by: 61)
            #expect(try await Self.join(gw, pin: second, from: "127.0.3.2").status == 200, "the ceiling lifts with the minute")
        }
    }

    @Test("60 concurrent wrong PINs from 60 addresses in 6 networks: between 6 and 9 are checked; a right PIN from a fresh network gets in (20 rounds)")
    func concurrentGuessersFromManyAddresses() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            for round in 0..<20 {
                gw.clock.advance(by: 1_201)
                let (_, pin) = try await gw.createSession(token: token)
                let sources = (0..<60).map { "127.\(10 + round).\($0 % 6).\(1 + $0 / 6)" }
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for source in sources { group.addTask { try await Self.join(gw, pin: Self.wrong(for: pin), from: source).status } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                let checked = statuses.filter { $0 == 404 }.count
                #expect(statuses.allSatisfy { $0 == 404 || $0 == 429 }, "round \(round): \(statuses)")
                #expect((6...9).contains(checked), "round \(round): \(checked) guesses checked")
                #expect(try await Self.join(gw, pin: pin, from: "127.\(10 + round).200.1").status == 200, "round \(round)")
            }
        }
    }
}
