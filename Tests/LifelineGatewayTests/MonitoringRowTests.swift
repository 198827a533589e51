import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Each row of the appendix's monitoring table (`monitoring_transitions`), driven end to end like
/// `AppendixRowTests`: the administrator's console and API, Una's console and sign-out, real sockets.
struct MonitoringRow: Sendable, CustomStringConvertible {
    enum Step: Sendable {
        /// Admin A picks Una in Monitor technician and confirms (her console closed: it waits).
        case start
        case unaOpensConsole
        case unaClosesConsole
        case unaSignsOut
        case administratorEnds
    }

    let from: TechnicianMonitoring.State
    let to: TechnicianMonitoring.State
    let setup: [Step]
    let step: Step

    var description: String { "\(from.rawValue) → \(to.rawValue) (\(step))" }
}

let monitoringRows: [MonitoringRow] = [
    .init(from: .connecting, to: .waiting, setup: [], step: .start),
    .init(from: .waiting, to: .active, setup: [.start], step: .unaOpensConsole),
    .init(from: .active, to: .closedByCustomer, setup: [.start, .unaOpensConsole], step: .unaClosesConsole),
    .init(from: .active, to: .closedByCustomer, setup: [.start, .unaOpensConsole], step: .unaSignsOut),
    .init(from: .active, to: .closed, setup: [.start, .unaOpensConsole], step: .administratorEnds),
    .init(from: .closedByCustomer, to: .closed, setup: [.start, .unaOpensConsole, .unaClosesConsole], step: .administratorEnds),
]

@Suite("The appendix's monitoring rows, end to end (E1, C7)")
struct MonitoringRowTests {
    /// Plays the steps; returns the state the administrator is told last.
    private actor Player {
        let gw: GatewayHarness
        let admin: String
        let adminConsole: SocketProbe
        let unaId: String
        let unaToken: String
        var unaConsole: SocketProbe?
        var monitoringId: String?

        /// The administrator with a console open, and Una, a technician, signed in with hers closed.
        init(gw: GatewayHarness) async throws {
            self.gw = gw
            admin = try await gw.login()
            unaToken = try await gw.technician(named: "Una", permissions: MonitoringGatewayTests.permissions, adminToken: admin)
            unaId = try #require(try await gw.request(.get, "/api/v1/me", token: unaToken).json()["id"] as? String)
            adminConsole = gw.console(token: admin)
            _ = try await adminConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
        }

        func play(_ step: MonitoringRow.Step) async throws -> TechnicianMonitoring.State {
            switch step {
            case .start:
                let started = try await gw.request(.post, "/api/v1/monitorings", token: admin, json: ["technicianId": unaId])
                #expect(started.status == .created)
                monitoringId = try started.json()["id"] as? String
                let state = try #require(TechnicianMonitoring.State(rawValue: try started.json()["state"] as? String ?? ""))
                return state
            case .unaOpensConsole:
                let console = gw.console(token: unaToken)
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                unaConsole = console
                return try await told { $0 == .active }
            case .unaClosesConsole:
                await unaConsole?.close()
                return try await told { $0 == .closedByCustomer }
            case .unaSignsOut:
                #expect(try await gw.request(.post, "/api/v1/auth/logout", token: unaToken).status == .noContent)
                return try await told { $0 == .closedByCustomer }
            case .administratorEnds:
                let ended = try await gw.request(.delete, "/api/v1/monitorings/\(try #require(monitoringId))", token: admin)
                return try #require(TechnicianMonitoring.State(rawValue: try ended.json()["state"] as? String ?? ""))
            }
        }

        /// The monitoring's state as the administrator's console is told it.
        private func told(_ expected: @escaping @Sendable (TechnicianMonitoring.State) -> Bool) async throws -> TechnicianMonitoring.State {
            let id = try #require(monitoringId)
            return try await MonitoringGatewayTests.monitoring(adminConsole) { $0.id == id && expected($0.state) }.state
        }

        /// What the administrator's list says now.
        func listed() async throws -> TechnicianMonitoring.State? {
            let id = try #require(monitoringId)
            let all = try await gw.request(.get, "/api/v1/monitorings", token: admin).array()
            return all.first { $0["id"] as? String == id }.flatMap { ($0["state"] as? String).flatMap(TechnicianMonitoring.State.init) }
        }
    }

    @Test("the table holds every monitoring row of the manual's appendix, and only those")
    func tableIsTheAppendix() throws {
        let url = try #require(Bundle.module.url(forResource: "session-states", withExtension: "json", subdirectory: "Fixtures"))
        struct Spec: Decodable { struct Row: Decodable { let from: String; let to: String }; let monitoring_transitions: [Row] }
        let spec = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: url)).monitoring_transitions.map { "\($0.from)>\($0.to)" }
        #expect(Set(monitoringRows.map { "\($0.from.rawValue)>\($0.to.rawValue)" }) == Set(spec))
    }

    @Test("every monitoring row of the appendix", arguments: monitoringRows)
    func row(_ row: MonitoringRow) async throws {
        try await GatewayHarness.run { gw in
            let player = try await Player(gw: gw)
            var state = TechnicianMonitoring.State.connecting
            for step in row.setup { state = try await player.play(step) }
            #expect(state == row.from, "set up in \(row.from.rawValue)")
            #expect(try await player.play(row.step) == row.to)
            // Closed leaves the administrator's list; the other states stay in it as they are.
            #expect(try await player.listed() == (row.to == .closed ? nil : row.to))
        }
    }
}
