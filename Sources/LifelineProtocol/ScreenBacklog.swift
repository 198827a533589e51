/// The screen updates one viewer has not been sent yet, merged into one (issue 21: several
/// viewers of one screen). The applet encodes each change once; a viewer that draws more slowly
/// than the others skips to the latest screen: what it missed is kept as tiles, and a tile that
/// later tiles paint over entirely is dropped, so the backlog stays about one screen's worth
/// however far behind the viewer falls.
///
/// Order is kept: a copy tile (scrolling) moves what the viewer shows at its point in the
/// sequence, so a tile its source reads from is never dropped in favour of a later one.
public struct ScreenBacklog: Sendable {
    public private(set) var sequence: UInt32 = 0
    public private(set) var screenWidth: UInt16 = 0
    public private(set) var screenHeight: UInt16 = 0
    public private(set) var tiles: [ScreenUpdate.Tile] = []
    /// Bytes of tile data held.
    public private(set) var byteCount = 0
    /// The size after the last compaction: the next one waits until the backlog doubled.
    private var compactedByteCount = 0

    public init() {}

    public var isEmpty: Bool { tiles.isEmpty }

    /// Video tiles held: each follows on the ones before, so none can be skipped (issue 23).
    public var videoTileCount: Int { tiles.reduce(0) { $0 + ($1.encoding == .video ? 1 : 0) } }

    /// Whether the merged update fits one frame of the protocol.
    public var fitsOneFrame: Bool {
        tiles.count <= ScreenUpdate.maximumTiles
            && ScreenUpdate.headerBytes + tiles.count * ScreenUpdate.tileHeaderBytes + byteCount <= ScreenUpdate.maximumFrameBytes
    }

    /// Adds the next update; one of another screen size replaces everything before it (the
    /// applet sends the whole of a new screen first).
    public mutating func add(_ update: ScreenUpdate) {
        if update.screenWidth != screenWidth || update.screenHeight != screenHeight || Self.repaintsAll(update) {
            self = ScreenBacklog()
            screenWidth = update.screenWidth
            screenHeight = update.screenHeight
        }
        sequence = update.sequence
        tiles += update.tiles
        byteCount += update.tiles.reduce(0) { $0 + $1.bytes.count }
        if byteCount > max(2 * compactedByteCount, 256 * 1024) || tiles.count > ScreenUpdate.maximumTiles { compact() }
    }

    /// The merged update, and the backlog emptied; nil when there is nothing to send.
    public mutating func take() -> ScreenUpdate? {
        guard !tiles.isEmpty else { return nil }
        compact()
        defer {
            tiles = []
            byteCount = 0
            compactedByteCount = 0
        }
        return ScreenUpdate(sequence: sequence, screenWidth: screenWidth, screenHeight: screenHeight, tiles: tiles)
    }

    /// Drops every tile that later tiles paint over entirely. Walks from the newest: `covered`
    /// is what the tiles after the one looked at paint; a copy tile kept paints its destination
    /// but needs what is under its source as it was, so its source is taken out of `covered`.
    ///
    /// A video frame paints only its changed parts, and follows on the frames before it: one is
    /// dropped only when a later key frame started the video again and later tiles paint over
    /// everything it painted.
    public mutating func compact() {
        var covered: [PixelRect] = []
        var kept: [ScreenUpdate.Tile] = []
        var keyFrameLater = false
        for tile in tiles.reversed() {
            let (areas, keyFrame) = PixelRect.painted(by: tile)
            let needed = tile.encoding == .video && !keyFrameLater
            // A region too cut up to reason about keeps everything older: keeping is always right.
            if !needed, covered.count <= Self.maximumRegionPieces, areas.allSatisfy({ $0.isCovered(by: covered) }) { continue }
            kept.append(tile)
            if keyFrame { keyFrameLater = true }
            if covered.count <= Self.maximumRegionPieces {
                covered += areas
                if tile.encoding == .copy, let source = PixelRect(copySourceOf: tile) {
                    covered = covered.flatMap { $0.subtracting(source) }
                }
            }
        }
        tiles = kept.reversed()
        byteCount = tiles.reduce(0) { $0 + $1.bytes.count }
        compactedByteCount = byteCount
    }

