import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("History and notes with the same device (D6)")
struct DeviceHistoryGatewayTests {
    /// A session of `token`'s technician whose applet says it runs on `device`; returns its id.
    static func session(_ gw: GatewayHarness, token: String, device: String?, name: String) async throws -> (String, SocketProbe) {
        let (id, pin) = try await gw.createSession(token: token, name: name)
        let joined = try await gw.join(pin: pin)
        let appletToken = try #require(try joined.json()["appletToken"] as? String)
        let probe = SocketProbe(port: gw.port, path: "/ws/applet")
        probe.send(AppletToGateway.hello(.init(token: appletToken, appletVersion: "test",
                                         customer: CustomerInfo(hostname: "pc", user: "ann", platform: "Linux", deviceId: device))))
        _ = try await probe.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token)
        return (id, probe)
    }

    @Test("notes written by one technician are seen by another in the next session with the same device, logs too")
    func notesFollowTheDevice() async throws {
        try await GatewayHarness.run { gw in
            let alice = try await gw.login()
            let bob = try await gw.technician(named: "Bob", permissions: ["start_private_sessions", "connect_by_pin", "chat"], adminToken: alice)
            let (first, firstApplet) = try await Self.session(gw, token: alice, device: "ab12cd34", name: "Printer")
            #expect(try await gw.request(.put, "/api/v1/sessions/\(first)/notes", token: alice,
                                         json: ["text": "Driver 4.2 fixed the queue. <script>x</script>"]).status == .ok)
            _ = try await gw.request(.post, "/api/v1/sessions/\(first)/end", token: alice)
            // Bob cannot write Alice's notes.
            #expect(try await gw.request(.put, "/api/v1/sessions/\(first)/notes", token: bob, json: ["text": "mine"]).status == .notFound)

            let (second, secondApplet) = try await Self.session(gw, token: bob, device: "AB12CD34", name: "Printer again")
            let history = try await gw.request(.get, "/api/v1/sessions/\(second)/device-history", token: bob).array()
            #expect(history.count == 1)
            #expect(history.first?["sessionId"] as? String == first)
            #expect(history.first?["notes"] as? String == "Driver 4.2 fixed the queue. <script>x</script>")
            #expect(history.first?["technicianName"] as? String == "Administrator")
            let log = try await gw.request(.get, "/api/v1/sessions/\(second)/device-history/\(first)/log", token: bob)
            let lines = try log.array()
            #expect(log.status == .ok && !lines.isEmpty)

            // Another device sees none of it, and cannot reach that log through its own session.
            let (third, thirdApplet) = try await Self.session(gw, token: bob, device: "ffff0000", name: "Laptop")
            #expect(try await gw.request(.get, "/api/v1/sessions/\(third)/device-history", token: bob).array().isEmpty)
            #expect(try await gw.request(.get, "/api/v1/sessions/\(third)/device-history/\(first)/log", token: bob).status == .notFound)
            // Notes are bounded.
            #expect(try await gw.request(.put, "/api/v1/sessions/\(second)/notes", token: bob,
                                         json: ["text": String(repeating: "x", count: 4_001)]).status == .badRequest)
            for probe in [firstApplet, secondApplet, thirdApplet] { await probe.close() }
        }
    }

    @Test("the id technicians see is the gateway's, not the applet's key: claiming it reaches no history")
    func claimedIdsReachNothing() async throws {
        try await GatewayHarness.run { gw in
            let alice = try await gw.login()
            let bob = try await gw.technician(named: "Bob", permissions: ["start_private_sessions", "connect_by_pin", "chat"], adminToken: alice)
            let (first, firstApplet) = try await Self.session(gw, token: alice, device: "ab12cd34", name: "Payroll PC")
            _ = try await gw.request(.put, "/api/v1/sessions/\(first)/notes", token: alice, json: ["text": "VPN password reset"])
            let seen = try await gw.request(.get, "/api/v1/sessions/\(first)", token: alice).json()
            let shownId = try #require((seen["customer"] as? [String: Any])?["deviceId"] as? String)
            #expect(shownId != "ab12cd34" && shownId.count == 32, "the key never leaves the gateway")
            _ = try await gw.request(.post, "/api/v1/sessions/\(first)/end", token: alice)

            // Someone who learnt that id has their applet claim it.
            let (forged, forgedApplet) = try await Self.session(gw, token: bob, device: shownId, name: "Impostor")
            #expect(try await gw.request(.get, "/api/v1/sessions/\(forged)/device-history", token: bob).array().isEmpty)
            #expect(try await gw.request(.get, "/api/v1/sessions/\(forged)/device-history/\(first)/log", token: bob).status == .notFound)
            // The machine itself, with its key, still finds its history.
            let (again, againApplet) = try await Self.session(gw, token: bob, device: "ab12cd34", name: "Payroll PC again")
            #expect(try await gw.request(.get, "/api/v1/sessions/\(again)/device-history", token: bob).array().map { $0["sessionId"] as? String } == [first])
            for probe in [firstApplet, forgedApplet, againApplet] { await probe.close() }
        }
    }

    @Test("a device id is hex and bounded, or nothing")
    func deviceIds() {
        #expect(CustomerInfo(hostname: "", user: "", platform: "", deviceId: "ABCdef01").deviceId == "abcdef01")
        #expect(CustomerInfo(hostname: "", user: "", platform: "", deviceId: "x' OR 1=1").deviceId == nil)
        #expect(CustomerInfo(hostname: "", user: "", platform: "", deviceId: String(repeating: "a", count: 65)).deviceId == nil)
    }
}
