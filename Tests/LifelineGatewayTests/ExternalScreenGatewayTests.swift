import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// The full collaborator console of an external technician on the approved list (I2) watches the
/// customer's screen with the lead: the applet's one stream fanned out to their socket too, with
/// their own flow control; the limited console gets none of it, and nobody from outside reaches
/// the mouse and keyboard.
@Suite("External collaborators watch the customer's screen from the full console (I2)")
struct ExternalScreenGatewayTests {
    static func join(_ gw: GatewayHarness, session id: String, admin: String, name: String,
                     email: String?) async throws -> (probe: SocketProbe, id: String, token: String) {
        var body: [String: Any] = ["name": name]
        if let email { body["email"] = email }
        let invitation = try await gw.request(.post, "/api/v1/sessions/\(id)/collaborators", token: admin, json: body).json()
        let link = try #require(invitation["link"] as? String)
        let joined = try await gw.request(.post, "/api/v1/collaborators/join", json: ["link": link]).json()
        let token = try #require(joined["token"] as? String)
        let (probe, _) = try await CollaboratorGatewayTests.collaboratorSocket(gw, token: token)
        return (probe, try #require(invitation["id"] as? String), token)
    }

    static func remote(_ probe: SocketProbe, phase: RemotePhase) async throws {
        _ = try await probe.expect(GatewayToCollaborator.self) { if case .remote(let status) = $0 { status.phase == phase } else { false } }
    }

    @Test("the approved collaborator sees and acknowledges the screen, the lead and the customer see them watching; the limited one is refused; removal stops it")
    func approvedWatches() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["approvedExternalTechnicians": ["partner@example.com"]])
            let console = gw.console(token: admin)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let (id, applet) = try await CollaboratorGatewayTests.activeSession(gw, token: admin)
            let partner = try await Self.join(gw, session: id, admin: admin, name: "Pat", email: "partner@example.com")
            let outsider = try await Self.join(gw, session: id, admin: admin, name: "Sam", email: nil)

            console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .control)))
            _ = try await applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            try await Self.remote(partner.probe, phase: .active)
            let lead = try await SharedScreenGatewayTests.remote(console, id) { $0.phase == .active && ($0.viewers?.count ?? 0) == 2 }
            #expect(lead.viewers?.map(\.name) == ["Administrator", "Pat"])
            #expect(lead.viewers?.last?.mayControl == false, "someone from outside is never offered the mouse")
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .remoteViewers(.init(names: ["Administrator", "Pat"], inControl: "Administrator")) }

            // One frame from the applet reaches the lead and the partner; the partner's drawing paces the applet too.
            applet.send(binary: SharedScreenGatewayTests.frame(1))
            for probe in [console, partner.probe] {
                let bytes = try #require(await probe.nextBinary())
                #expect(try ScreenUpdate.decode(Array(bytes.dropFirst(1 + Int(bytes[0])))).sequence == 1)
            }
            partner.probe.send(CollaboratorToGateway.frameAck(.init(sequence: 1)))
            _ = try await applet.expectAcknowledgement { $0.sequence == 1 }

            // The limited console gets no picture, and its acknowledgement is refused.
            #expect(await outsider.probe.nextBinary(within: 0.5) == nil)
            outsider.probe.send(CollaboratorToGateway.frameAck(.init(sequence: 1)))
            _ = try await outsider.probe.expect(GatewayToCollaborator.self) { if case .error(let e) = $0 { e.code == "not_viewing" } else { false } }

            // A control handed to the partner is refused: they are no technician of the session.
            let given = try await gw.request(.put, "/api/v1/sessions/\(id)/controller", token: admin,
                                             json: ["technicianId": ScreenRelay.external(partner.id)])
            #expect(given.status == .conflict && given.errorCode == "not_viewing")

            // A second tab takes over and gets the whole screen asked of the applet.
            let (again, _) = try await CollaboratorGatewayTests.collaboratorSocket(gw, token: partner.token)
            try await Self.remote(again, phase: .active)
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .screenRefresh }

            // Removed by the lead: no more pictures, the customer and the lead hear it.
            #expect(try await gw.request(.delete, "/api/v1/sessions/\(id)/collaborators/\(partner.id)", token: admin).status == .noContent)
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .remoteViewers(.init(names: ["Administrator"], inControl: "Administrator")) }
            _ = try await SharedScreenGatewayTests.remote(console, id) { $0.viewers?.map(\.name) == ["Administrator"] }
            applet.send(binary: SharedScreenGatewayTests.frame(2))
            #expect(await again.nextBinary(within: 0.5) == nil)
            await applet.close()
        }
    }
}
