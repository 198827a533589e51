import Foundation
import Testing
import LifelineCore
import LifelineProtocol
import LifelineStore
import LifelineTestSupport
@testable import LifelineGateway

/// Technicians' presence on two gateway nodes (issue 20): colleagues on every node see one status,
/// whichever node a technician's console is on, and a transfer finds them there.
@Suite("Two gateway nodes on one database: a technician's status is the same on every node",
       .enabled(if: TestDatabase.postgresServer != nil))
struct ClusterPresenceTests {
    static func told(_ console: SocketProbe, _ name: String, _ status: TechnicianStatus) async throws {
        _ = try await console.expect(GatewayToConsole.self) {
            if case .technicianStatus(let view) = $0 { view.name == name && view.status == status } else { false }
        }
    }

    /// The administrator's console on A, told that Una, whose console is on B, is Online.
    static func unaOnB(_ a: GatewayHarness, _ b: GatewayHarness) async throws
        -> (admin: String, una: String, adminConsole: SocketProbe, unaConsole: SocketProbe) {
        let admin = try await a.login()
        let una = try await a.technician(named: "Una", permissions: ["chat"], adminToken: admin)
        // Each node knows the other is alive (the harness's hearts beat by hand).
        await a.parts.node.tick()
        await b.parts.node.tick()
        await a.parts.node.tick()
        let adminConsole = a.console(token: admin)
        _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        let unaConsole = b.console(token: una)
        try await told(adminConsole, "Una", .online)
        return (admin, una, adminConsole, unaConsole)
    }

    @Test("a console on B makes its technician Online on A; Away chosen on B shows on A; a transfer on A reaches them; gone from B, Offline on A")
    func onEveryNode() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let (admin, una, adminConsole, unaConsole) = try await Self.unaOnB(a, b)
            let unaId = try await a.technicianId(named: "Una", adminToken: admin)
            #expect(try await TechnicianStatusGatewayTests().status(of: "Una", in: a, token: admin) == "online")
            _ = try await b.request(.put, "/api/v1/me/status", token: una, json: ["away": true])
            try await Self.told(adminConsole, "Una", .away)
            _ = try await b.request(.put, "/api/v1/me/status", token: una, json: ["away": false])
            try await Self.told(adminConsole, "Una", .online)

            // A session A serves, transferred on A to Una, whose console is on B.
            let (id, pin) = try await a.createSession(token: admin, name: "For Una")
            let (applet, _) = try await a.connectApplet(pin: pin)
            #expect(try await a.request(.post, "/api/v1/sessions/\(id)/start", token: admin).status == .ok)
            let transfer = try await a.request(.post, "/api/v1/sessions/\(id)/transfer", token: admin, json: ["to": unaId, "comment": "yours"])
            #expect(transfer.status == .ok, "Una is online on B: \(String(decoding: transfer.body, as: UTF8.self))")
            _ = try await unaConsole.expect(GatewayToConsole.self) {
                if case .session(let summary) = $0 { summary.id == id && summary.transfer?.toTechnicianId == unaId } else { false }
            }

            await unaConsole.close()
            try await Self.told(adminConsole, "Una", .offline)
            await applet.close()
            await adminConsole.close()
        }
    }

    @Test("a node no longer heard from counts for nothing: its technician goes Offline on the other")
    func silentNode() async throws {
        try await ClusterFeedTests.twoNodes { a, b in
            let (_, _, adminConsole, unaConsole) = try await Self.unaOnB(a, b)
            // B falls silent in A's eyes.
            let store = try #require(a.parts.store as? SQLStore)
            try await store.removeNode(id: b.parts.node.id)
            await a.parts.node.tick()
            try await Self.told(adminConsole, "Una", .offline)
            await unaConsole.close()
            await adminConsole.close()
        }
    }
}

@Suite("A node's part of a technician's presence: shared when it says something")
struct PresenceBoardSharingTests {
    @Test("a console shares a part; activity alone once a minute; a session's count for a technician with no console here shares nothing and is no activity")
    func sharing() {
        let board = PresenceBoard()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        board.setOrganisation("org", of: "una")
        board.setOrganisation("org", of: "ben")
        let opened = board.update("una", activeSessions: 0, at: t0, settings: .standard, node: "n1") {
            $0.openConsoles += 1
            $0.lastActivityAt = t0
        }
        #expect(opened.status == .online && opened.share?.part.openConsoles == 1)
        let soon = board.update("una", activeSessions: 0, at: t0.addingTimeInterval(30), settings: .standard, node: "n1") {
            $0.lastActivityAt = t0.addingTimeInterval(30)
        }
        #expect(soon.share == nil, "activity alone, within the minute")
        let later = board.update("una", activeSessions: 0, at: t0.addingTimeInterval(61), settings: .standard, node: "n1") {
            $0.lastActivityAt = t0.addingTimeInterval(61)
        }
        #expect(later.share.map { $0.version > opened.share!.version } == true)
        // Ben has no console here; one of his sessions changed.
        let counted = board.update("ben", activeSessions: 3, at: t0, settings: .standard, node: "n1") { _ in }
        #expect(counted.share == nil)
        let other = TechnicianPresence.Part(nodeId: "n2", organisationId: "org", openConsoles: 1, manuallyAway: false, awayChangedAt: nil,
                                            lastActivityAt: t0)
        _ = board.setOthers([("ben", other)], of: ["ben"], at: t0, settings: .standard)
        #expect(board.status(of: "ben", at: t0.addingTimeInterval(15 * 60), settings: .standard) == .away,
                "idle on the node his console is on: the count here is no activity")
    }
}
