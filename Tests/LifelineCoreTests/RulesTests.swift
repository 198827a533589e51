import Foundation
import Testing
@testable import LifelineCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A deterministic generator for tests (SplitMix64): the production code uses the system CSPRNG.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("PINs, limits, permissions and input rules")
struct RulesTests {
    @Test("PINs are six digits; spaces and dashes a customer types are ignored", arguments: [
        ("123456", "123456"), ("123 456", "123456"), ("123-456", "123456"), ("000001", "000001"),
    ])
    func pinParsing(typed: String, expected: String) {
        #expect(PinCode(typed)?.digits == expected)
    }

    @Test("malformed PINs are rejected", arguments: ["12345", "1234567", "12a456", "", "１２３４５６"])
    func pinRejects(typed: String) {
        #expect(PinCode(typed) == nil)
    }

    @Test("a generated PIN avoids the live ones and is zero-padded")
    func pinGeneration() {
        var system = SystemRandomNumberGenerator()
        var live = Set<PinCode>()
        for _ in 0..<500 { live.insert(PinCode.generate(avoiding: live, using: &system)) }
        #expect(live.count == 500)
        var seeded = SeededGenerator(state: 7)
        let first = PinCode.generate(avoiding: [], using: &seeded)
        #expect(first.digits.count == 6)
        var sameSeed = SeededGenerator(state: 7)
        let second = PinCode.generate(avoiding: [first], using: &sameSeed)
        #expect(second != first, "the same random draw must be skipped when that PIN is live")
    }

    @Test("five wrong attempts lock a source out for the rest of the window")
    func attemptLimiter() {
        var limiter = WindowLimiter(maximumEvents: 5, window: 60)
        for i in 0..<5 {
            #expect(limiter.retryAfter(for: "10.0.0.1", at: t0) == nil)
            limiter.record(for: "10.0.0.1", at: t0.addingTimeInterval(Double(i)))
        }
        #expect(limiter.retryAfter(for: "10.0.0.1", at: t0.addingTimeInterval(5)) == 55)
        #expect(limiter.retryAfter(for: "10.0.0.2", at: t0.addingTimeInterval(5)) == nil)
        #expect(limiter.retryAfter(for: "10.0.0.1", at: t0.addingTimeInterval(61)) == nil)
    }

    @Test("ten active sessions are the limit; held and waiting ones don't count")
    func activeLimit() {
        let nine = Array(repeating: SessionState.active, count: 9)
        #expect(ActiveSessionLimit.allowsAnother(current: nine))
        #expect(!ActiveSessionLimit.allowsAnother(current: nine + [.active]))
        #expect(ActiveSessionLimit.allowsAnother(current: nine + [.onHold, .onHold, .waiting]))
    }

    @Test("queue tabs: Active shows active and held sessions; closed ones leave every tab")
    func queueTabs() {
        #expect(QueueTab.active.contains(.active, fromChannel: false))
        #expect(QueueTab.active.contains(.onHold, fromChannel: true))
        #expect(!QueueTab.active.contains(.waiting, fromChannel: false))
        #expect(QueueTab.all.contains(.closedByCustomer, fromChannel: false))
        #expect(!QueueTab.all.contains(.closed, fromChannel: true))
        #expect(!QueueTab.private.contains(.closedByCustomerWaiting, fromChannel: false))
        #expect(QueueTab.private.contains(.waiting, fromChannel: false))
        #expect(!QueueTab.private.contains(.waiting, fromChannel: true))
        #expect(QueueTab.channel.contains(.active, fromChannel: true), "the Channel tab lists channel sessions in any state")
        #expect(!QueueTab.channel.contains(.waiting, fromChannel: false))
    }

