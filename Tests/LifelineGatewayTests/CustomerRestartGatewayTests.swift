import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The customer restarting the machine themselves (C7), with a socket playing the applet that heard
/// logind announce it: On hold (the appendix's row), Active and Incoming go Rebooting and come back
/// to where they were with the ticket; a session elsewhere gets no ticket; a restart called off
/// brings the session back at once and kills the ticket.
@Suite("The customer's own restart through the gateway (C7)")
struct CustomerRestartGatewayTests {
    func ticket(_ applet: SocketProbe) async throws -> ResumeTicketMessage {
        let message = try await applet.expect(GatewayToApplet.self) { if case .resumeTicket = $0 { true } else { false } }
        guard case .resumeTicket(let ticket) = message else { throw HarnessError("no resume_ticket") }
        return ticket
    }

    func log(_ gw: GatewayHarness, _ scene: RemoteScene) async throws -> [String] {
        try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array().compactMap { $0["text"] as? String }
    }

    @Test("On hold → Rebooting when the customer restarts, and back On hold when the applet returns with its ticket")
    func fromHold() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/hold", token: scene.token)
            try await gw.waitForState("on_hold", of: scene.sessionId, token: scene.token)
            scene.applet.send(AppletToGateway.customerRestart(.init(phase: .starting)))
            let given = try await ticket(scene.applet)
            let ticket = try #require(given.ticket)
            #expect(ticket.count >= 40)
            try await gw.waitForState("rebooting", of: scene.sessionId, token: scene.token)
            await scene.applet.close()

            let reply = try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": ticket])
            let back = try await gw.helloApplet(token: try #require(try reply.json()["appletToken"] as? String))
            try await gw.waitForState("on_hold", of: scene.sessionId, token: scene.token)
            #expect(try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": ticket]).status == .unauthorized)
            let texts = try await log(gw, scene)
            for line in ["The customer is restarting their computer; the session resumes when it is back.",
                         "The customer's computer restarted and the applet reconnected."] {
                #expect(texts.contains(line), "\(line) in \(texts)")
            }
            await back.close()
        }
    }

    @Test("a restart called off brings an Active session back at once and its ticket dies")
    func calledOff() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await RemoteScene.make(gw)
            scene.applet.send(AppletToGateway.customerRestart(.init(phase: .starting)))
            let ticket = try #require(try await ticket(scene.applet).ticket)
            try await gw.waitForState("rebooting", of: scene.sessionId, token: scene.token)
            scene.applet.send(AppletToGateway.customerRestart(.init(phase: .cancelled)))
            try await gw.waitForState("active", of: scene.sessionId, token: scene.token)
            #expect(try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": ticket]).status == .unauthorized)
            #expect(try await log(gw, scene).contains("The customer's computer did not restart after all; the session goes on."))
            // A stray "called off" in an Active session changes nothing.
            scene.applet.send(AppletToGateway.customerRestart(.init(phase: .cancelled)))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "active")
        }
    }

    @Test("a Waiting session gets no ticket (only the technician's restart brings it back) and stays Waiting")
    func waitingGetsNoTicket() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("waiting", of: id, token: token)
            applet.send(AppletToGateway.customerRestart(.init(phase: .starting)))
            let refused = try await ticket(applet)
            #expect(refused.ticket == nil && refused.reason?.contains("waiting") == true, "\(refused)")
            #expect(try await gw.state(of: id, token: token) == "waiting")
            await applet.close()
        }
    }
}
