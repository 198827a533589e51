import LifelineProtocol

/// Which part of the customer's screen goes as video (issue 23): the rectangle around the tiles
/// that keep changing (a video, an animation), once there are enough of them to be worth a video.
/// It grows when the movement spreads beyond it (a new video, starting with a key frame) and ends
/// once nothing in it changed for `stillSeconds`; what it sent blurred is then sharpened as tiles.
/// Pure: time is passed in.
public struct VideoRegion: Equatable, Sendable {
    public enum Step: Equatable, Sendable {
        /// No video.
        case none
        /// A new video of this rectangle, from a key frame.
        case start(ScreenRect)
        /// The video goes on.
        case keep(ScreenRect)
        /// The video ended.
        case stop
    }

    /// Moving tiles (of `TileDiff.tileSize`) needed before a video starts: a blinking caret or a
    /// spinner stays tiles.
    public static let minimumTiles = 6
    /// The moving tiles' rectangle is at least this wide and high (two 64-pixel tiles).
    public static let minimumSide = 128
    /// A video whose rectangle did not change for this long ends.
    public static let stillSeconds = 1.0
    /// Rectangles start on the encoder's 16-pixel blocks.
    public static let alignment = 16

    public private(set) var rect: ScreenRect?
    private var lastChange = 0.0
    /// No video starts before this time (just after a scroll, which copies carry better).
    private var heldUntil = -Double.infinity

    public init() {}

    /// The next update: `moving` is the rectangle around the tiles that keep changing and how
    /// many they are; `changedInside` whether anything in the current video's rectangle changed.
    public mutating func next(moving: (bounds: ScreenRect, tiles: Int)?, changedInside: Bool, at now: Double,
                              screenWidth: Int, screenHeight: Int) -> Step {
        // Enough moving tiles, over at least two rows and two columns of them (a line of new text is not a film).
        let enough = moving.flatMap {
            $0.tiles >= Self.minimumTiles && $0.bounds.width >= Self.minimumSide && $0.bounds.height >= Self.minimumSide ? $0.bounds : nil
        }
        guard let current = rect else {
            guard now >= heldUntil, let enough, let started = Self.aligned(enough, screenWidth: screenWidth, screenHeight: screenHeight) else { return .none }
            rect = started
            lastChange = now
            return .start(started)
        }
        if changedInside { lastChange = now }
        if let enough, !current.contains(enough),
           let grown = Self.aligned(current.union(enough), screenWidth: screenWidth, screenHeight: screenHeight), grown != current {
            rect = grown
            lastChange = now
            return .start(grown)
        }
        if now - lastChange >= Self.stillSeconds {
            rect = nil
            return .stop
        }
        return .keep(current)
    }

    /// Forgets the video (the whole screen is sent again, or video is no longer wanted).
    public mutating func reset() {
        rect = nil
    }

    /// Forgets the video, and starts none before `time`.
    public mutating func hold(until time: Double) {
        rect = nil
        heldUntil = time
    }

    /// `rect` on 16-pixel blocks inside the screen, with an even size (the colour planes are
    /// halved); nil when nothing is left.
    static func aligned(_ rect: ScreenRect, screenWidth: Int, screenHeight: Int) -> ScreenRect? {
        let left = max(0, rect.x) / alignment * alignment, top = max(0, rect.y) / alignment * alignment
        var right = min(screenWidth, (rect.x + rect.width + alignment - 1) / alignment * alignment)
        var bottom = min(screenHeight, (rect.y + rect.height + alignment - 1) / alignment * alignment)
        if (right - left) % 2 == 1 { right -= 1 }
        if (bottom - top) % 2 == 1 { bottom -= 1 }
        guard right - left >= 2, bottom - top >= 2 else { return nil }
        return ScreenRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}

extension ScreenRect {
    var right: Int { x + width }
    var bottom: Int { y + height }

    func contains(_ other: ScreenRect) -> Bool {
        other.x >= x && other.y >= y && other.right <= right && other.bottom <= bottom
    }

    func union(_ other: ScreenRect) -> ScreenRect {
        let left = min(x, other.x), top = min(y, other.y)
        return ScreenRect(x: left, y: top, width: max(right, other.right) - left, height: max(bottom, other.bottom) - top)
    }

    /// The part of this rectangle inside `other`; nil when they do not meet.
    func intersection(_ other: ScreenRect) -> ScreenRect? {
        let left = max(x, other.x), top = max(y, other.y), r = min(right, other.right), b = min(bottom, other.bottom)
        guard left < r, top < b else { return nil }
        return ScreenRect(x: left, y: top, width: r - left, height: b - top)
    }

    /// What is left of this rectangle once `other` is taken out: up to four pieces.
    func subtracting(_ other: ScreenRect) -> [ScreenRect] {
        PixelRect(x: x, y: y, width: width, height: height).subtracting(PixelRect(x: other.x, y: other.y, width: other.width, height: other.height))
            .map { ScreenRect(x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
    }
}