    @Test("custom fields: five named fields at most, values trimmed and bounded, unknown ones refused")
    func customFields() throws {
        #expect(try CustomFields.validatedNames([" Ticket ", "Phone"]) == ["Ticket", "Phone"])
        #expect(throws: CustomFields.Problem.tooMany(limit: 5)) { try CustomFields.validatedNames(["a", "b", "c", "d", "e", "f"]) }
        #expect(throws: CustomFields.Problem.duplicateName("ticket")) { try CustomFields.validatedNames(["Ticket", "ticket"]) }
        #expect(throws: CustomFields.Problem.badName("")) { try CustomFields.validatedNames(["  "]) }
        let names = ["Ticket", "Phone"]
        #expect(try CustomFields.validatedValues(["Ticket": " 42\n", "Phone": " "], names: names) == ["Ticket": "42"])
        #expect(throws: CustomFields.Problem.unknownField("Secret")) { try CustomFields.validatedValues(["Secret": "x"], names: names) }
        #expect(throws: CustomFields.Problem.valueTooLong(field: "Ticket", limit: 200)) {
            try CustomFields.validatedValues(["Ticket": String(repeating: "9", count: 201)], names: names)
        }
    }

    @Test("session names default to Customer and lose control characters")
    func sessionNames() {
        #expect(SessionName.normalised(nil) == "Customer")
        #expect(SessionName.normalised("  ") == "Customer")
        #expect(SessionName.normalised("Ann\u{7}e\n") == "Anne")
        #expect(SessionName.normalised(String(repeating: "x", count: 300)).count == 100)
    }

    @Test("chat text is trimmed, non-empty and bounded")
    func chatText() throws {
        #expect(try ChatText.validated("  hi ") == "hi")
        #expect(throws: ChatText.Problem.empty) { try ChatText.validated(" \n ") }
        #expect(throws: ChatText.Problem.tooLong(limit: 4_000)) { try ChatText.validated(String(repeating: "a", count: 4_001)) }
    }

    @Test("permission names round-trip; an unknown name is reported")
    func permissions() throws {
        let set = PermissionSet([.chat, .holdSessions])
        #expect(try PermissionSet(rawValues: set.sortedRawValues) == set)
        #expect(throws: UnknownPermission(name: "fly")) { try PermissionSet(rawValues: ["fly"]) }
        #expect(Permission.allCases.count == Set(Permission.allCases.map(\.rawValue)).count)
    }
}

@Suite("Remote desktop rules (J1, J2, J7)")
struct RemoteDesktopRulesTests {
    let all = PermissionSet(Permission.allCases)

