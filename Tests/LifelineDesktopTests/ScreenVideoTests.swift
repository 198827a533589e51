import Testing
import LifelineProtocol
@testable import LifelineDesktop

/// The customer's moving regions as video (issue 23): which rectangle, its encoder, and the tiles.
@Suite("Moving regions of the customer's screen go as VP8 video")
struct ScreenVideoTests {
    static let screen = (width: 1024, height: 768)

    static func rect(_ x: Int, _ y: Int, _ width: Int, _ height: Int) -> ScreenRect { ScreenRect(x: x, y: y, width: width, height: height) }

    @Test("the region starts with enough moving tiles, grows with the movement, and ends once still", arguments: [
        // (moving bounds, moving tiles, changed inside, seconds, expected step)
        [(rect(0, 0, 64, 64), 1, false, 0.0, VideoRegion.Step.none)],
        // A terminal's band of new lines: many tiles, one row of them.
        [(rect(0, 640, 1024, 64), 16, false, 0.0, .none)],
        [(rect(64, 128, 192, 128), 6, false, 0.0, .start(rect(64, 128, 192, 128))),
         (rect(64, 128, 192, 128), 6, true, 0.5, .keep(rect(64, 128, 192, 128))),
         (rect(64, 128, 128, 64), 2, true, 1.2, .keep(rect(64, 128, 192, 128))),
         (rect(64, 128, 192, 192), 9, true, 1.3, .start(rect(64, 128, 192, 192))),
         (rect(64, 128, 192, 192), 0, false, 2.2, .keep(rect(64, 128, 192, 192))),
         (rect(64, 128, 192, 192), 0, false, 2.35, .stop),
         (rect(64, 128, 192, 192), 0, false, 2.4, .none)],
        // Clamped to the screen's edge, with an even size.
        [(rect(960, 704, 128, 128), 6, false, 0.0, .start(rect(960, 704, 64, 64)))],
    ] as [[(ScreenRect, Int, Bool, Double, VideoRegion.Step)]])
    func regionSteps(steps: [(ScreenRect, Int, Bool, Double, VideoRegion.Step)]) {
        var region = VideoRegion()
        for (bounds, tiles, inside, now, expected) in steps {
            let moving = tiles > 0 ? (bounds: bounds, tiles: tiles) : nil
            #expect(region.next(moving: moving, changedInside: inside, at: now, screenWidth: Self.screen.width, screenHeight: Self.screen.height) == expected)
        }
    }

    @Test("after a scroll no video starts for a second")
    func heldAfterScroll() {
        var region = VideoRegion()
        region.hold(until: 1.0)
        let moving = (bounds: Self.rect(64, 128, 192, 128), tiles: 6)
        #expect(region.next(moving: moving, changedInside: false, at: 0.5, screenWidth: 1024, screenHeight: 768) == .none)
        #expect(region.next(moving: moving, changedInside: false, at: 1.0, screenWidth: 1024, screenHeight: 768) == .start(Self.rect(64, 128, 192, 128)))
    }

    @Test("inside a running video a scroll is looked for once every ten updates, and one found ends the video")
    func scrollSearchNowAndThen() throws {
        let video = ScreenVideo()
        var motion = MotionTracker(width: 1024, height: 768)
        let film = Self.rect(128, 128, 320, 256)
        for now in [0.0, 0.033, 0.066] {
            motion.observe(changed: [film])
            motion.sent(film, degraded: true, picture: true, at: now)
        }
        var rects = [film]
        let started = Self.screen(video: 1).withImage { video.tile(taking: &rects, of: $0, motion: &motion, now: 0.1, settings: StreamSettings(video: true)) }
        #expect(started?.tile.encoding == .video)
        let inside = [Self.rect(200, 200, 64, 64)]
        let searches = (0..<20).map { _ in !video.skipsScrollSearch(in: inside) }
        #expect(searches.enumerated().filter(\.element).map(\.offset) == [9, 19])
        #expect(!video.skipsScrollSearch(in: [Self.rect(0, 0, 64, 64)]), "outside the video: always looked for")
        video.scrolled(at: 0.2)
        #expect(!video.skipsScrollSearch(in: inside), "no video any more")
        var again = [film]
        let held = Self.screen(video: 2).withImage { video.tile(taking: &again, of: $0, motion: &motion, now: 0.5, settings: StreamSettings(video: true)) }
        #expect(held == nil, "none for a second after the scroll")
    }

    @Test("only tiles that keep changing as pictures count as moving for video, not lossless text")
    func picturesOnly() {
        var motion = MotionTracker(width: 1024, height: 768)
        let text = Self.rect(0, 0, 256, 128), film = Self.rect(512, 384, 256, 128)
        for now in [0.0, 0.033, 0.066] {
            motion.observe(changed: [text, film])
            motion.sent(text, degraded: false, picture: false, at: now)
            motion.sent(film, degraded: true, picture: true, at: now)
        }
        let moving = motion.movingBounds()
        #expect(moving?.bounds == film && moving?.tiles == 8)
    }

