import Foundation
import Testing
@testable import LifelineDesktop
import LifelineTestSupport

/// A BGRX image in memory for the pure parts (diff, JPEG); X11 itself is exercised end to end.
final class TestImage {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, fill: UInt8 = 0) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: fill, count: width * height * 4)
    }

    func set(x: Int, y: Int, blue: UInt8) { pixels[(y * width + x) * 4] = blue }

    func withImage<T>(_ body: (ScreenImage) throws -> T) rethrows -> T {
        try pixels.withUnsafeBytes { try body(ScreenImage(width: width, height: height, bytesPerRow: width * 4, pixels: $0.baseAddress!)) }
    }
}

@Suite("Change detection and JPEG tiles (J1)")
struct TileDiffTests {
    @Test("nothing changed: no rectangles; one pixel: that pixel; a changed line: one merged rectangle cut to its columns")
    func changedTiles() {
        let old = TestImage(width: 200, height: 130)
        let new = TestImage(width: 200, height: 130)
        old.withImage { o in new.withImage { n in #expect(TileDiff.changedRects(old: o, new: n).isEmpty) } }
        new.set(x: 70, y: 5, blue: 9)
        old.withImage { o in new.withImage { n in
            #expect(TileDiff.changedRects(old: o, new: n) == [ScreenRect(x: 70, y: 5, width: 1, height: 1)])
        } }
        new.set(x: 199, y: 129, blue: 9)
        new.set(x: 10, y: 129, blue: 9)
        new.set(x: 100, y: 129, blue: 9)
        new.set(x: 150, y: 128, blue: 9)
        old.withImage { o in new.withImage { n in
            #expect(TileDiff.changedRects(old: o, new: n) == [
                ScreenRect(x: 70, y: 5, width: 1, height: 1),
                // The last tile row is 2 pixels high and the last column 8 pixels wide; 4 tiles
                // merged, from the first changed column to the last.
                ScreenRect(x: 10, y: 128, width: 190, height: 2),
            ])
        } }
    }

    @Test("what a window moved sideways uncovers is one narrow rectangle down the tile rows; wide changes stay one per tile row")
    func strips() {
        let old = TestImage(width: 256, height: 256)
        let new = TestImage(width: 256, height: 256)
        // A 12-pixel strip from row 20 to row 219 (four tile rows), and a wide change in two tile rows.
        for y in 20..<220 { for x in 10..<22 { new.set(x: x, y: y, blue: 7) } }
        for y in 60..<70 { for x in 150..<250 { new.set(x: x, y: y, blue: 7) } }
        for y in 64..<130 { new.set(x: 240, y: y, blue: 7) }
        old.withImage { o in new.withImage { n in
            #expect(TileDiff.changedRects(old: o, new: n) == [
                ScreenRect(x: 10, y: 20, width: 12, height: 200),
                ScreenRect(x: 150, y: 60, width: 100, height: 4),
                ScreenRect(x: 150, y: 64, width: 100, height: 64),
                ScreenRect(x: 240, y: 128, width: 1, height: 2),
            ])
        } }
    }

    @Test("a tile becomes a real JPEG of the asked colour mode")
    func jpeg() throws {
        let image = TestImage(width: 128, height: 64, fill: 200)
        let encoder = try JPEGEncoder()
        let colour = try image.withImage { try encoder.encode($0, rect: ScreenRect(x: 64, y: 0, width: 64, height: 64), quality: 80, grayscale: false) }
        #expect(colour.prefix(2) == [0xFF, 0xD8])
        #expect(colour.suffix(2) == [0xFF, 0xD9])
        let gray = try image.withImage { try encoder.encode($0, rect: ScreenRect(x: 0, y: 0, width: 64, height: 64), quality: 30, grayscale: true) }
        #expect(gray.count < colour.count)
        // A picture sent again sharp keeps colour at every pixel: the luma's sampling factors in
        // the frame header are 1 × 1 (4:4:4), not 2 × 2 (4:2:0).
        let sharp = try image.withImage {
            try encoder.encode($0, rect: ScreenRect(x: 64, y: 0, width: 64, height: 64), quality: 80, grayscale: false, fullColour: true)
        }
        func lumaSampling(_ jpeg: [UInt8]) -> UInt8? {
            guard let frame = jpeg.indices.dropLast().first(where: { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }) else { return nil }
            return jpeg[frame + 11]
        }
        #expect(lumaSampling(colour) == 0x22 && lumaSampling(sharp) == 0x11)
    }

    @Test("flow control: no more than the window in flight; stale or future acks change nothing")
    func flowControl() async {
        let flow = FlowControl()
        await flow.didSend(1)
        await flow.didSend(2)
        #expect(await flow.inFlight == 2)
        await flow.acknowledged(5)
        #expect(await flow.inFlight == 2, "an ack for an update never sent is ignored")
        await flow.acknowledged(2)
        #expect(await flow.inFlight == 0)
        await flow.acknowledged(1)
        #expect(await flow.inFlight == 0)
        // A refinement (a still picture sent again) counts in flight but its drawing is not timed.
        await flow.didSend(3, timed: false)
        #expect(await flow.inFlight == 1)
        #expect(await flow.acknowledged(3) == nil)
        await flow.didSend(4)
        #expect(await flow.acknowledged(4) != nil)
    }
}

