import Testing
import LifelineCore

/// The Lens rules of the manual (Q1, Q3): one active Lens session per technician within the ten,
/// no collaboration, the Lens permission to create one.
@Suite("Session types: standard and Lens")
struct SessionTypeTests {
    typealias Current = [(type: SessionType, state: SessionState)]

    static let rows: [(name: String, adding: SessionType, current: Current, refusal: ActiveSessionRefusal?)] = [
        ("nothing active: a Lens starts", .lens, [], nil),
        ("a standard one active: a Lens starts", .lens, [(.standard, .active)], nil),
        ("a Lens active: a second Lens is refused", .lens, [(.lens, .active)], .anotherLens),
        ("a Lens active: a standard one starts", .standard, [(.lens, .active)], nil),
        ("a Lens on hold does not count", .lens, [(.lens, .onHold)], nil),
        ("a Lens being rebooted counts as active", .lens, [(.lens, .rebooting)], .anotherLens),
        ("a Lens going out (Outgoing) is no longer the sender's to handle", .lens, [(.lens, .outgoing)], nil),
        ("a Lens in Collaboration would count", .lens, [(.lens, .collaboration)], .anotherLens),
        ("ten standard active: even a Lens is refused as the eleventh", .lens, Array(repeating: (.standard, .active), count: 10), .tooMany),
        ("nine standard and a Lens: a standard one is the eleventh", .standard,
         Array(repeating: (.standard, .active), count: 9) + [(.lens, .active)], .tooMany),
        ("nine standard: a Lens is the tenth", .lens, Array(repeating: (.standard, .active), count: 9), nil),
    ]

    @Test("one active Lens within the ten", arguments: rows.indices)
    func activeLimit(_ index: Int) {
        let row = Self.rows[index]
        #expect(ActiveSessionLimit.refusal(adding: row.adding, to: row.current) == row.refusal, "\(row.name)")
    }

    @Test("the Lens rule agrees with the ten-active rule for standard sessions")
    func agreesWithTheTen() {
        for count in 0...11 {
            for state in SessionState.allCases {
                let current = Array(repeating: (type: SessionType.standard, state: state), count: count)
                #expect((ActiveSessionLimit.refusal(adding: .standard, to: current) == nil)
                        == ActiveSessionLimit.allowsAnother(current: current.map(\.state)), "\(count) × \(state)")
            }
        }
    }

    @Test("a Lens session needs the Lens permission, has no collaboration and none of the applet's tools")
    func whatALensSessionIs() {
        #expect(SessionType.lens.requiredPermission == .lensSessions)
        #expect(SessionType.standard.requiredPermission == nil)
        #expect(!SessionType.lens.allowsCollaboration && SessionType.standard.allowsCollaboration)
        #expect(!SessionType.lens.hasAppletTools && SessionType.standard.hasAppletTools)
    }

    @Test("inviting a colleague into a Lens session is refused before anything else")
    func noCollaborationInLens() {
        #expect(throws: InternalCollaboration.Refusal.lensSession) {
            try InternalCollaboration.checkInvitation(byLead: true, state: .active, inviteeIsLead: false, inviteeAlreadyIn: false,
                                                      inviteeStatus: .online, collaborators: 0, comment: "", sessionType: .lens)
        }
        #expect(throws: Never.self) {
            try InternalCollaboration.checkInvitation(byLead: true, state: .active, inviteeIsLead: false, inviteeAlreadyIn: false,
                                                      inviteeStatus: .online, collaborators: 0, comment: "", sessionType: .standard)
        }
    }
}
