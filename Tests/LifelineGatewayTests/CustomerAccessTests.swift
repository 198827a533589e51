import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Customer access: PINs and links are single use, expire and are rate-limited")
struct CustomerAccessTests {
    @Test("a wrong PIN is refused with a clear JSON error")
    func wrongPin() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (_, pin) = try await gw.createSession(token: token)
            let wrong = pin == "000000" ? "000001" : "000000"
            let reply = try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": wrong])
            #expect(reply.status == .notFound)
            #expect(reply.errorCode == "unknown_pin")
            let malformed = try await gw.join(pin: "12ab56")
            #expect(malformed.status == .notFound)
        }
    }

    @Test("checking a PIN does not use it up; joining does, and a reused PIN is refused as used (410), not as a typo")
    func pinIsSingleUse() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (_, pin) = try await gw.createSession(token: token)
            let check = try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": pin])
            #expect(check.status == .ok)
            #expect(try check.json()["organisation"] as? String == "Lifeline")
            #expect(try await gw.join(pin: pin).status == .ok)
            let reused = try await gw.join(pin: pin)
            #expect(reused.status == .gone)
            #expect(reused.errorCode == "pin_used")
        }
    }

    @Test("a PIN expires after the connecting timeout (20 minutes), says so (410 pin_expired), and the session leaves the queue")
    func pinExpires() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            gw.clock.advance(by: 20 * 60 + 1)
            let early = try await gw.join(pin: pin)
            #expect(early.status == .gone && early.errorCode == "pin_expired", "expired even before the timer ran")
            await gw.hub.runTimers()
            #expect(try await gw.state(of: id, token: token) == "closed")
            #expect(try await gw.request(.get, "/api/v1/sessions", token: token).array().isEmpty)
            let late = try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": pin])
            #expect(late.status == .gone && late.errorCode == "pin_expired", "remembered after the session left the queue")
            // A day later the PIN is forgotten: it is a wrong PIN like any other.
            gw.clock.advance(by: 24 * 3600)
            #expect(try await gw.join(pin: pin).errorCode == "unknown_pin")
        }
    }

    @Test("a session ended before anyone joined: its PIN has expired; dead PINs are remembered for a day")
    func endedSessionPinExpired() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: token).status == .ok)
            #expect(try await gw.join(pin: pin).errorCode == "pin_expired")
            let registry = gw.hub.registry
            registry.retire(pin: "123123", .used, at: gw.clock.now)
            #expect(registry.retiredPin("123123", at: gw.clock.now) == .used)
            #expect(registry.retiredPin("123123", at: gw.clock.now.addingTimeInterval(24 * 3600 + 1)) == nil)
        }
    }

    @Test("an applet started again rejoins with its token: the session continues and its log says so")
    func rejoinIsLogged() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (first, appletToken) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
            await first.close()
            let again = try await gw.helloApplet(token: appletToken, rejoining: true)
            let codes = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array()
                .compactMap { ($0["event"] as? [String: Any])?["code"] as? String }
            #expect(codes.contains("applet_rejoined"))
            #expect(try await gw.state(of: id, token: token) == "active")
            await again.close()
        }
    }

    @Test("ten wrong PINs from one address lock it out with 429 and Retry-After, even for a right PIN")
    func wrongPinsAreRateLimited() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (_, pin) = try await gw.createSession(token: token)
            let wrong = pin == "999999" ? "999998" : "999999"
            // 25 s apart: ten within the address's five minutes, never past the gateway's four a minute.
            for _ in 0..<10 {
                #expect(try await gw.join(pin: wrong).status == .notFound)
                gw.clock.advance(by: 25)
            }
            let locked = try await gw.join(pin: pin)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorCode == "too_many_attempts")
            #expect(locked.headers[.retryAfter] != nil)
            gw.clock.advance(by: 301)
            #expect(try await gw.join(pin: pin).status == .ok, "the lock lifts after the window")
        }
    }

    @Test("a right PIN between wrong ones does not clear the count: failures only leave with time")
    func successDoesNotResetTheCount() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (_, pin) = try await gw.createSession(token: token)
            let wrong = pin == "999999" ? "999998" : "999999"
            for _ in 0..<10 {
                // An attacker checks their own live PIN between guesses to reset the limiter.
                #expect(try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": pin]).status == .ok)
                #expect(try await gw.join(pin: wrong).status == .notFound)
                gw.clock.advance(by: 25)
            }
            #expect(try await gw.join(pin: wrong).status == .tooManyRequests)
            #expect(try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": pin]).status == .tooManyRequests)
        }
    }

    @Test("an applet token opens only its own session; an unknown token is refused and the socket closed")
    func unknownAppletToken() async throws {
        try await GatewayHarness.run { gw in
            let probe = SocketProbe(port: gw.port, path: "/ws/applet")
            probe.send(AppletToGateway.hello(.init(token: "not-a-token", appletVersion: "test", customer: GatewayHarness.customer)))
            let error = try await probe.expect(GatewayToApplet.self)
            #expect(error == .error(.init(code: "unknown_applet_token", message: GatewayError.unknownAppletToken.message)))
            #expect(await probe.closes(within: 2), "the gateway closes the socket")
        }
    }

    @Test("the customer pages are served: the PIN page and the link page")
    func customerPages() async throws {
        try await GatewayHarness.run { gw in
            let pinPage = try await gw.request(.get, "/")
            #expect(pinPage.status == .ok)
            #expect(String(decoding: pinPage.body, as: UTF8.self).contains("pin-form"))
            let linkPage = try await gw.request(.get, "/c/some-token")
            #expect(linkPage.status == .ok)
            #expect(String(decoding: linkPage.body, as: UTF8.self).contains("link-page.js"))
        }
    }

    @Test("a customer who says no before joining: the technician's log says so at once, the session stays Connecting and its PIN keeps working")
    func declineIsLogged() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let console = gw.console(token: token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            #expect(try await gw.request(.post, "/api/v1/customer/decline", json: ["pin": pin, "reason": "declined"]).status == .noContent)
            _ = try await console.expect(GatewayToConsole.self) {
                if case .log(let entry) = $0 { entry.sessionId == id && entry.event?.code == "invitation_declined" } else { false }
            }
            #expect(try await gw.state(of: id, token: token) == "connecting")
            // Once a minute at most: a known PIN cannot flood the log.
            #expect(try await gw.request(.post, "/api/v1/customer/decline", json: ["pin": pin, "reason": "declined"]).status == .noContent)
            gw.clock.advance(by: 61)
            #expect(try await gw.request(.post, "/api/v1/customer/decline", json: ["pin": pin, "reason": "terms_refused"]).status == .noContent)
            gw.clock.advance(by: 61)
            #expect(try await gw.request(.post, "/api/v1/customer/decline", json: ["pin": pin, "reason": "closed"]).status == .noContent)
            let codes = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array()
                .compactMap { ($0["event"] as? [String: Any])?["code"] as? String }
            #expect(codes.filter { ["invitation_declined", "terms_refused", "applet_closed"].contains($0) }
                    == ["invitation_declined", "terms_refused", "applet_closed"])
            // A wrong PIN is a wrong guess like any other; a bad reason is refused.
            let wrong = pin == "999999" ? "999998" : "999999"
            #expect(try await gw.request(.post, "/api/v1/customer/decline", json: ["pin": wrong, "reason": "declined"]).status == .notFound)
            #expect(try await gw.request(.post, "/api/v1/customer/decline", json: ["pin": pin, "reason": "maybe"]).status == .badRequest)
            // The customer changes their mind: the PIN still works.
            #expect(try await gw.join(pin: pin).status == .ok)
            await console.close()
        }
    }
}
