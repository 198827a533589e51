/// Regions that keep changing (video, animations) are sent at a lower JPEG quality, which the eye
/// does not notice in motion and which halves their bytes; once a region stops changing, it is
/// sent again at full quality (progressive refinement). Pure: time is passed in.
public struct MotionTracker: Sendable {
    public let tileSize: Int
    let columns: Int
    let rows: Int
    /// For each tile, in how many updates in a row it changed.
    private var streak: [UInt8]
    /// For each tile sent at the lower quality, when; nil when what the viewer shows is sharp.
    private var degradedAt: [Double?]
    /// For each tile, whether it last went as a picture (JPEG or video) rather than lossless
    /// few-colour text: only pictures become video (issue 23).
    private var picture: [Bool]

    /// A tile that changed in this many updates in a row is moving.
    public static let movingAfter: UInt8 = 3
    /// A degraded tile unchanged for this long is sent again sharp: soon enough that a stopped
    /// picture is sharp before the eye settles on it, long after a video's next frame (10 a second
    /// at the slowest) would have changed it.
    public static let settleSeconds = 0.1

    public init(width: Int, height: Int, tileSize: Int = TileDiff.tileSize) {
        self.tileSize = tileSize
        columns = (width + tileSize - 1) / tileSize
        rows = (height + tileSize - 1) / tileSize
        streak = Array(repeating: 0, count: columns * rows)
        degradedAt = Array(repeating: nil, count: columns * rows)
        picture = Array(repeating: false, count: columns * rows)
    }

    /// The JPEG quality for moving regions at a chosen quality.
    public static func motionQuality(for quality: Int) -> Int { min(quality, 50) }

    /// Whether a still picture is sent again losslessly (PNG): at the highest colour quality — a
    /// photo on a web page exactly as the customer sees it, at once (a first step at JPEG 95 left
    /// the page 150 ms after a scroll at SSIM 0.998 where straight to PNG gives 0.9998, for 6 %
    /// more bytes: docs/benchmarks.md). At the lower ones it goes again as JPEG at the quality the
    /// technician chose (they asked for fewer bytes), in full colour.
    public static func refinesLosslessly(quality: Int, grayscale: Bool) -> Bool { quality >= 85 && !grayscale }

    private func tiles(of rect: ScreenRect) -> [Int] {
        guard rect.width > 0, rect.height > 0 else { return [] }
        let left = rect.x / tileSize, right = min(columns - 1, (rect.x + rect.width - 1) / tileSize)
        let top = rect.y / tileSize, bottom = min(rows - 1, (rect.y + rect.height - 1) / tileSize)
        guard left <= right, top <= bottom else { return [] }
        return (top...bottom).flatMap { row in (left...right).map { row * columns + $0 } }
    }

    /// One update's changed regions: their tiles' streaks grow, every other tile's ends.
    public mutating func observe(changed: [ScreenRect]) {
        var touched = [Bool](repeating: false, count: streak.count)
        for rect in changed { for tile in tiles(of: rect) { touched[tile] = true } }
        for index in streak.indices {
            streak[index] = touched[index] ? streak[index] &+ (streak[index] < 200 ? 1 : 0) : 0
        }
    }

    /// Nothing changed for a while: no tile is moving any more.
    public mutating func settle() {
        for index in streak.indices where streak[index] != 0 { streak[index] = 0 }
    }

    public func isMoving(_ rect: ScreenRect) -> Bool {
        tiles(of: rect).contains { streak[$0] >= Self.movingAfter }
    }

    /// The rectangle around every moving tile that last went as a picture (text that keeps
    /// changing, a terminal's new lines, stays lossless), and how many they are; nil when none.
    public func movingBounds() -> (bounds: ScreenRect, tiles: Int)? {
        var count = 0, left = columns, right = -1, top = rows, bottom = -1
        for index in streak.indices where streak[index] >= Self.movingAfter && picture[index] {
            count += 1
            let column = index % columns, row = index / columns
            left = min(left, column)
            right = max(right, column)
            top = min(top, row)
            bottom = max(bottom, row)
        }
        guard count > 0 else { return nil }
        return (ScreenRect(x: left * tileSize, y: top * tileSize, width: (right - left + 1) * tileSize, height: (bottom - top + 1) * tileSize), count)
    }

    /// What was sent for `rect`: at the lower quality (to refine later) or sharp; as a picture
    /// (JPEG or video) or as lossless text.
    public mutating func sent(_ rect: ScreenRect, degraded: Bool, picture isPicture: Bool = true, at now: Double) {
        for tile in tiles(of: rect) {
            degradedAt[tile] = degraded ? now : nil
            picture[tile] = isPicture
        }
    }

    /// A copy (a scroll, a moved window) moved what the viewer shows: where it lands shows what the
    /// source showed, so a picture not yet sharp there is still to be sent again, from `now`.
    public mutating func copied(from source: ScreenRect, to destination: ScreenRect, at now: Double) {
        guard tiles(of: source).contains(where: { degradedAt[$0] != nil }) else { return }
        for tile in tiles(of: destination) { degradedAt[tile] = now }
    }

    /// What is due to be sent again, as runs of tiles per tile row: regions sent degraded that
    /// stopped changing `settleSeconds` ago (the caller sends them sharp: PNG, or JPEG in full
    /// colour at the chosen quality). They count as sharp from now on.
    public mutating func dueForRefinement(at now: Double, width: Int, height: Int) -> [ScreenRect] {
        Self.runs(columns: columns, rows: rows, tileSize: tileSize, width: width, height: height) { index in
            guard let at = degradedAt[index], streak[index] == 0, now - at >= Self.settleSeconds else { return false }
            degradedAt[index] = nil
            return true
        }
    }

    /// The tiles `take` takes (it is asked once per tile, in order), as runs per tile row.
    private static func runs(columns: Int, rows: Int, tileSize: Int, width: Int, height: Int, take: (Int) -> Bool) -> [ScreenRect] {
        var rects: [ScreenRect] = []
        for row in 0..<rows {
            var start: Int?
            for column in 0...columns {
                let taken = column < columns && take(row * columns + column)
                if taken, start == nil { start = column }
                if !taken, let first = start {
                    let x = first * tileSize, y = row * tileSize
                    rects.append(ScreenRect(x: x, y: y, width: min(column * tileSize, width) - x, height: min(tileSize, height - y)))
                    start = nil
                }
            }
        }
        return rects
    }
}
