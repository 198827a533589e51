import Foundation
import Testing
@testable import LifelineCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Suite("Technician status: Online, Away, Busy, Offline (A6)")
struct TechnicianStatusTests {
    struct Row: Sendable, CustomStringConvertible {
        let consoles: Int
        let away: Bool
        let idleMinutes: Double
        let active: Int
        let expected: TechnicianStatus
        var description: String { "\(consoles) console(s), away \(away), idle \(idleMinutes) min, \(active) active → \(expected)" }
    }

    @Test("the status follows the manual's rules", arguments: [
        Row(consoles: 0, away: false, idleMinutes: 0, active: 0, expected: .offline),
        Row(consoles: 0, away: true, idleMinutes: 0, active: 10, expected: .offline),
        Row(consoles: 1, away: false, idleMinutes: 0, active: 0, expected: .online),
        Row(consoles: 2, away: true, idleMinutes: 0, active: 0, expected: .away),
        Row(consoles: 1, away: false, idleMinutes: 14.9, active: 3, expected: .online),
        Row(consoles: 1, away: false, idleMinutes: 15, active: 3, expected: .away),
        Row(consoles: 1, away: false, idleMinutes: 0, active: 10, expected: .busy),
        Row(consoles: 1, away: true, idleMinutes: 60, active: 10, expected: .busy),
    ])
    func rules(_ row: Row) {
        let presence = TechnicianPresence(openConsoles: row.consoles, manuallyAway: row.away, lastActivityAt: t0,
                                          activeSessions: row.active)
        #expect(presence.status(at: t0.addingTimeInterval(row.idleMinutes * 60), settings: .standard) == row.expected)
    }

    @Test("an administrator can switch the automatic rules off or tighten them")
    func settings() {
        let presence = TechnicianPresence(openConsoles: 1, lastActivityAt: t0, activeSessions: 3)
        let never = TechnicianPresence.Settings(autoAwayAfter: nil, busyThreshold: nil)
        #expect(presence.status(at: t0.addingTimeInterval(86_400), settings: never) == .online)
        let strict = TechnicianPresence.Settings(autoAwayAfter: 60, busyThreshold: 3)
        #expect(presence.status(at: t0, settings: strict) == .busy)
    }

    @Test("only online technicians accept transfers")
    func transfers() {
        #expect(TechnicianStatus.allCases.filter(\.acceptsTransfers) == [.online])
    }

    struct JoinRow: Sendable, CustomStringConvertible {
        let here: TechnicianPresence
        let others: [TechnicianPresence.Part]
        let expected: TechnicianStatus
        let why: String
        var description: String { why }
    }

    static func part(consoles: Int, away: Bool = false, awayAt: Double? = nil, activeAt: Double = 0) -> TechnicianPresence.Part {
        .init(nodeId: "n", organisationId: "o", openConsoles: consoles, manuallyAway: away,
              awayChangedAt: awayAt.map { t0.addingTimeInterval($0) }, lastActivityAt: t0.addingTimeInterval(activeAt))
    }

    @Test("on several gateway nodes the parts make one status", arguments: [
        JoinRow(here: .init(lastActivityAt: t0), others: [part(consoles: 1, activeAt: 15 * 60)], expected: .online, why: "a console on another node only"),
        JoinRow(here: .init(lastActivityAt: t0), others: [part(consoles: 0), part(consoles: 0)], expected: .offline, why: "no console anywhere"),
        JoinRow(here: .init(openConsoles: 1, lastActivityAt: t0), others: [part(consoles: 1, away: true, awayAt: 10)], expected: .away,
                why: "Away chosen on another node"),
        JoinRow(here: .init(openConsoles: 1, manuallyAway: true, awayChangedAt: t0.addingTimeInterval(5), lastActivityAt: t0),
                others: [part(consoles: 1, away: false, awayAt: 20, activeAt: 15 * 60)], expected: .online, why: "back, chosen later on another node"),
        JoinRow(here: .init(openConsoles: 1, manuallyAway: true, awayChangedAt: t0.addingTimeInterval(30), lastActivityAt: t0),
                others: [part(consoles: 1, away: false, awayAt: 20)], expected: .away, why: "Away chosen here after"),
        JoinRow(here: .init(openConsoles: 1, lastActivityAt: t0), others: [part(consoles: 1)], expected: .away, why: "idle on every node"),
        JoinRow(here: .init(openConsoles: 1, lastActivityAt: t0), others: [part(consoles: 1, activeAt: 15 * 60)], expected: .online,
                why: "idle here, active on another node"),
        JoinRow(here: .init(openConsoles: 1, lastActivityAt: t0, activeSessions: 10), others: [part(consoles: 1)], expected: .busy,
                why: "ten active, counted across nodes by the caller"),
    ])
    func joined(_ row: JoinRow) {
        #expect(row.here.joined(with: row.others).status(at: t0.addingTimeInterval(16 * 60), settings: .standard) == row.expected)
    }
}