    @Test("a rectangle is put on 16-pixel blocks with an even size inside an odd screen")
    func aligned() {
        #expect(VideoRegion.aligned(Self.rect(5, 7, 30, 30), screenWidth: 1023, screenHeight: 767) == Self.rect(0, 0, 48, 48))
        #expect(VideoRegion.aligned(Self.rect(992, 736, 64, 64), screenWidth: 1023, screenHeight: 767) == Self.rect(992, 736, 30, 30))
        #expect(VideoRegion.aligned(Self.rect(1022, 0, 64, 64), screenWidth: 1023, screenHeight: 767) == Self.rect(1008, 0, 14, 64))
        #expect(VideoRegion.aligned(Self.rect(0, 0, 64, 64), screenWidth: 1023, screenHeight: 1) == nil, "one pixel high: nothing to encode")
    }

    /// A 1024 × 768 screen, grey, with a 96 × 96 square of `colour` (BGR) whose left edge is at `squareX`.
    static func screen(squareX: Int, colour: (UInt8, UInt8, UInt8) = (30, 30, 220)) -> TestImage {
        let image = TestImage(width: 1024, height: 768, fill: 128)
        for row in 200..<296 {
            for column in squareX..<(squareX + 96) {
                let at = (row * 1024 + column) * 4
                (image.pixels[at], image.pixels[at + 1], image.pixels[at + 2]) = colour
            }
        }
        return image
    }

