import Crypto
import Foundation
import Testing
@testable import LifelineCore

@Suite("Two-step verification codes: TOTP (RFC 6238), base32 (RFC 4648), recovery codes")
struct TOTPTests {
    static let hmac: TOTP.HMAC = { key, message in
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test("the RFC 6238 test vectors (SHA-1, 8 digits)", arguments: [
        (59.0, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ] as [(Double, String)])
    func rfcVectors(time: Double, expected: String) {
        let counter = TOTP.counter(at: Date(timeIntervalSince1970: time))
        #expect(TOTP.code(secret: Self.rfcSecret, counter: counter, length: 8, hmac: Self.hmac) == expected)
    }

    @Test("a code is accepted within one step either side, once; never an older one")
    func windowAndReplay() {
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let counter = TOTP.counter(at: now)
        let code = { (c: Int64) in TOTP.code(secret: Self.rfcSecret, counter: c, hmac: Self.hmac) }
        #expect(TOTP.acceptedCounter(code(counter), secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == counter)
        #expect(TOTP.acceptedCounter(code(counter - 1), secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == counter - 1)
        #expect(TOTP.acceptedCounter(code(counter + 1), secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == counter + 1)
        #expect(TOTP.acceptedCounter(code(counter - 2), secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == nil)
        #expect(TOTP.acceptedCounter(code(counter + 2), secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == nil)
        // Replay: the same code (or the step before) after it was used.
        #expect(TOTP.acceptedCounter(code(counter), secret: Self.rfcSecret, at: now, lastUsedCounter: counter, hmac: Self.hmac) == nil)
        #expect(TOTP.acceptedCounter(code(counter - 1), secret: Self.rfcSecret, at: now, lastUsedCounter: counter, hmac: Self.hmac) == nil)
        let spaced = String(code(counter).prefix(3)) + " " + String(code(counter).suffix(3))
        #expect(TOTP.acceptedCounter(spaced, secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == counter)
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            #expect(TOTP.acceptedCounter(bad, secret: Self.rfcSecret, at: now, lastUsedCounter: nil, hmac: Self.hmac) == nil)
        }
    }

    @Test("base32 as RFC 4648 writes it, read back with lower case and spaces", arguments: [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
    ])
    func base32(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
    }

    @Test("the provisioning URI carries the secret, issuer and parameters authenticator apps need")
    func provisioning() {
        let uri = TOTP.provisioningURI(secret: Self.rfcSecret, account: "ann@example.com", issuer: "Lifeline")
        #expect(uri == "otpauth://totp/Lifeline:ann@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Lifeline&algorithm=SHA1&digits=6&period=30")
        #expect(Base32.decode("GEZD GNBV") != nil && Base32.decode("GEZ1") == nil)
    }

    @Test("ten distinct recovery codes, typed back in any case with or without the dash")
    func recoveryCodes() {
        var generator = SeededGenerator(state: 7)
        let codes = RecoveryCodes.generate(using: &generator)
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 9 && $0.dropFirst(4).first == "-" })
        #expect(RecoveryCodes.normalised(codes[0].uppercased().replacingOccurrences(of: "-", with: " ")) == codes[0])
        #expect(RecoveryCodes.normalised("abcd-efg") == nil)
        #expect(RecoveryCodes.normalised("abcd-efgl") == nil, "l is not in the alphabet (looks like 1)")
    }
}
