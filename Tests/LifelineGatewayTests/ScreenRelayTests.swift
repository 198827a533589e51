import Foundation
import LifelineCore
import LifelineProtocol
import Testing
@testable import LifelineGateway

/// The relay passes a running remote control's input and acknowledgements around the hub, and only
/// those: anything else falls back to the hub, which gives the refusal.
@Suite("The screen relay passes only the owner's allowed input to the applet")
struct ScreenRelayTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let click: [InputEvent] = [.move(x: 10, y: 10), .button(button: 1, down: true, x: 10, y: 10)]

    static func relay(controls: Bool) -> (ScreenRelay, AsyncStream<Outlet.Frame>) {
        let (applet, frames) = Outlet.make()
        let sockets = SocketDirectory()
        _ = sockets.setApplet(applet, of: "s1")
        let relay = ScreenRelay(sockets: sockets)
        relay.setRoute(ScreenRelay.Route(technicianId: "tech", controls: controls), for: "s1")
        return (relay, frames)
    }

    @Test("the owner's input in remote control reaches the applet and counts as activity once")
    func ownerInput() async throws {
        let (relay, frames) = Self.relay(controls: true)
        #expect(relay.forwardInput(Self.click, sessionId: "s1", technicianId: "tech", permissions: PermissionSet([.remoteControl]), at: Self.now))
        var iterator = frames.makeAsyncIterator()
        guard case .text(let text) = await iterator.next() else { Issue.record("no frame"); return }
        #expect(try WireCodec.decode(text, as: GatewayToApplet.self) == .input(Self.click))
        #expect(relay.forwardFrameAck(7, sessionId: "s1", technicianId: "tech"))
        guard case .text(let ack) = await iterator.next() else { Issue.record("no ack"); return }
        #expect(try WireCodec.decode(ack, as: GatewayToApplet.self) == .frameAck(.init(sequence: 7)))
        let activity = relay.takeActivity()
        #expect(activity.sessions == ["s1": Self.now] && activity.technicians == ["tech": Self.now])
        #expect(relay.takeActivity().sessions.isEmpty, "collected once")
    }

    @Test("view only, no permission, another technician, another session, bad events: left to the hub",
          arguments: [
            (true, [Permission.remoteControl], "tech", "s1", 1),
            (false, [Permission.remoteControl], "tech", "s1", 0),
            (true, [], "tech", "s1", 0),
            (true, [Permission.remoteControl], "someone else", "s1", 0),
            (true, [Permission.remoteControl], "tech", "s2", 0),
          ])
    func refusals(controls: Bool, permissions: [Permission], technician: String, session: String, passed: Int) async {
        let (relay, _) = Self.relay(controls: controls)
        let forwarded = relay.forwardInput(Self.click, sessionId: session, technicianId: technician, permissions: PermissionSet(permissions), at: Self.now)
        #expect(forwarded == (passed == 1))
        #expect(relay.takeActivity().sessions.count == passed, "only input passed on counts")
    }

    @Test("more events than a message may hold, or an invalid one, are left to the hub")
    func badEvents() {
        let (relay, _) = Self.relay(controls: true)
        let tooMany = [InputEvent](repeating: .move(x: 1, y: 1), count: ScreenRelay.maximumInputEvents + 1)
        #expect(!relay.forwardInput(tooMany, sessionId: "s1", technicianId: "tech", permissions: PermissionSet([.remoteControl]), at: Self.now))
        #expect(!relay.forwardInput([.button(button: 9, down: true, x: 1, y: 1)], sessionId: "s1", technicianId: "tech", permissions: PermissionSet([.remoteControl]),
                                    at: Self.now))
    }
}