    @Test("the encoder's frame of a part of the screen decodes to that part's picture")
    func encoderRoundTrip() throws {
        let image = Self.screen(squareX: 160)
        let encoder = try VP8Encoder(sourceWidth: 320, sourceHeight: 192, width: 320, height: 192, bitsPerSecond: 2_000_000)
        let frame = try image.withImage { try encoder.encode($0, x: 96, y: 160, grayscale: false) }
        #expect(VideoTile.isKeyFrame(frame[...]), "the first frame stands alone")
        let decoded = TestImage(width: 320, height: 192)
        let decoder = try VP8Decoder()
        try decoded.pixels.withUnsafeMutableBytes { try decoder.decode(frame, into: $0.baseAddress!, bytesPerRow: 320 * 4, width: 320, height: 192) }
        func bgr(_ picture: TestImage, _ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(picture.pixels[(y * picture.width + x) * 4 + $0]) } }
        for (x, y) in [(10, 10), (100, 80), (300, 180), (64, 40)] {
            let expected = bgr(image, 96 + x, 160 + y), actual = bgr(decoded, x, y)
            #expect(zip(expected, actual).allSatisfy { abs($0 - $1) <= 12 }, "at \(x),\(y): \(actual) for \(expected)")
        }
        let next = try image.withImage { try encoder.encode($0, x: 96, y: 160, grayscale: false) }
        #expect(!VideoTile.isKeyFrame(next[...]))
        #expect(throws: DesktopError.self) { try image.withImage { try encoder.encode($0, x: 800, y: 0, grayscale: false) } }
    }

    @Test("a large moving region is encoded smaller, the same shape, and decodes to its picture scaled down")
    func scaledDown() throws {
        #expect(ScreenVideo.encodedSize(of: Self.rect(0, 0, 1920, 1080)) == (1024, 576))
        #expect(ScreenVideo.encodedSize(of: Self.rect(0, 0, 1024, 576)) == (1024, 576))
        #expect(ScreenVideo.encodedSize(of: Self.rect(64, 64, 320, 192)) == (320, 192))
        #expect(ScreenVideo.encodedSize(of: Self.rect(0, 0, 2560, 400)) == (1942, 302))
        let image = Self.screen(squareX: 160)
        let encoder = try VP8Encoder(sourceWidth: 320, sourceHeight: 192, width: 160, height: 96, bitsPerSecond: 1_000_000)
        let frame = try image.withImage { try encoder.encode($0, x: 96, y: 160, grayscale: false) }
        let decoded = TestImage(width: 160, height: 96)
        let decoder = try VP8Decoder()
        try decoded.pixels.withUnsafeMutableBytes { try decoder.decode(frame, into: $0.baseAddress!, bytesPerRow: 160 * 4, width: 160, height: 96) }
        func bgr(_ picture: TestImage, _ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(picture.pixels[(y * picture.width + x) * 4 + $0]) } }
        // The square (screen 160…255 × 200…295) is at 32…79 × 20…67 at half size; grey around it.
        #expect(zip(bgr(decoded, 55, 40), [30, 30, 220]).allSatisfy { abs($0 - $1) <= 16 })
        #expect(zip(bgr(decoded, 10, 80), [128, 128, 128]).allSatisfy { abs($0 - $1) <= 16 })
    }

    /// A grey 1024 × 768 screen where a 320 × 192 "video" at (128, 160) shows picture `index`:
    /// every pixel of it changes from one picture to the next, as in a film.
    static func screen(video index: Int) -> TestImage {
        let image = TestImage(width: 1024, height: 768, fill: 128)
        for row in 160..<352 {
            for column in 128..<448 {
                let at = (row * 1024 + column) * 4
                image.pixels[at] = UInt8((column * 3 + row + index * 7) & 0xFF)
                image.pixels[at + 1] = UInt8((column + row * 2 + index * 11) & 0xFF)
                image.pixels[at + 2] = UInt8((column * 2 + index * 5) & 0xFF)
            }
        }
        return image
    }

    /// The tiles of `updates` updates of that screen, through the streamer.
    static func stream(video: Bool, updates: Int) throws -> [[ScreenUpdate.Tile]] {
        var previous = [UInt8](repeating: 0, count: 1024 * 768 * 4)
        var motion = MotionTracker(width: 1024, height: 768)
        let streamVideo = ScreenVideo()
        let encoder = try JPEGEncoder()
        Self.screen(video: 0).withImage { image in
            ScreenStreamer.remember(ScreenRect(x: 0, y: 0, width: 1024, height: 768), of: image, in: &previous)
        }
        return try (1...updates).map { index in
            try Self.screen(video: index).withImage { image in
                try ScreenStreamer.tiles(for: ScreenStreamer.changedRects(previous, bytesPerRow: 4096, image: image), of: image, previous: &previous,
                                         bytesPerRow: 4096, moved: [], motion: &motion, video: streamVideo, now: Double(index) / 30,
                                         settings: StreamSettings(video: video), encoder: encoder)
            }
        }
    }

    @Test("a region that keeps changing goes as video from a key frame, only its changed parts drawn; without video, JPEG")
    func streamedAsVideo() throws {
        let withVideo = try Self.stream(video: true, updates: 12)
        let videoTiles = withVideo.flatMap { $0.filter { $0.encoding == .video } }
        try #require(videoTiles.count >= 8, "video from the third or so change on")
        let first = try VideoTile.decode(videoTiles[0].bytes[...], width: videoTiles[0].width, height: videoTiles[0].height)
        #expect(first.isKeyFrame)
        #expect(try videoTiles.dropFirst().allSatisfy { try !VideoTile.decode($0.bytes[...], width: $0.width, height: $0.height).isKeyFrame })
        #expect(videoTiles[0].x == 128 && videoTiles[0].y == 128 && videoTiles[0].width == 320 && videoTiles[0].height == 256,
                "the moving tiles' rectangle")
        #expect(first.parts.map { Int($0.width) * Int($0.height) }.reduce(0, +) == 320 * 192, "only what changed is drawn")
        let withoutVideo = try Self.stream(video: false, updates: 12)
        #expect(withoutVideo.allSatisfy { $0.allSatisfy { $0.encoding != .video } })
        #expect(withoutVideo.last?.contains { $0.encoding == .jpeg } == true)
    }

    @Test("frames taken closer together than a thirtieth of a second share its bits: a torn or doubled frame does not double the bytes")
    func framesShareTheBitRate() throws {
        func bytes(every seconds: Double) throws -> Int {
            let encoder = try VP8Encoder(sourceWidth: 320, sourceHeight: 192, width: 320, height: 192, bitsPerSecond: 1_000_000)
            return try (0..<40).map { index in
                try Self.screen(video: index).withImage { try encoder.encode($0, x: 128, y: 160, grayscale: false, sinceLast: seconds) }.count
            }.dropFirst(10).reduce(0, +)
        }
        let steady = try bytes(every: 1.0 / 30), twiceAsOften = try bytes(every: 1.0 / 60), afterPauses = try bytes(every: 2)
        #expect(Double(twiceAsOften) < Double(steady) * 0.7, "\(twiceAsOften) bytes at 60 a second against \(steady) at 30")
        #expect(Double(afterPauses) < Double(steady) * 1.2, "\(afterPauses) bytes after pauses: no bigger than at 30 a second")
    }
}

/// A screen whose picture is drawn in `strips` strips, each reported at once; then nothing changes.
private final class StripsCapturer: ScreenCapturer {
    var strips: Int
    init(strips: Int) { self.strips = strips }
    let width = 64, height = 64
    func capture() throws(DesktopError) -> ScreenImage { throw .encodingFailed("not used") }
    func mayHaveChanged() -> Bool { false }
    func waitForChange(milliseconds: Int32) -> Bool {
        guard strips > 0 else { return false }
        strips -= 1
        return true
    }
    let tellsChanges = true
    func movedWindows() -> [ScrollCopy] { [] }
}

@Suite("The streamer lets a picture drawn in strips finish while a video plays")
struct DrawingFinishesTests {
    @Test("it waits while strips keep coming, and stops waiting when they never stop")
    func waits() {
        let drawn = StripsCapturer(strips: 4)
        ScreenStreamer.waitForDrawingToFinish(drawn)
        #expect(drawn.strips == 0, "every strip waited for")
        let endless = StripsCapturer(strips: Int.max)
        let began = ContinuousClock.now
        ScreenStreamer.waitForDrawingToFinish(endless)
        // 16 ms; generous for a loaded machine.
        #expect(ContinuousClock.now - began < .seconds(1) && endless.strips < Int.max - 10)
    }
}
