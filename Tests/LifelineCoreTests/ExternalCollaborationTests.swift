import Foundation
import Testing
@testable import LifelineCore

@Suite("External collaborators (I2)")
struct ExternalCollaborationTests {
    @Test("names are one trimmed line; empty and overlong ones are refused")
    func names() throws {
        #expect(try ExternalCollaboration.validatedName("  Dana\nVendor ") == "Dana Vendor")
        #expect(throws: ExternalCollaboration.Problem.emptyName) { try ExternalCollaboration.validatedName(" \t ") }
        #expect(throws: ExternalCollaboration.Problem.nameTooLong) { try ExternalCollaboration.validatedName(String(repeating: "x", count: 101)) }
    }

    @Test("only an address on the approved list gets the full console", arguments: [
        ("partner@example.com", true), ("Partner@Example.com ", true), ("other@example.com", false), ("", false), (nil, false),
    ] as [(String?, Bool)])
    func approval(email: String?, approved: Bool) {
        #expect(ExternalCollaboration.isApproved(email: email, approvedList: ["partner@example.com"]) == approved)
    }

    @Test("only an approved collaborator who collaborates sees the customer's screen", arguments: [
        (true, SessionState.collaboration, true), (false, .collaboration, false), (true, .invitation, false),
        (true, .rebooting, false), (true, .closed, false), (true, .closedByCustomer, false),
    ])
    func screen(approved: Bool, viewState: SessionState, sees: Bool) {
        #expect(ExternalCollaboration.seesScreen(approved: approved, viewState: viewState) == sees)
    }

    /// The collaborator's view follows the lead's as the manual's appendix says (I2, C7).
    @Test("the collaborator's view follows the lead", arguments: [
        (SessionEvent.end, SessionState.closed, SessionState.collaboration, SessionState?.some(.closedByCustomer)),
        (.customerClosed(stillWaitingForTechnician: false), .closedByCustomer, .collaboration, .closedByCustomer),
        (.idleTimeoutPassed, .timedOut, .collaboration, .closedByCustomer),
        (.end, .closed, .invitation, .closed),
        (.hold, .onHold, .collaboration, nil),
        (.hold, .onHold, .invitation, nil),
        (.rebootStarted, .rebooting, .collaboration, .rebooting),
        (.connectionLost(since: Date(timeIntervalSince1970: 0)), .reconnecting, .collaboration, nil),
    ])
    func follows(leadEvent: SessionEvent, leadState: SessionState, viewState: SessionState, expected: SessionState?) throws {
        let now = Date(timeIntervalSince1970: 1_000)
        var view = SessionMachine.invitation(at: now)
        if viewState == .collaboration { try view.handle(.start, at: now) }
        let event = ExternalCollaboration.viewEvent(forLead: leadEvent, leadState: leadState, viewState: view.state)
        if let expected {
            try view.handle(try #require(event), at: now)
            #expect(view.state == expected)
        } else {
            #expect(event == nil)
        }
    }

    @Test("an external technician accepts (Invitation → Collaboration), leaves or is removed (→ Closed)")
    func ownMoves() throws {
        let now = Date(timeIntervalSince1970: 1_000)
        var removedBeforeAccepting = SessionMachine.invitation(at: now)
        try removedBeforeAccepting.handle(.removedByLead, at: now)
        #expect(removedBeforeAccepting.state == .closed)
        var joined = SessionMachine.invitation(at: now)
        try joined.handle(.start, at: now)
        #expect(joined.state == .collaboration)
        var left = joined
        try left.handle(.end, at: now)
        #expect(left.state == .closed)
        try joined.handle(.removedByLead, at: now)
        #expect(joined.state == .closed)
    }
}
