import Foundation
import HTTPTypes
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Each row of the manual's appendix that the gateway can reach today, driven end to end:
/// real sockets, the applet socket, the HTTP API, the clock moved by hand. The monitoring rows
/// have their own table (`MonitoringRowTests`).
struct AppendixRow: Sendable, CustomStringConvertible {
    enum Who: Sendable {
        case admin, bea
        /// Bea, as her console is told: a colleague's view that ends with the session is published
        /// in its last state (Closed by customer), then leaves her queue at once.
        case beasConsole
    }

    enum Step: Sendable {
        case connect
        case start(Who)
        case hold
        case end(Who)
        case transfer
        case transferBack
        case drop
        case back
        case quit
        case chat
        case wait(TimeInterval)
        /// The technician restarts the customer's computer; the applet says it restarts (M1).
        case reboot
        /// The customer restarts the computer: the applet heard logind announce it (C7).
        case customerRestart
        /// The computer is back: the applet started after the boot presents its ticket.
        case rebootBack
        /// The lead invites Bea (Online) to collaborate with all her group's permissions (I1).
        case invite
        /// The lead removes Bea, or withdraws her invitation (I3).
        case removeColleague
        /// The lead offers Bea the lead and she accepts (I3, I4).
        case handOver
        /// Bea holds the session for herself (I4).
        case colleagueHold
        /// Bea, collaborating, restarts the customer's computer (M1 as a colleague).
        case colleagueReboot
        /// Bea's console stays unused past the idle timeout while the lead keeps working.
        case colleagueIdle
    }

    let from: SessionState
    let to: SessionState
    let seenBy: Who
    let setup: [Step]
    let step: Step
    var timers: SessionTimers = .standard

    var description: String { "\(from.rawValue) → \(to.rawValue)" }
}

private let minute: TimeInterval = 60
private let day: TimeInterval = 86_400
private let shortIdle = SessionTimers(idle: 2 * minute)

