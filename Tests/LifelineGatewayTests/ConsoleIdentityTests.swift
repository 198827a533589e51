import Foundation
import LifelineProtocol
@testable import LifelineGateway
import Testing

/// A console socket is authenticated once, at its upgrade; what an administrator changes reaches
/// it at once, without a reconnect and without a store read per message.
@Suite("Console sockets: authenticated once, kept current by push")
struct ConsoleIdentityTests {
    static let permissions = ["start_private_sessions", "connect_by_pin", "chat"]

    @Test("a group's permissions changed while the console is open take effect on its next message, both ways")
    func groupChangeReachesAnOpenConsole() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tom = try await gw.technician(named: "Tom", permissions: Self.permissions, adminToken: admin)
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: admin).array()
            let groupId = try #require(groups.first { $0["name"] as? String == "Tom group" }?["id"] as? String)
            let console = gw.console(token: tom)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            let (id, pin) = try await gw.createSession(token: tom)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: tom).status == .ok)

            let withoutChat = try await gw.request(.put, "/api/v1/admin/groups/\(groupId)", token: admin,
                                                   json: ["name": "Tom group", "permissions": ["start_private_sessions", "connect_by_pin"]])
            #expect(withoutChat.status == .ok)
            console.send(ConsoleToGateway.chat(.init(sessionId: id, text: "not allowed now")))
            _ = try await console.expect(GatewayToConsole.self) {
                if case .error(let failure) = $0 { failure.code == "permission_denied" && failure.sessionId == id } else { false }
            }

            _ = try await gw.request(.put, "/api/v1/admin/groups/\(groupId)", token: admin, json: ["name": "Tom group", "permissions": Self.permissions])
            console.send(ConsoleToGateway.chat(.init(sessionId: id, text: "allowed again")))
            let received = try await applet.expect(GatewayToApplet.self) { if case .chat = $0 { true } else { false } }
            guard case .chat(let entry) = received else { return }
            #expect(entry.text == "allowed again", "the refused line never reached the customer")
            await applet.close()
        }
    }

    @Test("disabling the technician closes the open console at once; a fresh console with the old token is refused")
    func disablingClosesTheConsole() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let tom = try await gw.technician(named: "Tom", permissions: Self.permissions, adminToken: admin)
            let tomId = try await gw.technicianId(named: "Tom", adminToken: admin)
            let console = gw.console(token: tom)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            #expect(try await gw.request(.patch, "/api/v1/admin/technicians/\(tomId)", token: admin, json: ["disabled": true]).status == .ok)
            #expect(await console.closes(within: 3))
            #expect(try await gw.request(.get, "/api/v1/sessions", token: tom).status == .unauthorized)
        }
    }
}
