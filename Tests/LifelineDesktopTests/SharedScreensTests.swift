import Testing
import LifelineProtocol
@testable import LifelineDesktop

/// Several screens of the technician in the customer's window (H1, the manual's Monitors button):
/// each painted into its own picture, one shown, Tab to the next, a screen no longer shared let go.
@Suite("The technician's several screens in the customer's window (H1)")
struct SharedScreensTests {
    static func grey(_ level: UInt8, screen: UInt8, width: Int = 64) throws -> ScreenUpdate {
        ScreenUpdate(sequence: 1, screenWidth: UInt16(width), screenHeight: 64,
                     tiles: [.init(x: 0, y: 0, width: UInt16(width), height: 64, encoding: .jpeg,
                                   bytes: try SharedPictureTests.tile(level: level, width: width))],
                     screen: screen)
    }

    @Test("the first screen is shown; another is painted aside; Tab goes round them; a removed one falls back")
    func switching() throws {
        let screens = SharedScreens()
        #expect(try screens.apply(Self.grey(200, screen: 0)) == .shownChanged)
        #expect(try screens.apply(Self.grey(40, screen: 2, width: 128)) == .elsewhere, "painted, not shown")
        #expect(screens.numbers == [0, 2] && screens.current?.width == 64)
        #expect(screens.showNext() == 2 && screens.shown == 2 && screens.current?.width == 128)
        #expect(try screens.apply(Self.grey(90, screen: 2, width: 128)) == .shownChanged)
        #expect(screens.showNext() == 1 && screens.shown == 0, "after the last, the first")
        screens.showNext()
        // The technician stops sharing screen 2 (an update of 0 × 0): the first is shown again.
        #expect(try screens.apply(ScreenUpdate(sequence: 0, screenWidth: 0, screenHeight: 0, tiles: [], screen: 2)) == .shownChanged)
        #expect(screens.numbers == [0] && screens.shown == 0)
        #expect(screens.showNext() == 1 && screens.shown == 0, "one screen: nowhere else to go")
    }

    @Test("the screen number travels in the update's fourth byte; four screens at most, and only to the applet")
    func wire() throws {
        let update = try Self.grey(10, screen: 3)
        let bytes = update.encoded()
        let decoded = try ScreenUpdate.decode(bytes, forApplet: true)
        #expect(bytes[3] == 3 && decoded.screen == 3)
        var tooMany = bytes
        tooMany[3] = UInt8(ScreenUpdate.maximumScreens)
        #expect(throws: ScreenUpdate.DecodingProblem.screenNotAccepted) { try ScreenUpdate.validate(tooMany, forApplet: true) }
        #expect(throws: ScreenUpdate.DecodingProblem.screenNotAccepted, "one screen anywhere but the applet") { try ScreenUpdate.validate(bytes) }
    }

    @Test("the Screens button shows from two screens, before End")
    func button() {
        var toolbar = SharedScreenToolbar()
        #expect(!toolbar.buttons.contains(.screens))
        toolbar.screenCount = 2
        toolbar.fullScreen = true
        #expect(toolbar.buttons.suffix(2) == [.screens, .end])
    }
}
