#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Finds a vertical scroll between two frames (J1): when most rows of the changed band reappear
/// in the new frame shifted up or down by the same distance, the viewer can copy them from what
/// it already shows, and only the rows that came into view need encoding. Text scrolling in a
/// terminal or a browser then costs one new line, not the whole window.
public struct ScrollCopy: Equatable, Sendable {
    /// The rectangle of the new frame to fill…
    public let destination: ScreenRect
    /// …from the old frame's rectangle of the same size starting here.
    public let sourceX: Int
    public let sourceY: Int

    /// A vertical scroll: same x.
    public init(destination: ScreenRect, sourceY: Int) {
        self.init(destination: destination, sourceX: destination.x, sourceY: sourceY)
    }

    public init(destination: ScreenRect, sourceX: Int, sourceY: Int) {
        self.destination = destination
        self.sourceX = sourceX
        self.sourceY = sourceY
    }

    /// The move of a `width`×`height` rectangle from (fromX, fromY) to (toX, toY), clipped so
    /// both places lie on a `screenWidth`×`screenHeight` screen; nil when nothing is left.
    public static func move(fromX: Int, fromY: Int, toX: Int, toY: Int, width: Int, height: Int,
                            screenWidth: Int, screenHeight: Int) -> ScrollCopy? {
        // Clip the rectangle (in its own coordinates) so both positions are on screen.
        let left = max(0, -fromX, -toX), top = max(0, -fromY, -toY)
        let right = min(width, screenWidth - fromX, screenWidth - toX)
        let bottom = min(height, screenHeight - fromY, screenHeight - toY)
        guard right - left > 0, bottom - top > 0 else { return nil }
        return ScrollCopy(destination: ScreenRect(x: toX + left, y: toY + top, width: right - left, height: bottom - top),
                          sourceX: fromX + left, sourceY: fromY + top)
    }
}

public enum ScrollDetector {
    /// Only worth it for bands at least this tall.
    static let minimumHeight = 32

    /// Looks for a vertical shift of `band` (a region that changed) between `old` and `new`.
    /// Returns the copy covering the longest run of rows that match at the winning shift.
    public static func detect(old: ScreenImage, new: ScreenImage, band: ScreenRect) -> ScrollCopy? {
        guard band.height >= minimumHeight, band.width >= 16 else { return nil }
        let oldHashes = rowHashes(old, band)
        let newHashes = rowHashes(new, band)
        // Rows that appear exactly once in the old band vote for the shift that brings them back.
        var oldRows: [UInt64: Int] = [:]
        var repeated = Set<UInt64>()
        for (index, hash) in oldHashes.enumerated() {
            if oldRows.updateValue(index, forKey: hash) != nil { repeated.insert(hash) }
        }
        var votes: [Int: Int] = [:]
        for (index, hash) in newHashes.enumerated() where !repeated.contains(hash) {
            guard let oldIndex = oldRows[hash], oldIndex != index else { continue }
            votes[oldIndex - index, default: 0] += 1
        }
        guard let (shift, count) = votes.max(by: { $0.value < $1.value }), count >= max(8, band.height / 4) else { return nil }
        // The longest run of new rows equal to the old rows `shift` away.
        var bestStart = 0, bestLength = 0, start = 0, length = 0
        for index in 0..<band.height {
            let source = index + shift
            if source >= 0, source < band.height, newHashes[index] == oldHashes[source],
               rowsEqual(old, new, band: band, oldRow: source, newRow: index) {
                if length == 0 { start = index }
                length += 1
                if length > bestLength { (bestStart, bestLength) = (start, length) }
            } else {
                length = 0
            }
        }
        guard bestLength >= minimumHeight else { return nil }
        return ScrollCopy(destination: ScreenRect(x: band.x, y: band.y + bestStart, width: band.width, height: bestLength),
                          sourceY: band.y + bestStart + shift)
    }

    /// FNV-1a over each row's pixels in the band (8 bytes at a time).
    static func rowHashes(_ image: ScreenImage, _ band: ScreenRect) -> [UInt64] {
        (0..<band.height).map { row in
            let start = image.pixels + (band.y + row) * image.bytesPerRow + band.x * 4
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            let words = band.width / 2
            for index in 0..<words {
                hash = (hash ^ start.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)) &* 0x100_0000_01b3
            }
            if band.width % 2 == 1 {
                hash = (hash ^ UInt64(start.loadUnaligned(fromByteOffset: words * 8, as: UInt32.self))) &* 0x100_0000_01b3
            }
            return hash
        }
    }

    static func rowsEqual(_ old: ScreenImage, _ new: ScreenImage, band: ScreenRect, oldRow: Int, newRow: Int) -> Bool {
        memcmp(old.pixels + (band.y + oldRow) * old.bytesPerRow + band.x * 4,
               new.pixels + (band.y + newRow) * new.bytesPerRow + band.x * 4, band.width * 4) == 0
    }
}
