import Foundation
import LifelineCore
import LifelineProtocol
import Testing
@testable import LifelineGateway

/// The relay passes a running remote desktop's frames to everyone who sees it, and the input of
/// the technician in control (only theirs) and the acknowledgements around the hub: anything else
/// falls back to the hub, which gives the refusal.
@Suite("The screen relay fans the screen out and passes only the controller's input")
struct ScreenRelayTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let click: [InputEvent] = [.move(x: 10, y: 10), .button(button: 1, down: true, x: 10, y: 10)]

    /// A relay with an applet socket for "s1", and the applet's frames.
    static func relay(controller: String?, colleagues: Set<String> = []) -> (ScreenRelay, SocketDirectory, Outlet, AsyncStream<Outlet.Frame>) {
        let (applet, frames) = Outlet.make()
        let sockets = SocketDirectory()
        _ = sockets.setApplet(applet, of: "s1")
        let relay = ScreenRelay(sockets: sockets)
        relay.setRoute(ScreenRelay.Route(technicianId: "tech", colleagues: colleagues, controller: controller), for: "s1")
        return (relay, sockets, applet, frames)
    }

    static func console(of technicianId: String, in sockets: SocketDirectory) -> (Outlet, AsyncStream<Outlet.Frame>.AsyncIterator) {
        let (outlet, frames) = Outlet.make()
        sockets.addConsole(outlet, of: technicianId)
        return (outlet, frames.makeAsyncIterator())
    }

    static func update(_ sequence: UInt32, x: UInt16 = 0, width: UInt16 = 64) -> [UInt8] {
        ScreenUpdate(sequence: sequence, screenWidth: 128, screenHeight: 64,
                     tiles: [.init(x: x, y: 0, width: width, height: 64, encoding: .jpeg, bytes: [UInt8(sequence)])]).encoded()
    }

    /// The screen update a console received (its session id prefix taken off).
    static func received(_ iterator: inout AsyncStream<Outlet.Frame>.AsyncIterator) async throws -> ScreenUpdate? {
        guard case .binary(let bytes) = await iterator.next() else { return nil }
        return try ScreenUpdate.decode(Array(bytes.dropFirst(1 + Int(bytes[0]))))
    }

    /// The applet's next frame as the binary acknowledgement of a drawn update.
    static func nextAcknowledgement(_ iterator: inout AsyncStream<Outlet.Frame>.AsyncIterator) async throws -> FrameAcknowledgement? {
        guard case .binary(let bytes) = await iterator.next() else { return nil }
        return try FrameAcknowledgement.decode(bytes)
    }

    static func nextText(_ iterator: inout AsyncStream<Outlet.Frame>.AsyncIterator) async throws -> GatewayToApplet? {
        guard case .text(let text) = await iterator.next() else { return nil }
        return try WireCodec.decode(text, as: GatewayToApplet.self)
    }

    @Test("the controller's input reaches the applet and counts as activity once; their drawn frame is acknowledged")
    func ownerInput() async throws {
        let (relay, sockets, applet, frames) = Self.relay(controller: "tech")
        var console = Self.console(of: "tech", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        #expect(relay.forwardInput(Self.click, sessionId: "s1", technicianId: "tech", permissions: PermissionSet([.remoteControl]), at: Self.now))
        #expect(try await Self.nextText(&appletFrames) == .input(Self.click))
        #expect(relay.forward(Self.update(1, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await Self.received(&console.1)?.sequence == 1)
        #expect(relay.forwardFrameAck(1, sessionId: "s1", viewer: "tech", console: console.0.id))
        #expect(try await Self.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 1))
        let activity = relay.takeActivity()
        #expect(activity.sessions == ["s1": Self.now] && activity.technicians == ["tech": Self.now])
        #expect(relay.takeActivity().sessions.isEmpty, "collected once")
    }

    @Test("view only, no permission, a viewer without control, another session: left to the hub",
          arguments: [
            ("tech", [Permission.remoteControl], "tech", "s1", 1),
            (nil, [Permission.remoteControl], "tech", "s1", 0),
            ("tech", [], "tech", "s1", 0),
            ("tech", [Permission.remoteControl], "bea", "s1", 0),
            ("bea", [Permission.remoteControl], "bea", "s1", 1),
            ("bea", [Permission.remoteControl], "tech", "s1", 0),
            ("tech", [Permission.remoteControl], "tech", "s2", 0),
          ] as [(String?, [Permission], String, String, Int)])
    func refusals(controller: String?, permissions: [Permission], technician: String, session: String, passed: Int) async {
        let (relay, _, _, _) = Self.relay(controller: controller, colleagues: ["bea"])
        let forwarded = relay.forwardInput(Self.click, sessionId: session, technicianId: technician, permissions: PermissionSet(permissions), at: Self.now)
        #expect(forwarded == (passed == 1))
        #expect(relay.takeActivity().sessions.count == passed, "only input passed on counts")
    }

    @Test("more events than a message may hold, or an invalid one, are left to the hub")
    func badEvents() {
        let (relay, _, _, _) = Self.relay(controller: "tech")
        let tooMany = [InputEvent](repeating: .move(x: 1, y: 1), count: ScreenRelay.maximumInputEvents + 1)
        #expect(!relay.forwardInput(tooMany, sessionId: "s1", technicianId: "tech", permissions: PermissionSet([.remoteControl]), at: Self.now))
        #expect(!relay.forwardInput([.button(button: 9, down: true, x: 1, y: 1)], sessionId: "s1", technicianId: "tech", permissions: PermissionSet([.remoteControl]),
                                    at: Self.now))
    }

    /// The lead draws every update at once, the colleague draws none for a while: the lead never
    /// waits, and the colleague then gets one update with the latest screen.
    @Test("a slow viewer skips to the latest screen and never slows the quick one")
    func slowViewer() async throws {
        let (relay, sockets, applet, frames) = Self.relay(controller: "tech", colleagues: ["bea"])
        var lead = Self.console(of: "tech", in: sockets)
        var colleague = Self.console(of: "bea", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        #expect(relay.forward(Self.update(1, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await Self.received(&colleague.1)?.sequence == 1)
        for sequence in UInt32(1)...20 {
            if sequence > 1 {
                #expect(relay.forward(Self.update(sequence, x: sequence % 2 == 0 ? 0 : 64), sessionId: "s1", from: applet.id))
            }
            #expect(try await Self.received(&lead.1)?.sequence == sequence)
            #expect(relay.forwardFrameAck(sequence, sessionId: "s1", viewer: "tech", console: lead.0.id))
            #expect(try await Self.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: sequence), "the quickest console paces the applet")
        }
        // Sent to the colleague so far: 1 and 2 (its window); 3…20 wait, merged.
        #expect(try await Self.received(&colleague.1)?.sequence == 2)
        #expect(relay.forwardFrameAck(2, sessionId: "s1", viewer: "bea", console: colleague.0.id))
        let merged = try await Self.received(&colleague.1)
        #expect(merged?.sequence == 20)
        #expect(merged?.tiles.map(\.bytes) == [[19], [20]], "only the latest picture of each half")
        #expect(relay.forwardFrameAck(20, sessionId: "s1", viewer: "bea", console: colleague.0.id))
    }

    /// A colleague who starts seeing a running screen gets the whole of it: the applet is asked,
    /// and the colleague gets nothing until an update that repaints everything.
    @Test("a viewer who joins late waits for the whole screen, asked of the applet once")
    func lateViewer() async throws {
        let (relay, sockets, applet, frames) = Self.relay(controller: "tech")
        var lead = Self.console(of: "tech", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        #expect(relay.forward(Self.update(1, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await Self.received(&lead.1)?.sequence == 1)
        var colleague = Self.console(of: "bea", in: sockets)
        relay.setRoute(ScreenRelay.Route(technicianId: "tech", colleagues: ["bea"], controller: "tech"), for: "s1")
        #expect(try await Self.nextText(&appletFrames) == .screenRefresh)
        #expect(relay.forward(Self.update(2), sessionId: "s1", from: applet.id))
        #expect(relay.forward(Self.update(3, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await Self.received(&colleague.1)?.sequence == 3, "update 2 painted half: not shown to the newcomer")
        #expect(try await Self.received(&lead.1)?.sequence == 2)
        _ = relay.forwardFrameAck(3, sessionId: "s1", viewer: "bea", console: colleague.0.id)
        #expect(try await Self.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 3))
    }

    @Test("an acknowledgement from a console that sees no such screen is left to the hub")
    func strangerAck() {
        let (relay, sockets, _, _) = Self.relay(controller: "tech")
        let (stranger, _) = Self.console(of: "carl", in: sockets)
        #expect(!relay.forwardFrameAck(1, sessionId: "s1", viewer: "carl", console: stranger.id))
    }

    /// An approved external collaborator (I2) watches from their collaborator socket: frames as a
    /// console gets them, acknowledged under their viewer name; never the mouse and keyboard.
    @Test("an external collaborator's console gets the screen once it opens, and only watches")
    func externalWatcher() async throws {
        let (relay, sockets, applet, frames) = Self.relay(controller: "tech")
        var lead = Self.console(of: "tech", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        relay.setRoute(ScreenRelay.Route(technicianId: "tech", externals: ["x1"], controller: "tech"), for: "s1")
        #expect(relay.forward(Self.update(1, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await Self.received(&lead.1)?.sequence == 1)
        let (external, externalFrames) = Outlet.make()
        _ = sockets.setCollaborator(external, for: "x1")
        relay.consoleOpened(in: "s1")
        #expect(try await Self.nextText(&appletFrames) == .screenRefresh, "the newcomer needs the whole screen")
        var watcher = externalFrames.makeAsyncIterator()
        #expect(relay.forward(Self.update(2, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await Self.received(&watcher)?.sequence == 2)
        #expect(!relay.forwardFrameAck(2, sessionId: "s1", viewer: "x1", console: external.id), "not under a technician's name")
        #expect(relay.forwardFrameAck(2, sessionId: "s1", viewer: ScreenRelay.external("x1"), console: external.id))
        #expect(try await Self.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 2))
        #expect(!relay.forwardInput(Self.click, sessionId: "s1", technicianId: ScreenRelay.external("x1"),
                                    permissions: PermissionSet([.remoteControl]), at: Self.now))
    }
}