    /// Whether the update paints every pixel of its screen without reading the old picture: a
    /// viewer that lost track can start again from it.
    public static func repaintsAll(_ update: ScreenUpdate) -> Bool {
        var missing = [PixelRect(x: 0, y: 0, width: Int(update.screenWidth), height: Int(update.screenHeight))]
        // A video frame paints only parts, and a viewer that lost track cannot decode one that follows others.
        for tile in update.tiles where tile.encoding != .copy && tile.encoding != .video {
            missing = missing.flatMap { $0.subtracting(PixelRect(tile)) }
            if missing.isEmpty { return true }
            if missing.count > maximumRegionPieces { return false }
        }
        return missing.isEmpty
    }

    static let maximumRegionPieces = 512
}

/// A rectangle of screen pixels, for working out which tiles later tiles cover (and, in the
/// applet, what of a change lies outside the video).
public struct PixelRect: Equatable, Sendable {
    public let x: Int
    public let y: Int
    public let width: Int
    public let height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    init(_ tile: ScreenUpdate.Tile) {
        self.init(x: Int(tile.x), y: Int(tile.y), width: Int(tile.width), height: Int(tile.height))
    }

    /// What a tile paints — its rectangle, or a video tile's changed parts (nothing when
    /// malformed: the gateway relays only checked frames) — and whether it is a video key frame.
    static func painted(by tile: ScreenUpdate.Tile) -> (areas: [PixelRect], keyFrame: Bool) {
        guard tile.encoding == .video else { return ([PixelRect(tile)], false) }
        var parts: [PixelRect] = []
        do {
            let frame = try VideoTile.walk(tile.bytes[...], width: tile.width, height: tile.height) { part in
                parts.append(PixelRect(x: Int(tile.x) + Int(part.x), y: Int(tile.y) + Int(part.y), width: Int(part.width), height: Int(part.height)))
            }
            return (parts, VideoTile.isKeyFrame(frame))
        } catch {
            return ([], false)
        }
    }

    /// Where a copy tile reads from (its payload holds the source's top left corner).
    init?(copySourceOf tile: ScreenUpdate.Tile) {
        guard tile.encoding == .copy, tile.bytes.count == 4 else { return nil }
        let sourceX = Int(tile.bytes[0]) << 8 | Int(tile.bytes[1]), sourceY = Int(tile.bytes[2]) << 8 | Int(tile.bytes[3])
        self.init(x: sourceX, y: sourceY, width: Int(tile.width), height: Int(tile.height))
    }

    var right: Int { x + width }
    var bottom: Int { y + height }

    /// What is left of this rectangle once `other` is taken out: up to four pieces.
    public func subtracting(_ other: PixelRect) -> [PixelRect] {
        let left = max(x, other.x), top = max(y, other.y), right = min(self.right, other.right), bottom = min(self.bottom, other.bottom)
        guard left < right, top < bottom else { return [self] }
        var pieces: [PixelRect] = []
        if top > y { pieces.append(PixelRect(x: x, y: y, width: width, height: top - y)) }
        if bottom < self.bottom { pieces.append(PixelRect(x: x, y: bottom, width: width, height: self.bottom - bottom)) }
        if left > x { pieces.append(PixelRect(x: x, y: top, width: left - x, height: bottom - top)) }
        if right < self.right { pieces.append(PixelRect(x: right, y: top, width: self.right - right, height: bottom - top)) }
        return pieces
    }

    /// Whether the rectangles in `region` together cover this one (gives up, answering no, when
    /// the remainder breaks into too many pieces).
    func isCovered(by region: [PixelRect]) -> Bool {
        var remainder = [self]
        for piece in region {
            remainder = remainder.flatMap { $0.subtracting(piece) }
            if remainder.isEmpty { return true }
            if remainder.count > 64 { return false }
        }
        return remainder.isEmpty
    }
}
