#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol

/// How the screen is sent (J7): JPEG quality and colour, and how many updates may be on their way
/// before the console acknowledges one (flow control: a slow viewer gets fewer, fresher frames).
public struct StreamSettings: Equatable, Sendable {
    public var quality: Int
    public var grayscale: Bool
    /// Updates sent and not yet drawn by the console.
    public var window: Int
    /// The pause between two looks at an unchanged screen, for capturers that cannot tell changes.
    public var interval: Duration
    /// Every console that sees the screen decodes video: the moving part goes as VP8 (issue 23).
    public var video: Bool

    public init(quality: Int = 80, grayscale: Bool = false, window: Int = 2, interval: Duration = .milliseconds(15), video: Bool = false) {
        self.quality = quality
        self.grayscale = grayscale
        self.window = window
        self.interval = interval
        self.video = video
    }
}

/// Counts updates sent and drawn; shared by the streaming task and whoever receives the acks.
public actor FlowControl {
    private var sent: UInt32 = 0
    private var drawn: UInt32 = 0
    private var sentAt: [UInt32: ContinuousClock.Instant] = [:]

    public init() {}

    /// `timed`: how long the update takes to be drawn says how quick the viewer is (auto quality,
    /// J7). A still picture sent again sharp or exactly is not: large, and waited for by no one, it
    /// dropped auto to grayscale on a page stopped after a scroll.
    public func didSend(_ sequence: UInt32, timed: Bool = true, at instant: ContinuousClock.Instant = .now) {
        sent = sequence
        if timed { sentAt[sequence] = instant }
    }

    /// An ack for an update not yet sent is ignored, so a confused peer cannot open the window.
    /// Returns how long that update took from sending to drawn.
    @discardableResult
    public func acknowledged(_ sequence: UInt32, at instant: ContinuousClock.Instant = .now) -> Duration? {
        guard sequence <= sent && sequence > drawn else { return nil }
        drawn = sequence
        let delay = sentAt[sequence].map { instant - $0 }
        sentAt = sentAt.filter { $0.key > sequence }
        return delay
    }

    public var inFlight: Int { Int(sent - drawn) }

    private var refreshWanted = false

    /// The gateway wants the whole screen (a viewer joined or lost track): what is in flight is
    /// forgotten, so a stream waiting for acknowledgements that will not come goes on.
    public func requestRefresh() {
        refreshWanted = true
        drawn = sent
        sentAt = [:]
    }

    /// Whether the whole screen is wanted with the next update; asks once.
    public func takeRefresh() -> Bool {
        defer { refreshWanted = false }
        return refreshWanted
    }
}

