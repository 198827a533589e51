import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The appendix's Rebooting rows as a collaborator sees them (C7 with I2): the customer's machine
/// restarts while an external technician collaborates — their view goes Rebooting and back to
/// Collaboration; the lead closing the session during the restart leaves it Closed by customer for
/// them; the lead removing them during the restart closes it for them.
@Suite("Rebooting as a collaborator sees it (C7, I2)")
struct CollaboratorRebootTests {
    /// An active session of the administrator's with an external collaborator joined.
    func sessionWithCollaborator(_ gw: GatewayHarness) async throws -> (scene: RemoteScene, collaboratorId: String, probe: SocketProbe) {
        let scene = try await RemoteScene.make(gw)
        let invited = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/collaborators", token: scene.token,
                                           json: ["name": "Dana Vendor"]).json()
        let link = try #require(invited["link"] as? String)
        let joined = try await gw.request(.post, "/api/v1/collaborators/join", json: ["link": link]).json()
        let (probe, welcome) = try await CollaboratorGatewayTests.collaboratorSocket(gw, token: try #require(joined["token"] as? String))
        #expect(welcome.state == .collaboration)
        return (scene, try #require(invited["id"] as? String), probe)
    }

    /// The lead restarts the machine and the applet says it restarts: the ticket to come back with.
    func restart(_ scene: RemoteScene) async throws -> String {
        scene.console.send(ConsoleToGateway.rebootRequest(.init(sessionId: scene.sessionId, kind: .normal)))
        let message = try await scene.applet.expect(GatewayToApplet.self) { if case .reboot = $0 { true } else { false } }
        guard case .reboot(let order) = message else { throw HarnessError("no reboot order") }
        scene.applet.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .restarting)))
        return order.ticket
    }

    func expectState(_ probe: SocketProbe, _ state: SessionState) async throws {
        _ = try await probe.expect(GatewayToCollaborator.self) { $0 == .state(state) }
    }

    @Test("Collaboration → Rebooting → Collaboration: the collaborator's view follows the machine")
    func rebootingAndBack() async throws {
        try await GatewayHarness.run { gw in
            let (scene, _, probe) = try await sessionWithCollaborator(gw)
            let ticket = try await restart(scene)
            try await expectState(probe, .rebooting)
            await scene.applet.close()
            let reply = try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": ticket])
            let back = try await gw.helloApplet(token: try #require(try reply.json()["appletToken"] as? String))
            try await expectState(probe, .collaboration)
            // Back at work: the collaborator's chat reaches the customer again.
            probe.send(CollaboratorToGateway.chat(.init(text: "Back after the restart.")))
            _ = try await back.expect(GatewayToApplet.self) { if case .chat(let entry) = $0 { entry.text == "Back after the restart." } else { false } }
            await back.close()
            await probe.close()
        }
    }

    @Test("Rebooting → Closed by customer: the lead closes the session during the restart")
    func closedDuringTheRestart() async throws {
        try await GatewayHarness.run { gw in
            let (scene, _, probe) = try await sessionWithCollaborator(gw)
            _ = try await restart(scene)
            try await expectState(probe, .rebooting)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.token).status == .ok)
            // Their view is Closed by customer (the machine's rule below); their console ends with the session.
            _ = try await probe.expect(GatewayToCollaborator.self) { $0 == .ended(.init(reason: "session ended")) }
            #expect(ExternalCollaboration.viewEvent(forLead: .end, leadState: .closed, viewState: .rebooting) == .closedByLead)
            var view = SessionMachine(restoring: .rebooting, role: .collaborator, resumeState: .collaboration, createdAt: Date(),
                                      stateEnteredAt: Date(), heldSince: nil, lastActivityAt: Date())
            try view.handle(.closedByLead, at: Date())
            #expect(view.state == .closedByCustomer)
            await probe.close()
        }
    }

    @Test("Rebooting → Closed: the lead removes the collaborator during the restart; the session waits for the machine")
    func removedDuringTheRestart() async throws {
        try await GatewayHarness.run { gw in
            let (scene, collaboratorId, probe) = try await sessionWithCollaborator(gw)
            _ = try await restart(scene)
            try await expectState(probe, .rebooting)
            let removed = try await gw.request(.delete, "/api/v1/sessions/\(scene.sessionId)/collaborators/\(collaboratorId)", token: scene.token)
            #expect(removed.status == .noContent)
            _ = try await probe.expect(GatewayToCollaborator.self) { $0 == .ended(.init(reason: "removed")) }
            #expect(try await gw.state(of: scene.sessionId, token: scene.token) == "rebooting")
            await probe.close()
        }
    }
}