let reachableRows: [AppendixRow] = [
    .init(from: .connecting, to: .waiting, seenBy: .admin, setup: [], step: .connect),
    .init(from: .connecting, to: .closed, seenBy: .admin, setup: [], step: .wait(20 * minute)),
    .init(from: .waiting, to: .active, seenBy: .admin, setup: [.connect], step: .start(.admin)),
    .init(from: .waiting, to: .outgoing, seenBy: .admin, setup: [.connect], step: .transfer),
    .init(from: .waiting, to: .closed, seenBy: .admin, setup: [.connect], step: .end(.admin)),
    .init(from: .waiting, to: .reconnecting, seenBy: .admin, setup: [.connect], step: .drop),
    .init(from: .waiting, to: .closedByCustomerWaiting, seenBy: .admin, setup: [.connect], step: .quit),
    .init(from: .waiting, to: .timedOut, seenBy: .admin, setup: [.connect], step: .wait(14 * day)),
    .init(from: .active, to: .closedByCustomer, seenBy: .admin, setup: [.connect, .start(.admin)], step: .quit),
    .init(from: .active, to: .timedOut, seenBy: .admin, setup: [.connect, .start(.admin)], step: .wait(3 * minute), timers: shortIdle),
    .init(from: .active, to: .closed, seenBy: .admin, setup: [.connect, .start(.admin)], step: .end(.admin)),
    .init(from: .active, to: .reconnecting, seenBy: .admin, setup: [.connect, .start(.admin)], step: .drop),
    .init(from: .active, to: .onHold, seenBy: .admin, setup: [.connect, .start(.admin)], step: .hold),
    .init(from: .active, to: .outgoing, seenBy: .admin, setup: [.connect, .start(.admin)], step: .transfer),
    .init(from: .onHold, to: .active, seenBy: .admin, setup: [.connect, .start(.admin), .hold], step: .start(.admin)),
    .init(from: .onHold, to: .outgoing, seenBy: .admin, setup: [.connect, .start(.admin), .hold], step: .transfer),
    .init(from: .onHold, to: .closedByCustomer, seenBy: .admin, setup: [.connect, .start(.admin), .hold], step: .quit),
    .init(from: .onHold, to: .reconnecting, seenBy: .admin, setup: [.connect, .start(.admin), .hold], step: .drop),
    .init(from: .onHold, to: .timedOut, seenBy: .admin, setup: [.connect, .start(.admin), .hold], step: .wait(14 * day)),
    .init(from: .reconnecting, to: .active, seenBy: .admin, setup: [.connect, .start(.admin), .drop], step: .back),
    .init(from: .reconnecting, to: .onHold, seenBy: .admin, setup: [.connect, .start(.admin), .hold, .drop], step: .back),
    .init(from: .reconnecting, to: .timedOut, seenBy: .admin, setup: [.connect, .start(.admin), .drop], step: .wait(3 * minute), timers: shortIdle),
    .init(from: .reconnecting, to: .closed, seenBy: .admin, setup: [.connect, .start(.admin), .drop], step: .end(.admin)),
    .init(from: .reconnecting, to: .waiting, seenBy: .admin, setup: [.connect, .drop], step: .back),
    .init(from: .reconnecting, to: .incoming, seenBy: .bea, setup: [.connect, .start(.admin), .transfer, .drop], step: .back),
    .init(from: .reconnecting, to: .offline, seenBy: .admin, setup: [.connect, .start(.admin), .drop], step: .wait(6 * minute)),
    .init(from: .offline, to: .active, seenBy: .admin, setup: [.connect, .start(.admin), .drop, .wait(6 * minute)], step: .back),
    .init(from: .offline, to: .timedOut, seenBy: .admin, setup: [.connect, .start(.admin), .drop, .wait(6 * minute)], step: .wait(14 * day)),
    .init(from: .offline, to: .closed, seenBy: .admin, setup: [.connect, .start(.admin), .drop, .wait(6 * minute)], step: .end(.admin)),
    .init(from: .offline, to: .onHold, seenBy: .admin, setup: [.connect, .start(.admin), .hold, .drop, .wait(6 * minute)], step: .back),
    .init(from: .offline, to: .waiting, seenBy: .admin, setup: [.connect, .drop, .wait(6 * minute)], step: .back),
    .init(from: .incoming, to: .outgoing, seenBy: .bea, setup: [.connect, .start(.admin), .transfer], step: .transferBack),
    .init(from: .incoming, to: .reconnecting, seenBy: .bea, setup: [.connect, .start(.admin), .transfer], step: .drop),
    .init(from: .incoming, to: .closed, seenBy: .bea, setup: [.connect, .start(.admin), .transfer], step: .quit),
    .init(from: .incoming, to: .active, seenBy: .bea, setup: [.connect, .start(.admin), .transfer], step: .start(.bea)),
    .init(from: .outgoing, to: .active, seenBy: .admin, setup: [.connect, .start(.admin), .transfer], step: .start(.admin)),
    .init(from: .outgoing, to: .incoming, seenBy: .admin, setup: [.connect, .start(.admin), .transfer], step: .transferBack),
    .init(from: .outgoing, to: .closedByCustomer, seenBy: .admin, setup: [.connect, .start(.admin), .transfer], step: .quit),
    .init(from: .outgoing, to: .closed, seenBy: .admin, setup: [.connect, .start(.admin), .transfer], step: .start(.bea)),
    .init(from: .outgoing, to: .reconnecting, seenBy: .admin, setup: [.connect, .start(.admin), .transfer], step: .drop),
    .init(from: .waiting, to: .rebooting, seenBy: .admin, setup: [.connect], step: .reboot),
    .init(from: .active, to: .rebooting, seenBy: .admin, setup: [.connect, .start(.admin)], step: .reboot),
    .init(from: .rebooting, to: .active, seenBy: .admin, setup: [.connect, .start(.admin), .reboot], step: .rebootBack),
    .init(from: .rebooting, to: .waiting, seenBy: .admin, setup: [.connect, .reboot], step: .rebootBack),
    .init(from: .outgoing, to: .rebooting, seenBy: .admin, setup: [.connect, .start(.admin), .transfer], step: .reboot),
    .init(from: .incoming, to: .rebooting, seenBy: .bea, setup: [.connect, .start(.admin), .transfer], step: .reboot),
    .init(from: .rebooting, to: .outgoing, seenBy: .admin, setup: [.connect, .start(.admin), .transfer, .reboot], step: .rebootBack),
    .init(from: .rebooting, to: .incoming, seenBy: .bea, setup: [.connect, .start(.admin), .transfer, .reboot], step: .rebootBack),
    .init(from: .onHold, to: .rebooting, seenBy: .admin, setup: [.connect, .start(.admin), .hold], step: .customerRestart),
    .init(from: .rebooting, to: .onHold, seenBy: .admin, setup: [.connect, .start(.admin), .hold, .customerRestart], step: .rebootBack),
    // Colleagues (I1, I3, I4): Bea's view of the administrator's session, and the lead's after a hand-over.
    .init(from: .invitation, to: .collaboration, seenBy: .bea, setup: [.connect, .start(.admin), .invite], step: .start(.bea)),
    .init(from: .invitation, to: .closed, seenBy: .bea, setup: [.connect, .start(.admin), .invite], step: .removeColleague),
    .init(from: .collaboration, to: .onHold, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea)], step: .colleagueHold),
    .init(from: .onHold, to: .collaboration, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea), .colleagueHold],
          step: .start(.bea)),
    .init(from: .collaboration, to: .closed, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea)], step: .removeColleague),
    .init(from: .collaboration, to: .closedByCustomer, seenBy: .beasConsole, setup: [.connect, .start(.admin), .invite, .start(.bea)],
          step: .quit),
    .init(from: .collaboration, to: .active, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea)], step: .handOver),
    .init(from: .active, to: .collaboration, seenBy: .admin, setup: [.connect, .start(.admin), .invite, .start(.bea)], step: .handOver),
    .init(from: .collaboration, to: .rebooting, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea)], step: .colleagueReboot),
    .init(from: .rebooting, to: .collaboration, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea), .colleagueReboot],
          step: .rebootBack),
    .init(from: .collaboration, to: .closed, seenBy: .bea, setup: [.connect, .start(.admin), .invite, .start(.bea)], step: .colleagueIdle,
          timers: shortIdle),
    .init(from: .closedByCustomer, to: .closed, seenBy: .admin, setup: [.connect, .start(.admin), .quit], step: .end(.admin)),
    .init(from: .timedOut, to: .timedOut, seenBy: .admin, setup: [.connect, .wait(14 * day)], step: .wait(day)),
    .init(from: .timedOut, to: .closed, seenBy: .admin, setup: [.connect, .wait(14 * day)], step: .end(.admin)),
]

