import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import LifelineTestSupport
import Testing
import LifelineCore
import LifelineStore
@testable import LifelineGateway

/// Two-step verification (A2) through the real gateway: enrolment, sign-in with a code computed
/// here from the secret, replay, recovery codes, SMS backup, the organisation's requirement, and
/// the backoff of failed passwords and codes.
@Suite("Two-step verification and sign-in backoff")
struct TwoStepGatewayTests {
    static let password = "long enough password"

    /// The code an authenticator app shows at the test clock's time, `steps` steps later.
    static func code(_ secret: String, _ gw: GatewayHarness, steps: Int64 = 0) throws -> String {
        let bytes = try #require(Base32.decode(secret))
        return TOTP.code(secret: bytes, counter: TOTP.counter(at: gw.clock.now) + steps, hmac: TwoStepVerification.hmac)
    }

    /// Turns two-step on for the signed-in technician; returns the base32 secret and the recovery codes.
    static func enrol(_ gw: GatewayHarness, token: String) async throws -> (secret: String, recovery: [String]) {
        let begun = try await gw.request(.post, "/api/v1/me/two-step/enrolment", token: token).json()
        let secret = try #require(begun["secret"] as? String)
        #expect(secret.count >= 32, "at least 160 bits")
        #expect((begun["uri"] as? String)?.hasPrefix("otpauth://totp/Lifeline:") == true)
        #expect((begun["qrCodeSVG"] as? String)?.contains("<path") == true)
        let confirmed = try await gw.request(.post, "/api/v1/me/two-step/enrolment/confirm", token: token, json: ["code": try code(secret, gw)])
        #expect(confirmed.status == .ok)
        let recovery = try #require(try confirmed.json()["recoveryCodes"] as? [String])
        return (secret, recovery)
    }

    /// Password step; returns the challenge of the second step.
    static func challenge(_ gw: GatewayHarness, email: String = GatewayHarness.adminEmail,
                          password: String = GatewayHarness.adminPassword, mode: String = "verify") async throws -> String {
        let reply = try await gw.request(.post, "/api/v1/auth/login", json: ["email": email, "password": password])
        #expect(reply.status == .ok)
        let object = try reply.json()
        #expect(object["token"] == nil, "no token before the second step")
        let step = try #require(object["twoStep"] as? [String: Any])
        #expect(step["mode"] as? String == mode)
        return try #require(step["challenge"] as? String)
    }

    @Test("enrol with the QR secret, sign in with a code, replay refused, next step accepted, recovery code once")
    func enrolAndSignIn() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (secret, recovery) = try await Self.enrol(gw, token: token)
            #expect(recovery.count == 10)
            #expect(Set(recovery).count == 10)
            let status = try await gw.request(.get, "/api/v1/me/two-step", token: token).json()
            #expect(status["enabled"] as? Bool == true)
            #expect(status["recoveryCodesLeft"] as? Int == 10)

            // The code used to confirm is spent: the same step cannot sign in (replay).
            var challenge = try await Self.challenge(gw)
            let replay = try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": try Self.code(secret, gw)])
            #expect(replay.status == .unauthorized)
            #expect(replay.errorCode == "wrong_code")
            gw.clock.advance(by: 30)
            let good = try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": try Self.code(secret, gw)])
            #expect(good.status == .ok)
            let signedIn = try #require(try good.json()["token"] as? String)
            #expect(try await gw.request(.get, "/api/v1/me", token: signedIn).status == .ok)
            #expect(good.headers[.setCookie]?.contains("lifeline_session=") == true)
            // The challenge is used up.
            let again = try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": try Self.code(secret, gw, steps: 1)])
            #expect(again.errorCode == "challenge_expired")

            // A code of the next step (clock drift) is accepted; then that one is spent too.
            challenge = try await Self.challenge(gw)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": try Self.code(secret, gw, steps: 1)]).status == .ok)
            challenge = try await Self.challenge(gw)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": try Self.code(secret, gw, steps: 1)]).status == .unauthorized)

