import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

private let lensPermissions = ["start_private_sessions", "connect_by_pin", "connect_by_link", "chat", "hold_sessions",
                               "transfer_sessions", "lens_sessions", "invite_internal_technicians", "invite_external_technicians",
                               "file_manager"]

/// Lens sessions (Q1, Q3): created with the Lens permission, one active per technician, no
/// collaboration, transferred only to a technician allowed Lens sessions, never joined by the applet.
@Suite("Lens sessions: the session type and its rules")
struct LensSessionTests {
    /// A phone's browser showing its camera.
    static let phone = CustomerInfo(hostname: "", user: "", platform: "Browser (Linux armv8l)", client: .browser, browserScreen: .chosen)

    static func createLens(_ gw: GatewayHarness, token: String, name: String = "Lena") async throws -> (id: String, pin: String) {
        let reply = try await gw.request(.post, "/api/v1/sessions", token: token, json: ["name": name, "method": "pin", "type": "lens"])
        guard reply.status == .created else { throw HarnessError("Lens session not created: \(reply.status) \(reply.errorCode ?? "")") }
        let object = try reply.json()
        return (object["id"] as! String, object["pin"] as! String)
    }

    /// The phone joins from its browser and waits in the queue.
    static func joinFromPhone(_ gw: GatewayHarness, pin: String) async throws -> SocketProbe {
        let appletToken = try await gw.join(pin: pin).json()["appletToken"] as! String
        let phone = SocketProbe(port: gw.port, path: "/ws/applet")
        phone.send(AppletToGateway.hello(.init(token: appletToken, appletVersion: "lens", customer: Self.phone)))
        _ = try await phone.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
        return phone
    }

    @Test("created only with the Lens permission; the queue and the PIN page say Lens, on a phone")
    func creation() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let noLens = try await gw.technician(named: "Nora", permissions: ["start_private_sessions", "connect_by_pin"], adminToken: admin)
            let refused = try await gw.request(.post, "/api/v1/sessions", token: noLens, json: ["method": "pin", "type": "lens"])
            #expect(refused.status == .forbidden && refused.errorCode == "permission_denied")
            #expect(try await gw.request(.post, "/api/v1/sessions", token: noLens, json: ["method": "pin", "type": "camera"]).status == .badRequest)

