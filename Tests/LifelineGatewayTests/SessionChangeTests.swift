import Foundation
import LifelineCore
@testable import LifelineGateway
import LifelineStore
import Testing

/// A change to a live session, worked out without I/O: which record is stored and what follows,
/// in order. The gateway suites prove the interpreter runs these effects against real sockets.
@Suite("Session changes: the record and its effects, by table")
struct SessionChangeTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)
    static let now = t0.addingTimeInterval(60)

    static func machine(_ state: SessionState) -> SessionMachine {
        SessionMachine(restoring: state, role: .lead, resumeState: state == .onHold ? .active : nil, createdAt: t0,
                       stateEnteredAt: t0, heldSince: state == .onHold ? t0 : nil, lastActivityAt: t0)
    }

    static func record(_ state: SessionState, views: [String: SessionState] = [:]) -> SessionRecord {
        SessionRecord(id: "100000001", organisationId: "org", technicianId: "tom", name: "Carla", method: .pin,
                      pin: state == .connecting ? "123456" : nil, linkTokenHash: nil, appletTokenHash: "A",
                      machine: machine(state), customer: nil, closedAt: nil, otherViews: views.mapValues(machine))
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let from: SessionState
        let event: SessionEvent
        let to: SessionState
        let effects: [SessionEffect]
        var testDescription: String { "\(from.rawValue) + \(event) → \(to.rawValue)" }
    }

    static let rows: [Row] = {
        let before = record(.waiting)
        let active = record(.active)
        return [
            Row(from: .waiting, event: .start, to: .active, effects: [
                .persist, .logTransition(from: .waiting, to: .active), .publishToViewers, .tellQueueLeavers(before: before),
                .refreshPresence(of: ["tom"]), .logStatus(.active), .followCollaborators(.start)]),
            Row(from: .active, event: .hold, to: .onHold, effects: [
                .persist, .logTransition(from: .active, to: .onHold), .stopRemoteDesktop(reason: StatusText.entering(.onHold), state: .onHold),
                .publishToViewers, .tellQueueLeavers(before: active), .refreshPresence(of: ["tom"]), .logStatus(.onHold),
                .followCollaborators(.hold)]),
            Row(from: .active, event: .end, to: .closed, effects: [
                .persist, .logTransition(from: .active, to: .closed), .stopRemoteDesktop(reason: StatusText.entering(.closed), state: .closed),
                .publishToViewers, .tellQueueLeavers(before: active), .refreshPresence(of: ["tom"]), .logStatus(.closed),
                .sendSurvey, .endApplet(reason: StatusText.entering(.closed)), .followCollaborators(.end)]),
            Row(from: .waiting, event: .customerClosed(stillWaitingForTechnician: true), to: .closedByCustomerWaiting, effects: [
                .persist, .logTransition(from: .waiting, to: .closedByCustomerWaiting),
                .stopRemoteDesktop(reason: StatusText.entering(.closedByCustomerWaiting), state: .closedByCustomerWaiting), .publishToViewers,
                .tellQueueLeavers(before: before), .refreshPresence(of: ["tom"]), .logStatus(.closedByCustomerWaiting),
                .endApplet(reason: StatusText.entering(.closedByCustomerWaiting)),
                .followCollaborators(.customerClosed(stillWaitingForTechnician: true))]),
        ]
    }()

    @Test("each event's stored state and effects, in order", arguments: rows)
    func effectsInOrder(_ row: Row) throws {
        let current = Self.record(row.from)
        let change = try SessionChange.applying(row.event, to: current, before: current, at: Self.now, timers: .standard)
        #expect(change.record.machine.state == row.to)
        #expect(change.effects == row.effects)
    }

    @Test("a closing session's secrets die with it and it leaves the queue at that moment")
    func closingClearsSecrets() throws {
        let change = try SessionChange.applying(.end, to: Self.record(.active), before: nil, at: Self.now, timers: .standard)
        #expect(change.record.appletTokenHash == nil && change.record.pin == nil && change.record.linkTokenHash == nil)
        #expect(change.record.closedAt == Self.now)
        #expect(change.effects.first == .persist)
    }

    @Test("a transfer's recipient whose view drops with the customer is told once and the transfer goes")
    func recipientViewLeavesWithTheCustomer() throws {
        var current = Self.record(.outgoing, views: ["ann": .incoming])
        current.transfer = PendingTransfer(fromTechnicianId: "tom", to: .technician("ann"), comment: "", at: Self.t0)
        let change = try SessionChange.applying(.customerClosed(stillWaitingForTechnician: false), to: current, before: nil,
                                                at: Self.now, timers: .standard)
        #expect(change.record.otherViews.isEmpty)
        #expect(change.record.transfer == nil)
        let told = change.effects.compactMap { effect -> String? in
            if case .publishView(let view, let technicianId) = effect, view.state.isRemovedFromQueue { technicianId } else { nil }
        }
        #expect(told == ["ann"])
        #expect(change.effects.contains(.refreshPresence(of: ["tom", "ann"])))
    }

    @Test("colleagues follow the lead: the lead's close ends a collaboration as closed by the customer and withdraws an invitation")
    func colleaguesFollowTheLead() throws {
        var current = Self.record(.active)
        current.otherViews = ["col": .invitation(at: Self.t0), "inv": .invitation(at: Self.t0)]
        try current.otherViews["col"]?.handle(.start, at: Self.t0)
        current.collaborations = ["col": CollaborationTerms(invitedBy: "tom", permissions: nil, comment: ""),
                                  "inv": CollaborationTerms(invitedBy: "tom", permissions: [.chat], comment: "when you can")]
        #expect(current.otherViews["col"]?.state == .collaboration)
        // The lead's hold holds everyone collaborating (the manual); an invitation waits as it is.
        let held = try SessionChange.applying(.hold, to: current, before: nil, at: Self.now, timers: .standard)
        #expect(held.record.otherViews.mapValues(\.state) == ["col": .onHold, "inv": .invitation])
        let resumed = try SessionChange.applying(.start, to: held.record, before: nil, at: Self.now.addingTimeInterval(60), timers: .standard)
        #expect(resumed.record.otherViews.mapValues(\.state) == ["col": .collaboration, "inv": .invitation])
        let closed = try SessionChange.applying(.end, to: current, before: nil, at: Self.now, timers: .standard)
        let told = Dictionary(uniqueKeysWithValues: closed.effects.compactMap { effect -> (String, SessionState)? in
            if case .publishView(let view, let technicianId) = effect { (technicianId, view.state) } else { nil }
        })
        #expect(told == ["col": .closedByCustomer, "inv": .closed])
        #expect(closed.record.otherViews.isEmpty && closed.record.collaborations.isEmpty)
        // The customer leaves: the collaboration ends as closed by the customer too.
        let left = try SessionChange.applying(.customerClosed(stillWaitingForTechnician: false), to: current, before: nil,
                                              at: Self.now, timers: .standard)
        #expect(left.effects.compactMap { effect -> SessionState? in
            if case .publishView(let view, "col") = effect { view.state } else { nil }
        } == [.closedByCustomer])
    }

    @Test("an event the manual has no transition for is refused and changes nothing")
    func refusedEvent() {
        #expect(throws: TransitionRefused.self) {
            try SessionChange.applying(.hold, to: Self.record(.waiting), before: nil, at: Self.now, timers: .standard)
        }
    }

    @Test("an edit without a transition is stored and shown, with no status line")
    func editWithoutTransition() {
        var edited = Self.record(.active)
        edited.name = "Carla Customer"
        let change = SessionChange.committing(edited, before: Self.record(.active), transition: nil, at: Self.now)
        #expect(change.effects == [.persist, .publishToViewers, .tellQueueLeavers(before: Self.record(.active)),
                                   .refreshPresence(of: ["tom"])])
        #expect(change.record.name == "Carla Customer")
    }
}