            // A recovery code signs in once, typed any way.
            let typed = recovery[3].uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": typed]).status == .ok)
            challenge = try await Self.challenge(gw)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": recovery[3]]).status == .unauthorized)
            #expect(try await gw.request(.get, "/api/v1/me/two-step", token: token).json()["recoveryCodesLeft"] as? Int == 9)
            let actions = try await gw.request(.get, "/api/v1/admin/audit", token: token).array().compactMap { $0["action"] as? String }
            #expect(actions.contains("two_step_enabled"))
            #expect(actions.contains("recovery_code_used"))
        }
    }

    @Test("the secret is sealed at rest with a key file beside the database, readable by its owner only")
    func sealedAtRest() async throws {
        let directory = GatewayHarness.newDataDirectory()
        let box = Mutex("")
        try await GatewayHarness.run(dataDirectory: directory) { gw in
            let secret = try await Self.enrol(gw, token: try await gw.login()).secret
            box.withLock { $0 = secret }
        }
        let secret = box.withLock { $0 }
        let keyPath = "\(directory)/two-step.key"
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let location = try await TestDatabase.preferred.location(forDataDirectory: directory)
        let store = try await SQLStore(location, logger: .init(label: "test"))
        let admin = try #require(try await store.technician(email: GatewayHarness.adminEmail))
        let row = try #require(try await store.twoStep(technicianId: admin.id))
        let raw = try #require(Base32.decode(secret))
        let sealed = try #require(Data(base64Encoded: row.sealedSecret))
        #expect(!row.sealedSecret.contains(secret))
        #expect(sealed.range(of: Data(raw)) == nil, "the raw secret is not in the database")
        #expect(row.recoveryCodeHashes.count == 10)
        await store.close()
        // After a restart the same key opens the secret: sign-in with a code still works.
        try await GatewayHarness.run(dataDirectory: directory) { gw in
            gw.clock.advance(by: 60)
            let challenge = try await Self.challenge(gw)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": try Self.code(secret, gw)]).status == .ok)
        }
    }

    @Test("required by the organisation: enrolment at sign-in, no turning it off, a password reset does not bypass it")
    func requiredByOrganisation() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "Desk", "permissions": ["start_private_sessions"]]).json()
            let created = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": "tina@lifeline.test", "name": "Tina", "password": Self.password, "groupId": group["id"] as! String,
            ]).json()
            let tinaId = try #require(created["id"] as? String)
            let saved = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["requireTwoStep": true])
            #expect(try saved.json()["requireTwoStep"] as? Bool == true)

            // Tina has none yet: the password leads to enrolment, not to the console.
            let challenge = try await Self.challenge(gw, email: "tina@lifeline.test", password: Self.password, mode: "enrol")
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": "123456"]).errorCode == "challenge_expired",
                    "an enrolment challenge does not take codes for sign-in")
            let begun = try await gw.request(.post, "/api/v1/auth/two-step/enrolment", json: ["challenge": challenge]).json()
            let secret = try #require(begun["secret"] as? String)
            #expect((begun["qrCodeSVG"] as? String)?.hasPrefix("<svg") == true)
            let wrong = try await gw.request(.post, "/api/v1/auth/two-step/enrolment/confirm", json: ["challenge": challenge, "code": "000000"])
            #expect(wrong.errorCode == "wrong_code")
            let done = try await gw.request(.post, "/api/v1/auth/two-step/enrolment/confirm", json: ["challenge": challenge, "code": try Self.code(secret, gw)])
            #expect(done.status == .ok)
            let tina = try #require(try done.json()["token"] as? String)
            #expect((try done.json()["recoveryCodes"] as? [String])?.count == 10)

            let off = try await gw.request(.post, "/api/v1/me/two-step/disable", token: tina, json: ["password": Self.password])
            #expect(off.status == .conflict)
            #expect(off.errorCode == "two_step_required")

            // The administrator resets her password: her sign-ins end, and the new password still needs a code.
            let reset = try await gw.request(.patch, "/api/v1/admin/technicians/\(tinaId)", token: admin, json: ["password": "another long password"])
            #expect(reset.status == .ok)
            #expect(try await gw.request(.get, "/api/v1/me", token: tina).status == .unauthorized)
            _ = try await Self.challenge(gw, email: "tina@lifeline.test", password: "another long password", mode: "verify")

            // With two-step required, 8 characters are enough (NIST), fewer are not.
            let short = try await gw.request(.patch, "/api/v1/admin/technicians/\(tinaId)", token: admin, json: ["password": "seven77"])
            #expect(short.errorCode == "weak_password")
            #expect(try await gw.request(.patch, "/api/v1/admin/technicians/\(tinaId)", token: admin, json: ["password": "qv8#Lm2z"]).status == .ok)
        }
    }

    @Test("a lost phone: SMS backup code signs in once; the administrator's reset makes the technician enrol again")
    func smsBackupAndReset() async throws {
        let outbox = GatewayHarness.newDataDirectory()
        try await GatewayHarness.run(sms: .outbox(directory: outbox)) { gw in
            let token = try await gw.login()
            _ = try await Self.enrol(gw, token: token)
            let phone = try await gw.request(.put, "/api/v1/me/two-step/sms", token: token, json: ["phone": "+33 6 12 34 56 78"])
            #expect(try phone.json()["smsPhone"] as? String == "+33 6 12 34 56 78")
            #expect(try await gw.request(.put, "/api/v1/me/two-step/sms", token: token, json: ["phone": "call me"]).status == .badRequest)

            let login = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword]).json()
            let step = try #require(login["twoStep"] as? [String: Any])
            #expect(step["smsPhoneHint"] as? String == "•••• 78")
            let challenge = try #require(step["challenge"] as? String)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step/sms", json: ["challenge": challenge]).status == .noContent)
            let again = try await gw.request(.post, "/api/v1/auth/two-step/sms", json: ["challenge": challenge])
            #expect(again.errorCode == "sms_too_soon")
            let files = try FileManager.default.contentsOfDirectory(atPath: outbox)
            #expect(files.count == 1)
            let text = try String(contentsOfFile: "\(outbox)/\(files[0])", encoding: .utf8)
            #expect(text.contains("To: +33 6 12 34 56 78"))
            let code = try #require(text.firstMatch(of: /code is (\d{6})/)?.1)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": String(code)]).status == .ok)
            let second = try await Self.challenge(gw)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": second, "code": String(code)]).status == .unauthorized,
                    "an SMS code belongs to one sign-in")

            // A technician cannot reset anyone's two-step; the master administrator can reset Tom's.
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: token, json: ["name": "Desk", "permissions": []]).json()
            let tech = try await gw.request(.post, "/api/v1/admin/technicians", token: token, json: [
                "email": "tom@lifeline.test", "name": "Tom", "password": Self.password, "groupId": group["id"] as! String,
            ]).json()
            let tom = try await gw.login("tom@lifeline.test", Self.password)
            _ = try await Self.enrol(gw, token: tom)
            #expect(try await gw.request(.post, "/api/v1/admin/technicians/\(tech["id"] as! String)/two-step/reset", token: tom).status == .forbidden)
            #expect(try await gw.request(.post, "/api/v1/admin/technicians/\(tech["id"] as! String)/two-step/reset", token: token).status == .noContent)
            #expect(try await gw.request(.get, "/api/v1/me", token: tom).status == .unauthorized, "the reset ends Tom's sign-ins")
            let plain = try await gw.request(.post, "/api/v1/auth/login", json: ["email": "tom@lifeline.test", "password": Self.password])
            #expect(try plain.json()["token"] is String, "not required by the organisation: the password alone again")
        }
    }

    @Test("200 wrong passwords: none succeeds, the waits grow and are told, the right password works after the wait")
    func passwordBruteForce() async throws {
        try await GatewayHarness.run { gw in
            var refusedWrong = 0, backedOff = 0, successes = 0
            var waits: [Int] = []
            for attempt in 0..<200 {
                let reply = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": "guess \(attempt)"])
                switch reply.status {
                case .unauthorized: refusedWrong += 1
                case .tooManyRequests:
                    backedOff += 1
                    let wait = try #require(Int(reply.headers[.retryAfter] ?? ""))
                    if waits.last != wait { waits.append(wait) }
                    // The attacker waits as told, and keeps guessing.
                    if attempt % 20 == 0 { gw.clock.advance(by: TimeInterval(wait)) }
                case .ok: successes += 1
                default: Issue.record("unexpected \(reply.status)")
                }
            }
            #expect(successes == 0)
            #expect(backedOff > 150, "most guesses are refused without checking the password")
            #expect(refusedWrong < 20, "only a handful of guesses were checked (\(refusedWrong))")
            #expect(waits.count >= 3 && waits == waits.sorted(), "the waits grow: \(waits)")
            let locked = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword])
            #expect(locked.status == .tooManyRequests, "even the right password waits")
            let message = ((try locked.json()["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("Try again in"))
            gw.clock.advance(by: TimeInterval(Int(locked.headers[.retryAfter] ?? "0") ?? 0))
            #expect(try await gw.request(.post, "/api/v1/auth/login", json: [
                "email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword,
            ]).status == .ok, "the legitimate user signs in after the wait")
        }
    }

    @Test("wrong codes back off the account and end the challenge after five")
    func codeBruteForce() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (secret, _) = try await Self.enrol(gw, token: token)
            gw.clock.advance(by: 30)
            let challenge = try await Self.challenge(gw)
            var statuses: [Int] = []
            for guess in 0..<6 {
                statuses.append(Int(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": challenge, "code": String(format: "%06d", guess)]).status.code))
            }
            // Five wrong codes are checked; the sixth meets a backing-off account (the confirm
            // was no failure) or a closed challenge — never a sign-in.
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 })
            #expect(statuses[5] == 429 || statuses[5] == 401)
            let fresh = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": GatewayHarness.adminPassword])
            #expect(fresh.status == .tooManyRequests, "the account backs off after five wrong codes")
            gw.clock.advance(by: TimeInterval(Int(fresh.headers[.retryAfter] ?? "0") ?? 0))
            let next = try await Self.challenge(gw)
            #expect(try await gw.request(.post, "/api/v1/auth/two-step", json: ["challenge": next, "code": try Self.code(secret, gw)]).status == .ok)
        }
    }

    @Test("10,000 wrong PINs from one address: none joins, the address is refused, the right PIN works after the window")
    func pinBruteForce() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (_, pin) = try await gw.createSession(token: token, name: "Target")
            // An attacker's own connections (four at a time, each request with a deadline), not the
            // test client's single one: nothing here can wait forever.
            let url = URL(string: "http://127.0.0.1:\(gw.port)/api/v1/customer/join")!
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = 15
            let session = URLSession(configuration: configuration)
            var counts: [Int: Int] = [:]
            for batch in stride(from: 1, through: 10_000, by: 500) {
                let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for lane in 0..<4 {
                        group.addTask {
                            var seen: [Int] = []
                            for candidate in stride(from: batch + lane, to: min(batch + 500, 10_001), by: 4) {
                                let guess = String(format: "%06d", candidate)
                                guard guess != pin else { continue }
                                var request = URLRequest(url: url)
                                request.httpMethod = "POST"
                                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                                request.httpBody = Data(#"{"pin":"\#(guess)"}"#.utf8)
                                let (_, response) = try await session.data(for: request)
                                seen.append((response as? HTTPURLResponse)?.statusCode ?? 0)
                            }
                            return seen
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                for status in statuses { counts[status, default: 0] += 1 }
                if batch % 2_000 == 1 { gw.clock.advance(by: 301) }
            }
            session.invalidateAndCancel()
            #expect(counts[200] == nil, "no wrong PIN joins")
            #expect((counts[404] ?? 0) <= 60, "ten guesses per window reach the PIN check (\(counts))")
            #expect((counts[429] ?? 0) >= 9_900, "the rest is refused without checking (\(counts))")
            #expect(counts.keys.allSatisfy { [404, 429].contains($0) }, "\(counts)")
            gw.clock.advance(by: 301)
            // The first PIN has timed out meanwhile (connecting timeout): a fresh one joins.
            let (_, fresh) = try await gw.createSession(token: token)
            #expect(try await gw.join(pin: fresh).status == .ok)
        }
    }
}
