#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Which parts of the screen changed since the last frame (J1): the screen is cut into square
/// tiles; a tile is dirty when any of its rows differ. Adjacent dirty tiles of a tile row are
/// merged and cut down to the rows and columns that changed, so a changed line of text is one thin
/// image; a strip narrower than a tile that goes on in the next tile row with the same columns
/// (what a window moved sideways uncovers) is one rectangle, not one per tile row.
public struct ScreenRect: Equatable, Sendable {
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

    /// The part of this rectangle inside `bounds`, or nil when they do not overlap.
    public func clipped(to bounds: ScreenRect) -> ScreenRect? {
        let left = max(x, bounds.x), top = max(y, bounds.y)
        let right = min(x + width, bounds.x + bounds.width), bottom = min(y + height, bounds.y + bounds.height)
        guard right > left, bottom > top else { return nil }
        return ScreenRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}

public enum TileDiff {
    public static let tileSize = 64

    /// Rectangles (in pixels) of the tiles whose pixels differ between `old` and `new`; both
    /// images have the same size and row length.
    public static func changedRects(old: ScreenImage, new: ScreenImage, tileSize: Int = tileSize) -> [ScreenRect] {
        precondition(old.width == new.width && old.height == new.height && old.bytesPerRow == new.bytesPerRow)
        var rects: [ScreenRect] = []
        let columns = (new.width + tileSize - 1) / tileSize
        var dirty = [Bool](repeating: false, count: columns)
        /// Narrow rectangles that reach the bottom of the last tile row, by their left edge.
        var openStrips: [Int: Int] = [:]
        var tileY = 0
        while tileY < new.height {
            var strips: [Int: Int] = [:]
            let tileHeight = min(tileSize, new.height - tileY)
            for column in 0..<columns {
                let x = column * tileSize
                let rowBytes = min(tileSize, new.width - x) * 4
                dirty[column] = false
                for row in tileY..<(tileY + tileHeight) {
                    let offset = row * new.bytesPerRow + x * 4
                    if memcmp(old.pixels + offset, new.pixels + offset, rowBytes) != 0 {
                        dirty[column] = true
                        break
                    }
                }
            }
            var column = 0
            while column < columns {
                guard dirty[column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < columns && dirty[column] { column += 1 }
                let x = start * tileSize
                let width = min(column * tileSize, new.width) - x
                // Only the rows that changed: a new line of text is a strip, not a 64-pixel band.
                let rows = changedRows(old: old, new: new, x: x, width: width, from: tileY, to: tileY + tileHeight)
                let columns = changedColumns(old: old, new: new, x: x, width: width, rows: rows)
                let rect = ScreenRect(x: columns.lowerBound, y: rows.lowerBound, width: columns.count, height: rows.count)
                let index: Int
                if rect.width < tileSize, let above = openStrips[rect.x], rects[above].width == rect.width, rect.y == tileY {
                    rects[above] = ScreenRect(x: rect.x, y: rects[above].y, width: rect.width, height: rects[above].height + rect.height)
                    index = above
                } else {
                    rects.append(rect)
                    index = rects.count - 1
                }
                if rect.width < tileSize, rect.y + rect.height == tileY + tileHeight { strips[rect.x] = index }
            }
            openStrips = strips
            tileY += tileSize
        }
        return rects
    }

    /// The first through last column of `x..<x+width` that differs in any of `rows` (the caller
    /// knows one does). Each row is read only as far as the edges found so far.
    static func changedColumns(old: ScreenImage, new: ScreenImage, x: Int, width: Int, rows: Range<Int>) -> Range<Int> {
        func pixel(_ image: ScreenImage, _ row: Int, _ column: Int) -> UInt32 {
            image.pixels.loadUnaligned(fromByteOffset: row * image.bytesPerRow + column * 4, as: UInt32.self)
        }
        var left = x + width, right = x
        for row in rows {
            var column = x
            while column < left, pixel(old, row, column) == pixel(new, row, column) { column += 1 }
            left = column
            column = x + width
            while column > max(right, left), pixel(old, row, column - 1) == pixel(new, row, column - 1) { column -= 1 }
            right = max(right, column)
        }
        return left..<max(right, left + 1)
    }

    /// The first through last row in `from..<to` that differ within the columns `x..<x+width`
    /// (the caller knows at least one does).
    static func changedRows(old: ScreenImage, new: ScreenImage, x: Int, width: Int, from: Int, to: Int) -> Range<Int> {
        func differs(_ row: Int) -> Bool {
            let offset = row * new.bytesPerRow + x * 4
            return memcmp(old.pixels + offset, new.pixels + offset, width * 4) != 0
        }
        var top = from
        while top < to - 1 && !differs(top) { top += 1 }
        var bottom = to - 1
        while bottom > top && !differs(bottom) { bottom -= 1 }
        return top..<(bottom + 1)
    }
}