/// Plays a row's steps against a live gateway.
private actor RowPlayer {
    let gw: GatewayHarness
    var admin: String
    var bea: String
    let beaId: String
    let sessionId: String
    let pin: String
    var applet: SocketProbe?
    var appletToken: String?
    var beaConsole: SocketProbe?
    var adminConsole: SocketProbe?
    var resumeTicket: String?

    init(gw: GatewayHarness) async throws {
        self.gw = gw
        admin = try await gw.login()
        bea = try await gw.technician(
            named: "Bea", permissions: ["start_private_sessions", "connect_by_pin", "chat", "hold_sessions", "transfer_sessions", "reboot"],
            adminToken: admin)
        beaId = try await gw.request(.get, "/api/v1/me", token: bea).json()["id"] as! String
        (sessionId, pin) = try await gw.createSession(token: admin)
    }

    func token(_ who: AppendixRow.Who) -> String { who == .admin ? admin : bea }

    /// Bea's console is told her view of the session is now `state`.
    func expectPublished(_ state: SessionState) async throws {
        guard let beaConsole else { throw HarnessError("Bea has no console") }
        let id = sessionId
        _ = try await beaConsole.expect(GatewayToConsole.self) { if case .session(let s) = $0 { s.id == id && s.state == state } else { false } }
    }

    func play(_ step: AppendixRow.Step) async throws {
        switch step {
        case .connect:
            let (probe, token) = try await gw.connectApplet(pin: pin)
            applet = probe
            appletToken = token
        case .start(let who): try await expectOK(.post, "/api/v1/sessions/\(sessionId)/start", token(who))
        case .hold: try await expectOK(.post, "/api/v1/sessions/\(sessionId)/hold", admin)
        case .end(let who): try await expectOK(.post, "/api/v1/sessions/\(sessionId)/end", token(who))
        case .chat:
            _ = try await gw.request(.post, "/api/v1/sessions/\(sessionId)/messages", token: admin, json: ["text": "hello"])
        case .transfer:
            let console = gw.console(token: bea)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            beaConsole = console
            try await expectOK(.post, "/api/v1/sessions/\(sessionId)/transfer", admin, json: ["to": beaId, "comment": "over to you"])
        case .transferBack:
            let adminId = try await gw.request(.get, "/api/v1/me", token: admin).json()["id"] as! String
            let console = gw.console(token: admin)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            adminConsole = console
            try await expectOK(.post, "/api/v1/sessions/\(sessionId)/transfer", bea, json: ["to": adminId, "comment": "back"])
        case .drop:
            await applet?.close()
            try await waitUntil { try await self.gw.state(of: self.sessionId, token: self.admin) == "reconnecting" }
        case .back:
            applet = try await gw.helloApplet(token: appletToken!)
        case .quit:
            applet?.send(AppletToGateway.quit)
            _ = try await applet?.expect(GatewayToApplet.self) { if case .ended = $0 { true } else { false } }
        case .reboot:
            if adminConsole == nil {
                let console = gw.console(token: admin)
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                adminConsole = console
            }
            try await restart(from: adminConsole)
        case .colleagueIdle:
            // The lead chats after 90 s, so only Bea's two and a half minutes pass the two-minute timeout.
            gw.clock.advance(by: 90)
            _ = try await gw.request(.post, "/api/v1/sessions/\(sessionId)/messages", token: admin, json: ["text": "still here"])
            gw.clock.advance(by: 60)
            await gw.hub.runTimers()
            #expect(try await gw.state(of: sessionId, token: admin) == "active", "the session goes on")
        case .colleagueReboot:
            try await restart(from: beaConsole)
            _ = try await beaConsole?.expect(GatewayToConsole.self) {
                if case .rebootResult(let result) = $0 { result.outcome == .restarting } else { false }
            }
        case .customerRestart:
            applet?.send(AppletToGateway.customerRestart(.init(phase: .starting)))
            let answer = try await applet?.expect(GatewayToApplet.self) { if case .resumeTicket = $0 { true } else { false } }
            guard case .resumeTicket(let given)? = answer, let ticket = given.ticket else { throw HarnessError("no resume ticket") }
            resumeTicket = ticket
        case .rebootBack:
            await applet?.close()
            let reply = try await gw.request(.post, "/api/v1/customer/resume", json: ["ticket": resumeTicket ?? ""])
            guard let token = try reply.json()["appletToken"] as? String else { throw HarnessError("resume: \(reply.status)") }
            appletToken = token
            applet = try await gw.helloApplet(token: token)
        case .invite:
            if beaConsole == nil {
                let console = gw.console(token: bea)
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                beaConsole = console
            }
            let reply = try await gw.request(.post, "/api/v1/sessions/\(sessionId)/colleagues", token: admin, json: ["technicianId": beaId])
            guard reply.status == .created else { throw HarnessError("invite: \(reply.status) \(reply.errorCode ?? "")") }
        case .removeColleague: try await expectOK(.delete, "/api/v1/sessions/\(sessionId)/colleagues/\(beaId)", admin)
        case .handOver:
            try await expectOK(.post, "/api/v1/sessions/\(sessionId)/lead-offer", admin, json: ["technicianId": beaId])
            try await expectOK(.post, "/api/v1/sessions/\(sessionId)/lead", bea)
        case .colleagueHold: try await expectOK(.post, "/api/v1/sessions/\(sessionId)/hold", bea)
        case .wait(let seconds):
            gw.clock.advance(by: seconds)
            await gw.hub.runTimers()
            // Logins expire too (12 hours): sign in again, as the technicians would.
            admin = try await gw.login()
            bea = try await gw.login("bea@lifeline.test", "long enough password")
        }
    }

    /// A normal restart asked from `console`, which the applet carries out.
    private func restart(from console: SocketProbe?) async throws {
        guard let console else { throw HarnessError("no console to restart from") }
        console.send(ConsoleToGateway.rebootRequest(.init(sessionId: sessionId, kind: .normal)))
        let order = try await applet?.expect(GatewayToApplet.self) { if case .reboot = $0 { true } else { false } }
        guard case .reboot(let reboot)? = order else { throw HarnessError("no reboot order") }
        resumeTicket = reboot.ticket
        applet?.send(AppletToGateway.rebootResult(.init(sessionId: nil, kind: .normal, outcome: .restarting)))
    }

    /// The state as `who` sees it; "closed" once it has left their queue.
    func state(seenBy who: AppendixRow.Who) async throws -> String {
        let reply = try await gw.request(.get, "/api/v1/sessions/\(sessionId)", token: token(who))
        if reply.status == .notFound { return SessionState.closed.rawValue }
        return try reply.json()["state"] as? String ?? "?"
    }

    func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("condition not met in 2 s")
    }

    private func expectOK(_ method: HTTPRequestMethod, _ path: String, _ token: String, json: [String: String]? = nil) async throws {
        let reply = try await gw.request(method, path, token: token, json: json)
        guard reply.status == .ok else { throw HarnessError("\(path): \(reply.status) \(reply.errorCode ?? "")") }
    }

    func close() async {
        await applet?.close()
        await beaConsole?.close()
        await adminConsole?.close()
    }
}