/// Looks at the screen every few milliseconds and sends the tiles that changed, as
/// `ScreenUpdate` frames, while the flow-control window allows. Runs until cancelled.
public enum ScreenStreamer {
    public static func run(capturer: ScreenCapturer, cursor: CursorSource? = nil, origin: (x: Int, y: Int) = (0, 0),
                           encoder: JPEGEncoder, settings: @Sendable () async -> StreamSettings,
                           flow: FlowControl, send: @Sendable ([UInt8]) async -> Void) async throws {
        var cursorLookedAt = ContinuousClock.now - .seconds(1)
        var motion = MotionTracker(width: capturer.width, height: capturer.height)
        let video = ScreenVideo()
        let started = ContinuousClock.now
        func seconds() -> Double { Self.seconds(ContinuousClock.now - started) }
        // The last frame sent, to find what changed; kept only where it was sent.
        var previous: [UInt8] = []
        var previousBytesPerRow = 0
        var sequence: UInt32 = 0
        var lastChanged = 0.0
        func sendUpdate(_ tiles: [ScreenUpdate.Tile], width: Int, height: Int, refinement: Bool = false) async {
            sequence &+= 1
            await flow.didSend(sequence, timed: !refinement)
            await send(ScreenUpdate(sequence: sequence, screenWidth: UInt16(width), screenHeight: UInt16(height), tiles: tiles).encoded())
        }
        while !Task.isCancelled {
            // The pointer, about 60 times a second, outside flow control (a few bytes).
            if let cursor, ContinuousClock.now - cursorLookedAt >= .milliseconds(16) {
                cursorLookedAt = .now
                if let look = cursor.poll(origin: origin) { await send(Self.cursorFrame(look, width: capturer.width, height: capturer.height)) }
            }
            let current = await settings()
            // The next look sends the whole screen, as the first does.
            // A viewer that joins or lost track cannot decode a video that began before: it starts again.
            if await flow.takeRefresh() {
                previous = []
                video.reset()
            }
            if await flow.inFlight >= current.window {
                try await Task.sleep(for: .milliseconds(2))
                continue
            }
            // Nothing drawn since the last look (XDAMAGE wakes the wait at once): sharpen what was
            // sent blurred while it moved, or look again.
            // The wait is short so the pointer keeps being looked at ~60 times a second.
            guard previous.isEmpty || capturer.waitForChange(milliseconds: 8) else {
                // Still for the settle time: nothing is moving any more (a paused video), so what
                // it sent blurred becomes due.
                if seconds() - lastChanged >= MotionTracker.settleSeconds { motion.settle() }
                let due = motion.dueForRefinement(at: seconds(), width: capturer.width, height: capturer.height)
                if due.isEmpty {
                    await Task.yield()
                } else {
                    let lossless = MotionTracker.refinesLosslessly(quality: current.quality, grayscale: current.grayscale)
                    let tiles = try previous.withUnsafeBytes { old in
                        let shown = ScreenImage(width: capturer.width, height: capturer.height, bytesPerRow: previousBytesPerRow,
                                                pixels: old.baseAddress!)
                        return try due.flatMap {
                            try Self.encodedTiles(shown, rect: $0, quality: current.quality, grayscale: current.grayscale, encoder: encoder,
                                                  sharp: true, lossless: lossless)
                        }
                    }
                    // What went as a palette is text or a flat region now, not a picture (never video).
                    for tile in tiles where tile.encoding == .palette { motion.sent(tile.rect, degraded: false, picture: false, at: seconds()) }
                    await sendUpdate(tiles, width: capturer.width, height: capturer.height, refinement: true)
                }
                continue
            }
            // While a video plays, a frame drawn in several strips (a large picture is several X
            // requests) is let finish: half a frame encoded, then the rest, spends two frames'
            // bits on one and shows a torn picture between.
            if video.isPlaying && capturer.tellsChanges { Self.waitForDrawingToFinish(capturer) }
            let image = try capturer.capture()
            // The first look sends the whole screen.
            let firstLook = previous.isEmpty
            if firstLook { (previous, previousBytesPerRow) = ([UInt8](repeating: 0, count: image.bytesPerRow * image.height), image.bytesPerRow) }
            let rects = firstLook ? [ScreenRect(x: 0, y: 0, width: image.width, height: image.height)]
                : Self.changedRects(previous, bytesPerRow: previousBytesPerRow, image: image)
            if !rects.isEmpty {
                lastChanged = seconds()
                let tiles = try Self.tiles(for: rects, of: image, previous: &previous, bytesPerRow: previousBytesPerRow, moved: capturer.movedWindows(),
                                           motion: &motion, video: firstLook ? nil : video, now: seconds(), settings: current, encoder: encoder)
                await sendUpdate(tiles, width: image.width, height: image.height)
            }
            // A capturer that cannot tell when the screen changes is looked at every `interval`.
            if rects.isEmpty && !capturer.tellsChanges { try await Task.sleep(for: current.interval) }
        }
    }