    @Test("a running desktop switches mode for its own technician once active; not while asked, not to the same mode, not for another")
    func switching() throws {
        var view = try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .active, current: nil)
        #expect(!RemoteDesktopState.isSwitch(to: .control, by: "t", from: view), "still waiting for the customer")
        try view.accepted()
        #expect(RemoteDesktopState.isSwitch(to: .control, by: "t", from: view))
        #expect(!RemoteDesktopState.isSwitch(to: .view, by: "t", from: view))
        #expect(!RemoteDesktopState.isSwitch(to: .control, by: "someone else", from: view))
        var control = try RemoteDesktopState.request(.control, by: "t", permissions: all, sessionState: .active, current: nil)
        try control.accepted()
        #expect(RemoteDesktopState.isSwitch(to: .view, by: "t", from: control))
    }

    @Test("a request needs the mode's permission and an active session, one at a time; input needs control")
    func lifeCycle() throws {
        #expect(throws: RemoteDesktopState.Refusal.notPermitted(.remoteControl)) {
            try RemoteDesktopState.request(.control, by: "t", permissions: PermissionSet([.desktopView]), sessionState: .active, current: nil)
        }
        #expect(throws: RemoteDesktopState.Refusal.sessionNotActive(.onHold)) {
            try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .onHold, current: nil)
        }
        var state = try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .active, current: nil)
        #expect(throws: RemoteDesktopState.Refusal.alreadyRunning) {
            try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .active, current: state)
        }
        #expect(throws: RemoteDesktopState.Refusal.notRunning) { try state.checkInput(permissions: all) }
        #expect(!state.forwardsFrames)
        try state.accepted()
        #expect(state.forwardsFrames)
        #expect(throws: RemoteDesktopState.Refusal.viewOnly) { try state.checkInput(permissions: all) }
        var control = try RemoteDesktopState.request(.control, by: "t", permissions: all, sessionState: .active, current: nil)
        try control.accepted()
        try control.checkInput(permissions: all)
        #expect(throws: RemoteDesktopState.Refusal.notPermitted(.remoteControl)) {
            try control.checkInput(permissions: PermissionSet([.desktopView]))
        }
    }

    @Test("toolbar tools: running first; control tools need control mode and remote_control; some need their own permission")
    func tools() throws {
        let without = PermissionSet(Permission.allCases.filter { $0 != .clipboardSync && $0 != .recordScreen })
        var view = try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .active, current: nil)
        #expect(throws: RemoteDesktopState.Refusal.notRunning) { try view.checkTool(needsControl: false, permission: nil, permissions: all) }
        try view.accepted()
        var control = try RemoteDesktopState.request(.control, by: "t", permissions: all, sessionState: .active, current: nil)
        try control.accepted()
        // (state, needs control, own permission, permissions) → refusal or nil
        let table: [(RemoteDesktopState, Bool, Permission?, PermissionSet, RemoteDesktopState.Refusal?)] = [
            (view, false, nil, all, nil),
            (view, true, nil, all, .viewOnly),
            (view, false, .recordScreen, all, nil),
            (view, false, .recordScreen, without, .notPermitted(.recordScreen)),
            (control, true, nil, all, nil),
            (control, true, .clipboardSync, without, .notPermitted(.clipboardSync)),
            (control, true, nil, PermissionSet([.desktopView]), .notPermitted(.remoteControl)),
        ]
        for (state, needsControl, permission, permissions, refusal) in table {
            do throws(RemoteDesktopState.Refusal) {
                try state.checkTool(needsControl: needsControl, permission: permission, permissions: permissions)
                #expect(refusal == nil)
            } catch {
                #expect(error == refusal)
            }
        }
    }

    @Test("a browser's direct path: the customer offers to every console of the owner, the first console to answer is the only other end; nothing for the applet or before the yes")
    func directPath() throws {
        var browser = try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .active, current: nil, source: .browser)
        let step1 = browser.signalFromCustomer(.offer)
        #expect(step1 == nil, "not accepted yet")
        #expect(throws: RemoteDesktopState.Refusal.notRunning) { try browser.signalFromConsole(.answer, technicianId: "t", console: "A") }
        try browser.accepted()
        let step2 = browser.transportChanged(to: .webrtc)
        #expect(!step2, "nobody answered yet")
        let step3 = browser.signalFromCustomer(.offer)
        #expect(step3 == .ownersConsoles)
        let step4 = browser.signalFromCustomer(.candidate)
        #expect(step4 == .ownersConsoles)
        let step5 = browser.signalFromCustomer(.answer)
        #expect(step5 == nil, "only a console answers")
        // (technician, console, kind) → refusal or nil, in order
        let steps: [(String, String, RemoteDesktopState.SignalKind, RemoteDesktopState.Refusal?)] = [
            ("someone else", "X", .answer, .notRunning),
            ("t", "A", .offer, .noDirectPath),
            ("t", "A", .candidate, .noDirectPath),
            ("t", "A", .answer, nil),
            ("t", "A", .candidate, nil),
            ("t", "B", .answer, .noDirectPath),
            ("t", "B", .candidate, .noDirectPath),
        ]
        for (technician, console, kind, refusal) in steps {
            do throws(RemoteDesktopState.Refusal) {
                try browser.signalFromConsole(kind, technicianId: technician, console: console)
                #expect(refusal == nil, "\(technician) \(console) \(kind)")
            } catch {
                #expect(error == refusal, "\(technician) \(console) \(kind)")
            }
        }
        let step6 = browser.signalFromCustomer(.candidate)
        #expect(step6 == .console("A"))
        let step7 = browser.transportChanged(to: .webrtc)
        #expect(step7)
        let step8 = browser.transportChanged(to: .webrtc)
        #expect(!step8, "told once")
        #expect(browser.transport == .webrtc)
        let step9 = browser.transportChanged(to: .frames)
        #expect(step9)
        // A new offer: any console may answer it.
        let step10 = browser.signalFromCustomer(.offer)
        #expect(step10 == .ownersConsoles)
        try browser.signalFromConsole(.answer, technicianId: "t", console: "B")
        #expect(browser.directPeer == "B")

        var applet = try RemoteDesktopState.request(.view, by: "t", permissions: all, sessionState: .active, current: nil)
        try applet.accepted()
        let step11 = applet.signalFromCustomer(.offer)
        #expect(step11 == nil)
        #expect(throws: RemoteDesktopState.Refusal.noDirectPath) { try applet.signalFromConsole(.answer, technicianId: "t", console: "A") }
        let step12 = applet.transportChanged(to: .webrtc)
        #expect(!step12)
    }

    @Test("only Active and Collaboration keep the remote desktop", arguments: SessionState.allCases)
    func survives(state: SessionState) {
        #expect(RemoteDesktopState.survives(state) == (state == .active || state == .collaboration))
    }

    @Test("auto quality steps down on slow updates and back up after two quick seconds")
    func governor() {
        var governor = QualityGovernor()
        #expect(governor.level == .high)
        governor.drawn(after: 0.4, at: 0)
        #expect(governor.level == .medium)
        governor.drawn(after: 0.4, at: 0.1)
        #expect(governor.level == .low)
        for step in 0..<10 { governor.drawn(after: 0.01, at: 1 + Double(step) * 0.1) }
        #expect(governor.level == .low, "not yet two seconds of quick updates")
        governor.drawn(after: 0.01, at: 3.1)
        #expect(governor.level == .medium)
        #expect(RemoteQuality.veryLow.encoding.grayscale)
    }
}