typealias HTTPRequestMethod = HTTPTypes.HTTPRequest.Method

@Suite("Appendix rows driven through the gateway")
struct AppendixRowTests {
    @Test("every row listed here is a row of the manual's appendix")
    func rowsAreFromTheAppendix() throws {
        let url = try #require(Bundle.module.url(forResource: "session-states", withExtension: "json", subdirectory: "Fixtures"))
        struct Spec: Decodable { struct Row: Decodable { let from: String; let to: String }; let transitions: [Row]; let allowed: [[String]] }
        let spec = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: url))
        let allowed = Set(spec.allowed.map { "\($0[0]) → \($0[1])" })
        for row in reachableRows { #expect(allowed.contains(row.description), "\(row) is not in the manual") }
    }

    @Test("the row happens end to end", arguments: reachableRows)
    func row(_ row: AppendixRow) async throws {
        try await GatewayHarness.run(timers: row.timers) { gw in
            let player = try await RowPlayer(gw: gw)
            for step in row.setup { try await player.play(step) }
            try await player.waitUntil { try await player.state(seenBy: row.seenBy) == row.from.rawValue }
            try await player.play(row.step)
            if row.seenBy == .beasConsole {
                try await player.expectPublished(row.to)
            } else {
                try await player.waitUntil { try await player.state(seenBy: row.seenBy) == row.to.rawValue }
            }
            await player.close()
        }
    }
}
