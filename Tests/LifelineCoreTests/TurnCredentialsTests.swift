import Crypto
import Foundation
import Testing
@testable import LifelineCore

/// TURN credentials made per session in coturn's `use-auth-secret` scheme (issue 22): the values
/// below were computed independently (Python's hmac and base64) for the same inputs.
@Suite("TURN credentials per session")
struct TurnCredentialsTests {
    static let hmac: TurnCredentials.HMAC = { key, message in
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    @Test("user name = expiry:session, password = Base64(HMAC-SHA-1(secret, user name))")
    func knownValue() {
        let made = TurnCredentials.make(secret: Array("north".utf8), label: "123456789",
                                        now: Date(timeIntervalSince1970: 1_700_000_000), lifetime: 3600, hmac: Self.hmac)
        #expect(made.username == "1700003600:123456789")
        #expect(made.credential == "7weQw0kBEyjXYqF9N9xZljRuBfU=")
    }

    @Test("another secret, session or time gives another password; a ':' in the label cannot move the expiry")
    func distinct() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let base = TurnCredentials.make(secret: Array("north".utf8), label: "1", now: now, hmac: Self.hmac)
        #expect(TurnCredentials.make(secret: Array("south".utf8), label: "1", now: now, hmac: Self.hmac).credential != base.credential)
        #expect(TurnCredentials.make(secret: Array("north".utf8), label: "2", now: now, hmac: Self.hmac).credential != base.credential)
        #expect(TurnCredentials.make(secret: Array("north".utf8), label: "1", now: now + 1, hmac: Self.hmac).username != base.username)
        #expect(base.username == "\(1_700_000_000 + Int(TurnCredentials.defaultLifetime)):1")
        #expect(TurnCredentials.make(secret: [1], label: "9:99", now: now, lifetime: 60, hmac: Self.hmac).username == "1700000060:999")
    }
}
