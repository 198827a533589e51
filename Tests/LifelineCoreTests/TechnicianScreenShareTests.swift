import Testing
@testable import LifelineCore

/// Who may show their screen to the customer, and when it stops (H1).
@Suite("Technician screen sharing rules (H1)")
struct TechnicianScreenShareTests {
    @Test("working in the session", arguments: [
        (true, SessionState.active, nil as SessionState?, true),
        (true, .onHold, nil, false),
        (true, .waiting, nil, false),
        (true, .rebooting, nil, false),
        (false, .active, .collaboration, true),
        (false, .active, .invitation, false),
        (false, .active, .onHold, false),
        (false, .onHold, .collaboration, false),
        (false, .active, nil, false),
    ])
    func working(isLead: Bool, session: SessionState, view: SessionState?, expected: Bool) {
        #expect(TechnicianScreenShare.isWorking(isLead: isLead, sessionState: session, viewState: view) == expected)
    }

    typealias Start = (by: String, working: Bool, permissions: Set<Permission>, role: SessionMachine.Role, applet: Bool, sharer: String?)

    @Test("starting: permission, working, the applet, one at a time")
    func start() throws {
        let allowed: Set<Permission> = [.shareScreen]
        let rows: [(Start, Result<Bool, TechnicianScreenShare.Refusal>)] = [
            (("lead", true, allowed, .lead, true, nil), .success(true)),
            (("lead", true, allowed, .lead, true, "lead"), .success(false)),
            (("bea", true, allowed, .collaborator, true, nil), .success(true)),
            (("bea", true, allowed, .collaborator, true, "lead"), .failure(.sharedByOther(technicianId: "lead"))),
            (("lead", true, [], .lead, true, nil), .failure(.notPermitted)),
            (("bea", true, [.chat], .collaborator, true, nil), .failure(.notPermitted)),
            (("lead", false, allowed, .lead, true, nil), .failure(.notWorking)),
            (("lead", true, allowed, .lead, false, nil), .failure(.noApplet)),
        ]
        for (row, expected) in rows {
            let outcome = Result { () throws(TechnicianScreenShare.Refusal) -> Bool in
                try TechnicianScreenShare.checkStart(by: row.by, working: row.working, permissions: row.permissions, role: row.role,
                                                     appletConnected: row.applet, sharer: row.sharer)
            }
            #expect(outcome == expected, "\(row)")
        }
    }

    @Test("stopping: only the sharer")
    func stop() {
        #expect(throws: Never.self) { try TechnicianScreenShare.checkStop(by: "lead", sharer: "lead") }
        #expect(throws: TechnicianScreenShare.Refusal.notSharing) { try TechnicianScreenShare.checkStop(by: "bea", sharer: "lead") }
        #expect(throws: TechnicianScreenShare.Refusal.notSharing) { try TechnicianScreenShare.checkStop(by: "bea", sharer: nil) }
    }
}
