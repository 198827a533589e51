import Testing
@testable import LifelineDesktop

/// The customer's buttons over the technician's screen (H1): where they are, which one a click
/// hits, End only in full screen, and their pixels.
@Suite("The buttons of the customer's window (H1)")
struct SharedScreenToolbarTests {
    @Test("a click finds its button; between buttons and below the strip nothing; End only in full screen")
    func hits() {
        var toolbar = SharedScreenToolbar()
        #expect(toolbar.buttons == [.fullScreen, .zoomOut, .zoomIn, .fit, .magnifier, .colours])
        #expect(toolbar.button(atX: 10, y: 10) == .fullScreen)
        #expect(toolbar.button(atX: 4 + 32 + 5, y: 10) == .zoomOut)
        #expect(toolbar.button(atX: 4 + 28 + 1, y: 10) == nil, "the gap between two buttons")
        #expect(toolbar.button(atX: 10, y: SharedScreenToolbar.height + 5) == nil, "the picture below the strip")
        #expect(toolbar.button(atX: toolbar.width + 10, y: 10) == nil)
        toolbar.fullScreen = true
        #expect(toolbar.buttons.last == .end)
        #expect(toolbar.button(atX: 4 + 6 * 32 + 5, y: 10) == .end)
    }

    @Test("drawn over the window's top-left corner only; the magnifier's button lit while it is on")
    func drawn() {
        var toolbar = SharedScreenToolbar()
        var window = [UInt32](repeating: 0x0012_3456, count: 400 * 100)
        window.withUnsafeMutableBytes { toolbar.render(into: $0.baseAddress!, width: 400, height: 100) }
        #expect(window[2 * 400 + 2] == SharedScreenToolbar.backdrop)
        #expect(window[6 * 400 + 6] == SharedScreenToolbar.buttonColour)
        #expect(window[50 * 400 + 10] == 0x0012_3456 && window[10 * 400 + 390] == 0x0012_3456, "the picture outside the strip")
        let magnifierAt = 4 + 4 * 32 + 1
        toolbar.magnifierOn = true
        window.withUnsafeMutableBytes { toolbar.render(into: $0.baseAddress!, width: 400, height: 100) }
        #expect(window[5 * 400 + magnifierAt] == SharedScreenToolbar.litColour)
        // A window narrower than the strip is drawn as far as it goes, never past it.
        var narrow = [UInt32](repeating: 0, count: 50 * 20)
        narrow.withUnsafeMutableBytes { toolbar.render(into: $0.baseAddress!, width: 50, height: 20) }
        #expect(narrow[19 * 50 + 49] != 0)
    }
}