/// Video tiles (issue 23) go to consoles only while every console that sees the screen decodes them.
@Suite("The screen relay tells the applet whether its viewers decode video")
struct ScreenRelayVideoTests {
    @Test("video is allowed once every viewer said it decodes it, and not after a viewer that does not joins")
    func everyViewerDecodes() async throws {
        let (relay, sockets, applet, frames) = ScreenRelayTests.relay(controller: "tech", colleagues: ["bea"])
        var lead = ScreenRelayTests.console(of: "tech", in: sockets)
        var colleague = ScreenRelayTests.console(of: "bea", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        #expect(relay.forward(ScreenRelayTests.update(1, width: 128), sessionId: "s1", from: applet.id))
        _ = try await ScreenRelayTests.received(&lead.1)
        _ = try await ScreenRelayTests.received(&colleague.1)
        #expect(relay.forwardFrameAck(1, sessionId: "s1", viewer: "tech", console: lead.0.id, video: true))
        #expect(try await ScreenRelayTests.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 1), "the colleague has not said it decodes video")
        #expect(relay.forwardFrameAck(1, sessionId: "s1", viewer: "bea", console: colleague.0.id, video: true))
        #expect(relay.forward(ScreenRelayTests.update(2), sessionId: "s1", from: applet.id))
        _ = try await ScreenRelayTests.received(&lead.1)
        #expect(relay.forwardFrameAck(2, sessionId: "s1", viewer: "tech", console: lead.0.id, video: true))
        #expect(try await ScreenRelayTests.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 2, video: true))
        // A second console of the colleague opens: it has said nothing yet.
        _ = ScreenRelayTests.console(of: "bea", in: sockets)
        relay.setRoute(ScreenRelay.Route(technicianId: "tech", colleagues: ["bea"], controller: "tech"), for: "s1")
        #expect(try await ScreenRelayTests.nextText(&appletFrames) == .screenRefresh)
        #expect(relay.forward(ScreenRelayTests.update(3), sessionId: "s1", from: applet.id))
        _ = try await ScreenRelayTests.received(&lead.1)
        #expect(relay.forwardFrameAck(3, sessionId: "s1", viewer: "tech", console: lead.0.id, video: true))
        #expect(try await ScreenRelayTests.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 3), "tiles only until the newcomer says")
    }

    @Test("a console that could not decode a video frame waits for the whole screen, asked of the applet")
    func lostTrack() async throws {
        let (relay, sockets, applet, frames) = ScreenRelayTests.relay(controller: "tech")
        var lead = ScreenRelayTests.console(of: "tech", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        #expect(relay.forward(ScreenRelayTests.update(1, width: 128), sessionId: "s1", from: applet.id))
        _ = try await ScreenRelayTests.received(&lead.1)
        #expect(relay.forwardFrameAck(1, sessionId: "s1", viewer: "tech", console: lead.0.id, video: true, lostTrack: true))
        #expect(try await ScreenRelayTests.nextAcknowledgement(&appletFrames) == FrameAcknowledgement(sequence: 1, video: true))
        #expect(try await ScreenRelayTests.nextText(&appletFrames) == .screenRefresh)
        #expect(relay.forward(ScreenRelayTests.update(2), sessionId: "s1", from: applet.id))
        #expect(relay.forward(ScreenRelayTests.update(3, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await ScreenRelayTests.received(&lead.1)?.sequence == 3, "update 2 painted half: not shown to a console that lost track")
    }
}

extension ScreenRelayVideoTests {
    /// An update of one video tile over the left half: a frame that follows on the one before.
    static func videoUpdate(_ sequence: UInt32) -> [UInt8] {
        let payload = VideoTile(frameWidth: 64, frameHeight: 64, parts: [.init(x: 0, y: 0, width: 64, height: 64)], frame: [0x31, 0x02, 0x00, UInt8(sequence)])
        return ScreenUpdate(sequence: sequence, screenWidth: 128, screenHeight: 64,
                            tiles: [.init(x: 0, y: 0, width: 64, height: 64, encoding: .video, bytes: payload.encoded())]).encoded()
    }

    @Test("a slow console does not collect a video's frames: past two it skips to the whole screen")
    func slowVideoViewer() async throws {
        let (relay, sockets, applet, frames) = ScreenRelayTests.relay(controller: "tech", colleagues: ["bea"])
        var lead = ScreenRelayTests.console(of: "tech", in: sockets)
        var colleague = ScreenRelayTests.console(of: "bea", in: sockets)
        var appletFrames = frames.makeAsyncIterator()
        #expect(relay.forward(ScreenRelayTests.update(1, width: 128), sessionId: "s1", from: applet.id))
        for sequence in UInt32(1)...6 {
            if sequence > 1 { #expect(relay.forward(Self.videoUpdate(sequence), sessionId: "s1", from: applet.id)) }
            #expect(try await ScreenRelayTests.received(&lead.1)?.sequence == sequence)
            #expect(relay.forwardFrameAck(sequence, sessionId: "s1", viewer: "tech", console: lead.0.id, video: true))
            _ = try await ScreenRelayTests.nextText(&appletFrames)
        }
        #expect(try await ScreenRelayTests.received(&colleague.1)?.sequence == 1)
        #expect(try await ScreenRelayTests.received(&colleague.1)?.sequence == 2)
        // 3, 4 and 5 waited; with the third video frame the colleague was set to wait for the whole screen.
        #expect(relay.forwardFrameAck(2, sessionId: "s1", viewer: "bea", console: colleague.0.id, video: true))
        #expect(try await ScreenRelayTests.nextText(&appletFrames) == .screenRefresh)
        #expect(relay.forward(ScreenRelayTests.update(7, width: 128), sessionId: "s1", from: applet.id))
        #expect(try await ScreenRelayTests.received(&colleague.1)?.sequence == 7, "nothing of the missed video: the whole screen next")
    }
}
