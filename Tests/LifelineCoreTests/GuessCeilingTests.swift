import Foundation
import Testing
@testable import LifelineCore

@Suite("The gateway-wide ceiling on wrong PINs and links")
struct GuessCeilingTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("addresses group into the networks one site holds", arguments: [
        ("203.0.113.7", "203.0.113.0/24"), ("203.0.113.250", "203.0.113.0/24"), ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"), ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("unknown", "unknown"),
    ])
    func networks(address: String, network: String) {
        #expect(GuessCeiling.network(of: address) == network)
    }

    @Test("under the ceiling every attempt is checked; past it only networks that never failed, until the minute ages out")
    func ceiling() {
        var ceiling = GuessCeiling(failuresPerMinute: 4, networkMemory: 1_200)
        for second in 0..<4 {
            let now = Self.t0.addingTimeInterval(Double(second))
            #expect(ceiling.retryAfter(for: "10.0.1.\(second)", at: now) == nil)
            ceiling.recordFailure(from: "10.0.1.\(second)", at: now)
        }
        let now = Self.t0.addingTimeInterval(10)
        #expect(ceiling.retryAfter(for: "10.0.1.99", at: now) == 50, "a failed network waits for the oldest failure to leave the minute")
        #expect(ceiling.retryAfter(for: "10.0.2.1", at: now) == nil, "a network that never failed is still checked")
        ceiling.recordFailure(from: "10.0.2.1", at: now)
        #expect(ceiling.retryAfter(for: "10.0.2.2", at: now) == 51, "once it failed, its network waits too")
        #expect(ceiling.retryAfter(for: "10.0.1.99", at: Self.t0.addingTimeInterval(61)) == nil, "three failures left in the minute")
        #expect(ceiling.retryAfter(for: "10.0.3.1", at: Self.t0.addingTimeInterval(1_300)) == nil)
    }

    @Test("a flood of fresh networks past the memory's size is held like failed ones")
    func boundedMemory() {
        var ceiling = GuessCeiling(failuresPerMinute: 2, networkMemory: 1_200, maximumNetworks: 5)
        for index in 0..<4 { ceiling.recordFailure(from: "10.0.\(index).1", at: Self.t0) }
        #expect(ceiling.retryAfter(for: "10.9.9.9", at: Self.t0) == nil)
        ceiling.recordFailure(from: "10.0.4.1", at: Self.t0)
        #expect(ceiling.retryAfter(for: "10.9.9.9", at: Self.t0) != nil)
    }
}
