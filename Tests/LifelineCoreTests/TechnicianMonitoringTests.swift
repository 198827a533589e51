import Foundation
import Testing
@testable import LifelineCore

@Suite("Technician monitoring (E1): who may watch whom, and the appendix's monitoring rows")
struct TechnicianMonitoringTests {
    private func monitoring(after events: [TechnicianMonitoring.Event]) throws -> TechnicianMonitoring {
        var monitoring = TechnicianMonitoring(id: "m1", administratorId: "admin", technicianId: "bea")
        for event in events { try monitoring.apply(event) }
        return monitoring
    }

    /// Every row of `monitoring_transitions` in spec/session-states.json, reached by its event.
    @Test("the appendix's monitoring rows", arguments: [
        ([], TechnicianMonitoring.Event.confirmed, TechnicianMonitoring.State.connecting, TechnicianMonitoring.State.waiting),
        ([.confirmed], .reached, .waiting, .active),
        ([.confirmed, .reached], .technicianLeft, .active, .closedByCustomer),
        ([.confirmed, .reached], .ended, .active, .closed),
        ([.confirmed, .reached, .technicianLeft], .ended, .closedByCustomer, .closed),
    ] as [([TechnicianMonitoring.Event], TechnicianMonitoring.Event, TechnicianMonitoring.State, TechnicianMonitoring.State)])
    func rows(setup: [TechnicianMonitoring.Event], event: TechnicianMonitoring.Event, from: TechnicianMonitoring.State,
              to: TechnicianMonitoring.State) throws {
        var monitoring = try monitoring(after: setup)
        #expect(monitoring.state == from)
        try monitoring.apply(event)
        #expect(monitoring.state == to)
    }

    @Test("the rows match the spec file, and nothing else moves the state")
    func specAndRefusals() throws {
        let url = try #require(Bundle.module.url(forResource: "session-states", withExtension: "json", subdirectory: "Fixtures"))
        struct Spec: Decodable { struct Row: Decodable { let from: String; let to: String }; let monitoring_transitions: [Row] }
        let rows = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: url)).monitoring_transitions.map { "\($0.from)>\($0.to)" }
        #expect(Set(rows) == ["connecting>waiting", "waiting>active", "active>closed_by_customer", "active>closed", "closed_by_customer>closed"])
        #expect(throws: TechnicianMonitoring.Refusal.invalidTransition(from: .connecting, event: .reached)) { try monitoring(after: [.reached]) }
        #expect(throws: TechnicianMonitoring.Refusal.invalidTransition(from: .closed, event: .ended)) { try monitoring(after: [.confirmed, .ended, .ended]) }
        // A technician who leaves before being reached leaves it Waiting; one who comes back after leaving does not reopen it.
        #expect(try monitoring(after: [.confirmed, .technicianLeft]).state == .waiting)
        #expect(throws: TechnicianMonitoring.Refusal.self) { try monitoring(after: [.confirmed, .reached, .technicianLeft, .reached]) }
    }

    @Test("the screen is asked only while active; the technician shares or declines")
    func screen() throws {
        var waiting = try monitoring(after: [.confirmed])
        #expect(throws: TechnicianMonitoring.Refusal.notActive(.waiting)) { try waiting.askScreen() }
        var active = try monitoring(after: [.confirmed, .reached])
        try active.askScreen()
        try active.screenAnswered(shared: true)
        #expect(active.screen == .shared)
        try active.screenAnswered(shared: false)
        #expect(active.screen == .declined)
        try active.apply(.technicianLeft)
        #expect(active.screen == .none)
    }

    @Test("who may watch whom", arguments: [
        (true, [Permission.monitorTechnicians], "bea", true, "g1", nil, false, nil),
        (false, [Permission.monitorTechnicians], "bea", true, "g1", nil, false, TechnicianMonitoring.Refusal.administratorsOnly),
        (true, [], "bea", true, "g1", nil, false, .notPermitted(.monitorTechnicians)),
        (true, [.monitorTechnicians], "bea", false, "g1", nil, false, .outsideScope),
        (true, [.monitorTechnicians], "bea", true, "g2", ["g1"], false, .outsideScope),
        (true, [.monitorTechnicians], "bea", true, nil, ["g1"], false, .outsideScope),
        (true, [.monitorTechnicians], "bea", true, "g1", ["g1"], false, nil),
        (true, [.monitorTechnicians], "admin", true, "g1", nil, false, .yourself),
        (true, [.monitorTechnicians], "bea", true, "g1", nil, true, .alreadyMonitoring),
    ] as [(Bool, [Permission], String, Bool, String?, Set<String>?, Bool, TechnicianMonitoring.Refusal?)])
    func scope(administrator: Bool, permissions: [Permission], technician: String, sameOrganisation: Bool, group: String?,
               managed: Set<String>?, already: Bool, refusal: TechnicianMonitoring.Refusal?) {
        do throws(TechnicianMonitoring.Refusal) {
            try TechnicianMonitoring.check(isAdministrator: administrator, permissions: PermissionSet(permissions), administratorId: "admin",
                                           technicianId: technician, sameOrganisation: sameOrganisation, technicianGroup: group,
                                           managedGroups: managed, alreadyWatching: already)
            #expect(refusal == nil)
        } catch {
            #expect(error == refusal)
        }
    }
}
