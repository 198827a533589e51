import Foundation
import Testing
@testable import LifelineCore

@Suite("Sign-in backoff: free typos, then doubling waits, per key")
struct LoginBackoffTests {
    @Test("the waits after n failures", arguments: [(0, 0.0), (4, 0), (5, 2), (6, 4), (9, 32), (14, 900), (60, 900)])
    func delays(failures: Int, seconds: Double) {
        #expect(LoginBackoff().delay(afterFailures: failures) == seconds)
    }

    @Test("a key waits out its delay; the longest of account and address wins; success clears; a quiet day forgets")
    func waits() {
        var backoff = LoginBackoff()
        let start = Date(timeIntervalSince1970: 0)
        let keys = ["account:a", "address:1"]
        for _ in 0..<5 { backoff.recordFailure(for: keys, at: start) }
        #expect(backoff.retryAfter(for: keys, at: start) == 2)
        #expect(backoff.retryAfter(for: keys, at: start.addingTimeInterval(1.5)) == 0.5)
        #expect(backoff.retryAfter(for: keys, at: start.addingTimeInterval(2)) == nil)
        backoff.recordFailure(for: ["address:1"], at: start.addingTimeInterval(2))
        #expect(backoff.retryAfter(for: keys, at: start.addingTimeInterval(3)) == 3, "the address has 6 failures: 4 s from its last")
        #expect(backoff.retryAfter(for: ["account:a", "address:2"], at: start.addingTimeInterval(3)) == nil)
        backoff.recordSuccess(for: ["account:a"])
        #expect(backoff.failures(for: "account:a") == 0)
        #expect(backoff.failures(for: "address:1") == 6)
        backoff.recordFailure(for: ["address:1"], at: start.addingTimeInterval(90_000))
        #expect(backoff.failures(for: "address:1") == 1, "a day without failures starts afresh")
    }
}
