import Testing
import LifelineProtocol
@testable import LifelineDesktop

/// The technician's screen as the customer's applet paints and shows it (H1): tiles decoded into
/// the picture, a copy tile, and the view's fit, zoom and magnifier.
@Suite("The technician's screen in the customer's window (H1)")
struct SharedPictureTests {
    /// A `width` × 64 JPEG tile of one grey level.
    static func tile(level: UInt8, width: Int = 64) throws -> [UInt8] {
        let image = TestImage(width: width, height: 64, fill: level)
        let encoder = try JPEGEncoder()
        return try image.withImage { try encoder.encode($0, rect: ScreenRect(x: 0, y: 0, width: width, height: 64), quality: 95, grayscale: false) }
    }

    /// 128 × 64: light on the left half (200), dark on the right (40).
    static func twoToned() throws -> ScreenUpdate {
        ScreenUpdate(sequence: 1, screenWidth: 128, screenHeight: 64, tiles: [
            .init(x: 0, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: try Self.tile(level: 200)),
            .init(x: 64, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: try Self.tile(level: 40)),
        ])
    }

    static func pixel(_ picture: SharedPicture, _ x: Int, _ y: Int) -> UInt8 { picture.pixels[(y * picture.width + x) * 4] }

    @Test("JPEG tiles land where they belong; a copy tile moves what is shown; a new size starts black")
    func paint() throws {
        let picture = try SharedPicture()
        try picture.apply(Self.twoToned())
        #expect(abs(Int(Self.pixel(picture, 10, 10)) - 200) < 6 && abs(Int(Self.pixel(picture, 100, 10)) - 40) < 6)
        try picture.apply(ScreenUpdate(sequence: 2, screenWidth: 128, screenHeight: 64, tiles: [
            .init(x: 64, y: 0, width: 64, height: 64, encoding: .copy, bytes: ScreenUpdate.copySource(x: 0, y: 0)),
        ]))
        #expect(abs(Int(Self.pixel(picture, 100, 10)) - 200) < 6)
        // A tile whose JPEG is not the size it claims is refused, not painted half.
        #expect(throws: DesktopError.self) {
            try picture.apply(ScreenUpdate(sequence: 3, screenWidth: 128, screenHeight: 64, tiles: [
                .init(x: 0, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: try Self.tile(level: 90, width: 32)),
            ]))
        }
        try picture.apply(ScreenUpdate(sequence: 4, screenWidth: 64, screenHeight: 64, tiles: []))
        #expect(picture.width == 64 && Self.pixel(picture, 10, 10) == 0)
    }

    @Test("fitted by default; zoom steps in and out and back to fit")
    func zoom() {
        var view = SharedPictureView()
        #expect(view.scale(picture: (1280, 800), window: (640, 800)) == 2, "the wider side decides")
        view.zoomIn()
        #expect(view.zoom == 1.5 && view.scale(picture: (1280, 800), window: (640, 800)) == 1 / 1.5)
        view.zoomOut()
        view.zoomOut()
        #expect(view.zoom == 0.75)
        for _ in 0..<10 { view.zoomOut() }
        #expect(view.zoom == SharedPictureView.zoomSteps.first)
        view.fit()
        #expect(view.zoom == nil)
    }

    @Test("rendering fits the picture; the magnifier shows what lies under the pointer, framed")
    func render() throws {
        let picture = try SharedPicture()
        try picture.apply(Self.twoToned())
        var window = [UInt32](repeating: 0xDEAD, count: 64 * 64)
        var view = SharedPictureView()
        window.withUnsafeMutableBytes { view.render(picture, into: $0.baseAddress!, width: 64, height: 64) }
        // Half size: left half light, right half dark, below the picture black.
        #expect(abs(Int(window[5 * 64 + 5] & 0xFF) - 200) < 6 && abs(Int(window[5 * 64 + 50] & 0xFF) - 40) < 6)
        #expect(window[50 * 64 + 5] == 0)
        view.magnifier = true
        view.pointer = (x: 20, y: 10)
        window.withUnsafeMutableBytes { view.render(picture, into: $0.baseAddress!, width: 64, height: 64) }
        #expect(window[0] == 0x00FF_D000, "the magnifier's frame")
        #expect(abs(Int(window[20 * 64 + 20] & 0xFF) - 200) < 6)
        // At 100 % the rows are copied as they are; beyond the picture, black.
        var wide = [UInt32](repeating: 0xDEAD, count: 160 * 80)
        view = SharedPictureView()
        view.zoom = 1
        wide.withUnsafeMutableBytes { view.render(picture, into: $0.baseAddress!, width: 160, height: 80) }
        #expect(abs(Int(wide[5 * 160 + 5] & 0xFF) - 200) < 6 && abs(Int(wide[5 * 160 + 100] & 0xFF) - 40) < 6)
        #expect(wide[5 * 160 + 150] == 0 && wide[70 * 160 + 5] == 0)
    }
}