    /// Waits while the screen keeps changing with pauses under 2 ms, for at most 16 ms.
    static func waitForDrawingToFinish(_ capturer: ScreenCapturer) {
        let began = ContinuousClock.now
        while ContinuousClock.now - began < .milliseconds(16), capturer.waitForChange(milliseconds: 2) {}
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func changedRects(_ previous: [UInt8], bytesPerRow: Int, image: ScreenImage) -> [ScreenRect] {
        previous.withUnsafeBytes { old in
            TileDiff.changedRects(old: ScreenImage(width: image.width, height: image.height, bytesPerRow: bytesPerRow, pixels: old.baseAddress!),
                                  new: image)
        }
    }

    /// The tiles that bring the viewer from `previous` to `image` (which `previous` becomes): a
    /// moved window or a scroll copies what the viewer already has, then only what came into view
    /// is encoded; moving regions go as video (`video`, issue 23) or at a lower quality, sharpened
    /// once they stop.
    static func tiles(for changed: [ScreenRect], of image: ScreenImage, previous: inout [UInt8], bytesPerRow: Int, moved windows: [ScrollCopy],
                      motion: inout MotionTracker, video: ScreenVideo? = nil, now: Double, settings current: StreamSettings,
                      encoder: JPEGEncoder) throws -> [ScreenUpdate.Tile] {
        var tiles: [ScreenUpdate.Tile] = []
        var rects = changed
        let moved = windows.filter { Self.matches($0, previous: previous, bytesPerRow: bytesPerRow, image: image) }
        // Inside a running video a scroll is looked for only now and then (a film does not scroll).
        let copies = moved.isEmpty
            ? (video?.skipsScrollSearch(in: rects) == true ? []
                : [Self.scroll(previous: previous, bytesPerRow: bytesPerRow, image: image, changed: rects)].compactMap { $0 })
            : moved
        if !copies.isEmpty { video?.scrolled(at: now) }
        for copy in copies {
            Self.apply(copy, to: &previous, bytesPerRow: bytesPerRow)
            let d = copy.destination
            motion.copied(from: ScreenRect(x: copy.sourceX, y: copy.sourceY, width: d.width, height: d.height), to: d, at: now)
            tiles.append(ScreenUpdate.Tile(x: UInt16(d.x), y: UInt16(d.y), width: UInt16(d.width), height: UInt16(d.height),
                                           encoding: .copy, bytes: ScreenUpdate.copySource(x: copy.sourceX, y: copy.sourceY)))
        }
        if !copies.isEmpty { rects = changedRects(previous, bytesPerRow: bytesPerRow, image: image) }
        tiles.reserveCapacity(tiles.count + rects.count)
        motion.observe(changed: rects)
        if let (tile, parts) = video?.tile(taking: &rects, of: image, motion: &motion, now: now, settings: current) {
            tiles.append(tile)
            for part in parts { remember(part, of: image, in: &previous) }
        }
        for rect in rects {
            // What a scroll or a moved window brought into view is new content, not a moving
            // picture: it goes at the chosen quality, so a page stopped mid-scroll is sharp at once.
            let moving = copies.isEmpty && motion.isMoving(rect)
            let quality = moving ? MotionTracker.motionQuality(for: current.quality) : current.quality
            let colours = moving ? PaletteEncoder.movingColours : PaletteEncoder.maximumColours
            // A picture is sent again once still: losslessly, or at the chosen quality when it went lower.
            let refined = quality < current.quality || MotionTracker.refinesLosslessly(quality: current.quality, grayscale: current.grayscale)
            for tile in try Self.encodedTiles(image, rect: rect, quality: quality, grayscale: current.grayscale, encoder: encoder,
                                              paletteColours: colours) {
                motion.sent(tile.rect, degraded: tile.encoding == .jpeg && refined, picture: tile.encoding == .jpeg, at: now)
                tiles.append(tile)
            }
            remember(rect, of: image, in: &previous)
        }
        return tiles
    }

    /// `previous` holds what the viewer was sent for `rect`: the image's pixels there.
    static func remember(_ rect: ScreenRect, of image: ScreenImage, in previous: inout [UInt8]) {
        previous.withUnsafeMutableBytes { old in
            for row in rect.y..<(rect.y + rect.height) {
                let offset = row * image.bytesPerRow + rect.x * 4
                memcpy(old.baseAddress! + offset, image.pixels + offset, rect.width * 4)
            }
        }
    }

    static func cursorFrame(_ look: CursorLook, width: Int, height: Int) -> [UInt8] {
        let shape = look.shape.map {
            CursorUpdate.Shape(hotX: UInt16($0.hotX), hotY: UInt16($0.hotY), width: UInt16($0.width), height: UInt16($0.height), rgba: $0.rgba)
        }
        return CursorUpdate(x: UInt16(clamping: min(max(look.x, 0), width)), y: UInt16(clamping: min(max(look.y, 0), height)),
                            shape: shape).encoded()
    }

    /// Finds a scroll in the bounding box of the changed tiles.
    static func scroll(previous: [UInt8], bytesPerRow: Int, image: ScreenImage, changed: [ScreenRect]) -> ScrollCopy? {
        let left = changed.map(\.x).min()!, top = changed.map(\.y).min()!
        let right = changed.map { $0.x + $0.width }.max()!, bottom = changed.map { $0.y + $0.height }.max()!
        let band = ScreenRect(x: left, y: top, width: right - left, height: bottom - top)
        return previous.withUnsafeBytes { old in
            ScrollDetector.detect(old: ScreenImage(width: image.width, height: image.height, bytesPerRow: bytesPerRow, pixels: old.baseAddress!),
                                  new: image, band: band)
        }
    }

    /// Whether the new frame really shows, at the destination, what the viewer shows at the source
    /// (a window hint is only used when the pixels agree).
    static func matches(_ copy: ScrollCopy, previous: [UInt8], bytesPerRow: Int, image: ScreenImage) -> Bool {
        let d = copy.destination
        return previous.withUnsafeBytes { old in
            (0..<d.height).allSatisfy { row in
                memcmp(old.baseAddress! + (copy.sourceY + row) * bytesPerRow + copy.sourceX * 4,
                       image.pixels + (d.y + row) * image.bytesPerRow + d.x * 4, d.width * 4) == 0
            }
        }
    }

    /// Applies a copy to `previous`, as the viewer applies it to what it shows.
    static func apply(_ copy: ScrollCopy, to previous: inout [UInt8], bytesPerRow: Int) {
        let d = copy.destination
        let rowBytes = d.width * 4
        previous.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            // Rows are moved in the order that never reads a row already overwritten.
            let rows = copy.sourceY > d.y ? Array(0..<d.height) : Array((0..<d.height).reversed())
            for row in rows {
                memmove(base + (d.y + row) * bytesPerRow + d.x * 4, base + (copy.sourceY + row) * bytesPerRow + copy.sourceX * 4, rowBytes)
            }
        }
    }
}