            let (id, pin) = try await Self.createLens(gw, token: admin)
            let summary = try await gw.request(.get, "/api/v1/sessions/\(id)", token: admin).json()
            #expect(summary["type"] as? String == "lens" && summary["platform"] as? String == "mobile")
            let invitation = try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": pin]).json()
            #expect(invitation["type"] as? String == "lens")
            // A standard session says nothing of a type, and keeps the platform picked by hand (P1).
            let standard = try await gw.request(.post, "/api/v1/sessions", token: admin, json: ["method": "pin", "platform": "computer"]).json()
            #expect(standard["session"].flatMap { ($0 as? [String: Any])?["platform"] as? String } == "computer")
            let standardPin = try #require(standard["pin"] as? String)
            let standardInvitation = try await gw.request(.post, "/api/v1/customer/pin-check", json: ["pin": standardPin]).json()
            #expect(standardInvitation["type"] == nil && standardInvitation["platform"] as? String == "computer")
        }
    }

    @Test("the applet is refused a Lens session; the phone's browser joins it")
    func appletRefused() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let (id, pin) = try await Self.createLens(gw, token: admin)
            let appletToken = try await gw.join(pin: pin).json()["appletToken"] as! String
            let applet = SocketProbe(port: gw.port, path: "/ws/applet")
            applet.send(AppletToGateway.hello(.init(token: appletToken, appletVersion: "test", customer: GatewayHarness.customer)))
            let error = try await applet.expect(GatewayToApplet.self) { if case .error = $0 { true } else { false } }
            guard case .error(let refusal) = error else { return }
            #expect(refusal.code == "not_for_lens")
            #expect(try await gw.state(of: id, token: admin) == "connecting")
            let phone = SocketProbe(port: gw.port, path: "/ws/applet")
            phone.send(AppletToGateway.hello(.init(token: appletToken, appletVersion: "lens", customer: Self.phone)))
            _ = try await phone.expect(GatewayToApplet.self) { if case .welcome = $0 { true } else { false } }
            try await gw.waitForState("waiting", of: id, token: admin)
        }
    }

    @Test("one active Lens session per technician: the second waits until the first is held or ended; standard ones still start")
    func oneActiveLens() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let first = try await Self.createLens(gw, token: admin, name: "First")
            let second = try await Self.createLens(gw, token: admin, name: "Second")
            let phones = [try await Self.joinFromPhone(gw, pin: first.pin), try await Self.joinFromPhone(gw, pin: second.pin)]
            #expect(try await gw.request(.post, "/api/v1/sessions/\(first.id)/start", token: admin).status == .ok)
            let refused = try await gw.request(.post, "/api/v1/sessions/\(second.id)/start", token: admin)
            #expect(refused.status == .conflict && refused.errorCode == "another_lens_active")
            #expect(try await gw.state(of: second.id, token: admin) == "waiting")

            let (standard, standardPin) = try await gw.createSession(token: admin)
            let applet = try await gw.connectApplet(pin: standardPin).probe
            #expect(try await gw.request(.post, "/api/v1/sessions/\(standard)/start", token: admin).status == .ok)

            #expect(try await gw.request(.post, "/api/v1/sessions/\(first.id)/hold", token: admin).status == .ok)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(second.id)/start", token: admin).status == .ok)
            let back = try await gw.request(.post, "/api/v1/sessions/\(first.id)/start", token: admin)
            #expect(back.errorCode == "another_lens_active", "taking the held one back is a second active Lens")
            for phone in phones { await phone.close() }
            await applet.close()
        }
    }

    @Test("20 concurrent Starts of 20 Lens sessions by one technician: exactly one becomes active (5 rounds)")
    func oneLensUnderARace() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            for _ in 1...5 {
                var ids: [String] = []
                var phones: [SocketProbe] = []
                for index in 1...20 {
                    let (id, pin) = try await Self.createLens(gw, token: admin, name: "Phone \(index)")
                    phones.append(try await Self.joinFromPhone(gw, pin: pin))
                    ids.append(id)
                }
                for id in ids { try await gw.waitForState("waiting", of: id, token: admin) }
                let replies = try await gw.race(ids.map { try .init(.post, "/api/v1/sessions/\($0)/start", token: admin) })
                #expect(replies.filter { $0.status == .ok }.count == 1)
                #expect(replies.filter { $0.errorCode == "another_lens_active" }.count == 19)
                var active = 0
                for id in ids where try await gw.state(of: id, token: admin) == "active" { active += 1 }
                #expect(active == 1)
                for id in ids { _ = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: admin) }
                for phone in phones { await phone.close() }
            }
        }
    }

    @Test("no collaboration: colleagues and external technicians are refused; the camera is asked with the Lens permission alone")
    func noCollaboration() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let lena = try await gw.technician(named: "Lena", permissions: lensPermissions, adminToken: admin)
            let bea = try await gw.technician(named: "Bea", permissions: lensPermissions, adminToken: admin)
            let beaId = try #require(try await gw.request(.get, "/api/v1/me", token: bea).json()["id"] as? String)
            let beaConsole = gw.console(token: bea)
            _ = try await beaConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let (id, pin) = try await Self.createLens(gw, token: lena)
            let phone = try await Self.joinFromPhone(gw, pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: lena).status == .ok)

            let colleague = try await gw.request(.post, "/api/v1/sessions/\(id)/colleagues", token: lena, json: ["technicianId": beaId])
            #expect(colleague.status == .conflict && colleague.errorCode == "not_for_lens")
            let external = try await gw.request(.post, "/api/v1/sessions/\(id)/collaborators", token: lena, json: ["name": "Dana Vendor"])
            #expect(external.status == .conflict && external.errorCode == "not_for_lens")
            // No applet tools either: the file manager is refused as what a Lens session is not.
            let console = gw.console(token: lena)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            console.send(ConsoleToGateway.fileManagerOpen(.init(sessionId: id)))
            let error = try await console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            if case .error(let refusal) = error { #expect(refusal.code == "not_for_lens") }

            // Lena's group has no desktop_view: the camera is the Lens permission's.
            console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .view)))
            let request = try await phone.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            #expect(request == .remoteRequest(.init(mode: .view, technicianName: "Lena", webrtc: WebRTCSetup(iceServers: []))))
            console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .control)))
            let control = try await console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            if case .error(let refusal) = control { #expect(refusal.code == "permission_denied" || refusal.code == "browser_view_only") }
            await phone.close()
        }
    }

    @Test("transferred only to a technician allowed Lens sessions, never to a queue")
    func transfer() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let nora = try await gw.technician(named: "Nora", permissions: ["chat", "transfer_sessions"], adminToken: admin)
            let bea = try await gw.technician(named: "Bea", permissions: lensPermissions, adminToken: admin)
            var ids: [String: String] = [:]
            var consoles: [SocketProbe] = []
            for (name, token) in [("Nora", nora), ("Bea", bea)] {
                ids[name] = try #require(try await gw.request(.get, "/api/v1/me", token: token).json()["id"] as? String)
                let console = gw.console(token: token)
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                consoles.append(console)
            }
            let (id, pin) = try await Self.createLens(gw, token: admin)
            let phone = try await Self.joinFromPhone(gw, pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin).status == .ok)

            let toNora = try await gw.request(.post, "/api/v1/sessions/\(id)/transfer", token: admin, json: ["to": ids["Nora"]!])
            #expect(toNora.status == .conflict && toNora.errorCode == "not_for_lens")
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: admin).array()
            let groupId = try #require(groups.first?["id"] as? String)
            let toQueue = try await gw.request(.post, "/api/v1/sessions/\(id)/transfer", token: admin, json: ["to": ["group": groupId]])
            #expect(toQueue.status == .conflict && toQueue.errorCode == "not_for_lens")
            #expect(try await gw.state(of: id, token: admin) == "active", "a refused transfer changes nothing")

            let toBea = try await gw.request(.post, "/api/v1/sessions/\(id)/transfer", token: admin, json: ["to": ids["Bea"]!])
            #expect(toBea.status == .ok)
            #expect(try toBea.json()["state"] as? String == "outgoing")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: bea).status == .ok)
            await phone.close()
        }
    }

    @Test("with a TURN server configured, each session's browsers get credentials of their own, valid for the set time")
    func turnCredentialsPerSession() async throws {
        let turn = TurnServerSecret(urls: ["turn:127.0.0.1:3478"], secret: Array("shared".utf8), lifetime: 600)
        try await GatewayHarness.run(webRTC: WebRTCSetup(iceServers: [], relayOnly: true), turn: turn) { gw in
            let admin = try await gw.login()
            let console = gw.console(token: admin)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            var usernames: [String] = []
            for name in ["One", "Two"] {
                let (id, pin) = try await Self.createLens(gw, token: admin, name: name)
                let phone = try await Self.joinFromPhone(gw, pin: pin)
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: admin).status == .ok)
                console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .view)))
                let request = try await phone.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
                guard case .remoteRequest(let asked) = request, let setup = asked.webrtc else {
                    Issue.record("no WebRTC setup for the phone")
                    return
                }
                #expect(setup.iceTransportPolicy == "relay")
                let server = try #require(setup.iceServers.first)
                #expect(server.urls == ["turn:127.0.0.1:3478"])
                let username = try #require(server.username)
                #expect(username == "\(Int(gw.clock.now.timeIntervalSince1970) + 600):\(id)")
                #expect(server.credential?.isEmpty == false)
                usernames.append(username)
                phone.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
                let status = try await console.expect(GatewayToConsole.self) {
                    if case .remote(let status) = $0 { status.sessionId == id && status.phase == .active } else { false }
                }
                if case .remote(let status) = status { #expect(status.webrtc?.iceServers.first?.username?.hasSuffix(":\(id)") == true) }
                let ended = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: admin)
                #expect(ended.status == .ok, "\(ended.errorCode ?? "")")
                await phone.close()
            }
            #expect(Set(usernames).count == 2)
            // The customer's yes is on the audit record as what it is: the camera and the microphone.
            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: admin).array()
            #expect(audit.filter { $0["action"] as? String == "consent_given" && $0["objectType"] as? String == "camera_and_microphone" }.count == 2)
        }
    }
}