@Suite("Scroll detection (J1)")
struct ScrollDetectorTests {
    /// A "terminal" of distinct text-like rows; scrolling moves them up by `lines` rows of 8 pixels.
    func terminal(width: Int = 128, height: Int = 160, scrolledBy lines: Int) -> TestImage {
        let image = TestImage(width: width, height: height)
        for y in 0..<height {
            let line = y / 8 + lines
            for x in stride(from: (line * 7) % 13, to: width, by: 13) { image.set(x: x, y: y, blue: UInt8(truncatingIfNeeded: line * 31 + y % 8)) }
        }
        return image
    }

    @Test("a scroll by two text lines becomes one copy of the rows that stayed")
    func scrollUp() {
        let old = terminal(scrolledBy: 0)
        let new = terminal(scrolledBy: 2)
        let band = ScreenRect(x: 0, y: 0, width: 128, height: 160)
        let copy = old.withImage { o in new.withImage { n in ScrollDetector.detect(old: o, new: n, band: band) } }
        #expect(copy == ScrollCopy(destination: ScreenRect(x: 0, y: 0, width: 128, height: 144), sourceY: 16))
    }

    @Test("unrelated content is not mistaken for a scroll")
    func noScroll() {
        let old = terminal(scrolledBy: 0)
        let new = TestImage(width: 128, height: 160, fill: 77)
        let band = ScreenRect(x: 0, y: 0, width: 128, height: 160)
        #expect(old.withImage { o in new.withImage { n in ScrollDetector.detect(old: o, new: n, band: band) } } == nil)
    }
}

@Suite("Lossless palette tiles (J1)")
struct PaletteEncoderTests {
    @Test("two colours pack to one bit a pixel and inflate back exactly")
    func palette() throws {
        let image = TestImage(width: 10, height: 3, fill: 0)
        image.set(x: 0, y: 0, blue: 255)
        image.set(x: 9, y: 2, blue: 255)
        let packed = try #require(image.withImage { PaletteEncoder.encode($0, rect: ScreenRect(x: 0, y: 0, width: 10, height: 3), grayscale: false) })
        let raw = try inflate(packed)
        // 2 colours in order of appearance (blue is index 0, black 1), RGB each, then 2 bytes per
        // row of 10 one-bit pixels, padded with zero bits.
        #expect(raw == [2, 0, 0, 255, 0, 0, 0, 0b0111_1111, 0b1100_0000, 0b1111_1111, 0b1100_0000, 0b1111_1111, 0b1000_0000])
    }

    @Test("up to 256 colours (anti-aliased text) pack to a byte a pixel, 256 written as 0; more are left to JPEG")
    func manyColours() throws {
        let greys = TestImage(width: 300, height: 1)
        for x in 0..<300 { greys.set(x: x, y: 0, blue: UInt8(x % 32)) }
        let raw = try inflate(try #require(greys.withImage { PaletteEncoder.encode($0, rect: ScreenRect(x: 0, y: 0, width: 300, height: 1), grayscale: false) }))
        #expect(raw.count == 1 + 32 * 3 + 300)
        #expect(raw[0] == 32)
        #expect(Array(raw[(1 + 32 * 3)...]) == (0..<300).map { UInt8($0 % 32) })
        let full = TestImage(width: 256, height: 2)
        for x in 0..<256 { full.set(x: x, y: 0, blue: UInt8(x)) }
        let fullRaw = try inflate(try #require(full.withImage { PaletteEncoder.encode($0, rect: ScreenRect(x: 0, y: 0, width: 256, height: 2), grayscale: false) }))
        #expect(fullRaw[0] == 0, "256 colours")
        #expect(Array(fullRaw[(1 + 255 * 3)...(3 + 255 * 3)]) == [0, 0, 255], "the last colour: blue 255")
        #expect(Array(fullRaw[(1 + 256 * 3 + 256)...]) == [UInt8](repeating: 0, count: 256), "the second row is colour 0 (blue 0)")
        let busy = TestImage(width: 257, height: 2)
        for x in 0..<257 { busy.set(x: x, y: 0, blue: UInt8(x % 256)); busy.set(x: x, y: 1, blue: x == 256 ? 1 : 0) }
        busy.pixels[(1 * 257 + 256) * 4 + 1] = 1
        #expect(busy.withImage { PaletteEncoder.encode($0, rect: ScreenRect(x: 0, y: 0, width: 257, height: 2), grayscale: false) } == nil)
    }

    /// zlib's own inflate, to read back what was compressed.
    func inflate(_ bytes: [UInt8]) throws -> [UInt8] {
        try python("import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))", input: bytes)
    }
}

/// What a Python script prints for `input` on its standard input: a reader outside the applet.
func python(_ script: String, input bytes: [UInt8]) throws -> [UInt8] {
    try TestProgram.run("/usr/bin/python3", ["-c", script], input: bytes).output
}

@Suite("Moved windows (J1)")
struct MovedWindowTests {
    @Test("a window moved on screen is one copy; moved partly off screen, only what stays on both places")
    func clipping() {
        #expect(ScrollCopy.move(fromX: 10, fromY: 20, toX: 50, toY: 25, width: 100, height: 50, screenWidth: 800, screenHeight: 600)
                == ScrollCopy(destination: ScreenRect(x: 50, y: 25, width: 100, height: 50), sourceX: 10, sourceY: 20))
        #expect(ScrollCopy.move(fromX: -30, fromY: 0, toX: 750, toY: 0, width: 100, height: 10, screenWidth: 800, screenHeight: 600)
                == ScrollCopy(destination: ScreenRect(x: 780, y: 0, width: 20, height: 10), sourceX: 0, sourceY: 0))
        #expect(ScrollCopy.move(fromX: 0, fromY: 0, toX: 900, toY: 0, width: 100, height: 10, screenWidth: 800, screenHeight: 600) == nil)
    }
}
