import Foundation
import LifelineCore
@testable import LifelineGateway
import LifelineStore
import Testing

/// The hub's lookups by PIN, link, applet token and technician come from indexes that every
/// write through the subscript keeps in step (a stale index would let a used PIN work twice).
@Suite("Live sessions: indexed lookups stay in step with the records")
struct LiveSessionsTests {
    static func record(_ id: String, technician: String? = "tom", pin: String? = nil, link: String? = nil,
                       applet: String? = nil, otherViews: [String] = []) -> SessionRecord {
        let machine = SessionMachine(createdAt: Date(timeIntervalSince1970: 0))
        return SessionRecord(id: id, organisationId: "org", technicianId: technician, name: "Carla", method: .pin,
                             pin: pin, linkTokenHash: link, appletTokenHash: applet, machine: machine, customer: nil,
                             closedAt: nil, otherViews: Dictionary(uniqueKeysWithValues: otherViews.map { ($0, machine) }))
    }

    @Test("a PIN, a link and an applet token find their session until they are cleared")
    func secretsFindTheirSession() {
        var live = LiveSessions()
        live["1"] = Self.record("1", pin: "123456", link: "L1")
        live["2"] = Self.record("2", pin: "654321")
        #expect(live.withPin("123456")?.id == "1")
        #expect(live.withLinkHash("L1")?.id == "1")
        #expect(live.withPin("654321")?.id == "2")
        live["1"]?.pin = nil
        live["1"]?.linkTokenHash = nil
        live["1"]?.appletTokenHash = "A1"
        #expect(live.withPin("123456") == nil)
        #expect(live.withLinkHash("L1") == nil)
        #expect(live.withAppletTokenHash("A1")?.id == "1")
        live["1"] = nil
        #expect(live.withAppletTokenHash("A1") == nil)
        #expect(live.count == 1)
    }

    @Test("a technician's sessions: owned and other views, following transfers and removal")
    func technicianIndexFollowsOwnership() {
        var live = LiveSessions()
        live["1"] = Self.record("1", technician: "tom")
        live["2"] = Self.record("2", technician: "ann", otherViews: ["tom"])
        live["3"] = Self.record("3", technician: nil)
        #expect(Set(live.involving("tom").map(\.id)) == ["1", "2"])
        #expect(live.involving("ann").map(\.id) == ["2"])
        live["1"]?.technicianId = "ann"
        live["2"]?.otherViews = [:]
        #expect(live.involving("tom").isEmpty)
        #expect(Set(live.involving("ann").map(\.id)) == ["1", "2"])
        live["2"] = nil
        #expect(live.involving("ann").map(\.id) == ["1"])
    }

    @Test("the sessions taking a technician's active slots follow their own view's state")
    func activeSlotsFollowTheViews() throws {
        var live = LiveSessions()
        live["1"] = Self.record("1", technician: "tom")
        live["2"] = Self.record("2", technician: "ann", otherViews: ["tom"])
        #expect(live.active(for: "tom").isEmpty)
        let active = SessionMachine(restoring: .active, role: .lead, resumeState: nil, createdAt: .distantPast,
                                    stateEnteredAt: .distantPast, heldSince: nil, lastActivityAt: .distantPast)
        let waiting = try #require(live["2"]?.machine)
        live["1"]?.machine = active
        #expect(live.active(for: "tom").map(\.id) == ["1"])
        #expect(live.active(for: "ann").isEmpty)
        live["2"]?.otherViews["tom"] = active
        #expect(Set(live.active(for: "tom").map(\.id)) == ["1", "2"])
        live["1"]?.machine = waiting
        #expect(live.active(for: "tom").map(\.id) == ["2"])
        live["2"] = nil
        #expect(live.active(for: "tom").isEmpty)
    }

    @Test("clearing one session's PIN never unhooks another session that holds the same value")
    func staleValuesDoNotUnhookOthers() {
        var live = LiveSessions()
        live["1"] = Self.record("1", pin: "111111")
        live["2"] = Self.record("2", pin: "111111")
        live["1"] = nil
        #expect(live.withPin("111111")?.id == "2")
    }

    @Test("an applet socket is found from its session and its session from the socket")
    func appletOutletsBothWays() {
        var applets = AppletOutlets()
        let (first, _) = Outlet.make()
        let (second, _) = Outlet.make()
        applets["1"] = first
        #expect(applets.sessionId(ofOutlet: first.id) == "1")
        applets["1"] = second
        #expect(applets.sessionId(ofOutlet: first.id) == nil)
        #expect(applets["1"]?.id == second.id)
        #expect(applets.removeValue(forKey: "1")?.id == second.id)
        #expect(applets.sessionId(ofOutlet: second.id) == nil)
    }
}
