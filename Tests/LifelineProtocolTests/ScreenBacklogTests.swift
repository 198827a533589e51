import Testing
@testable import LifelineProtocol

/// A viewer that fell behind gets one update that paints what it missed, and no more.
@Suite struct ScreenBacklogTests {
    private func tile(_ x: Int, _ y: Int, _ width: Int, _ height: Int, _ marker: UInt8 = 0) -> ScreenUpdate.Tile {
        ScreenUpdate.Tile(x: UInt16(x), y: UInt16(y), width: UInt16(width), height: UInt16(height), encoding: .jpeg, bytes: [marker, 1, 2, 3])
    }

    private func copy(from source: (Int, Int), to x: Int, _ y: Int, _ width: Int, _ height: Int) -> ScreenUpdate.Tile {
        ScreenUpdate.Tile(x: UInt16(x), y: UInt16(y), width: UInt16(width), height: UInt16(height), encoding: .copy,
                          bytes: ScreenUpdate.copySource(x: source.0, y: source.1))
    }

    private func update(_ sequence: UInt32, _ tiles: [ScreenUpdate.Tile], width: Int = 256, height: Int = 128) -> ScreenUpdate {
        ScreenUpdate(sequence: sequence, screenWidth: UInt16(width), screenHeight: UInt16(height), tiles: tiles)
    }

    @Test func aTilePaintedOverByLaterOnesIsDropped() {
        var backlog = ScreenBacklog()
        backlog.add(update(1, [tile(0, 0, 64, 64, 1), tile(64, 0, 64, 64, 2)]))
        // Covered by two later tiles together, neither alone.
        backlog.add(update(2, [tile(0, 0, 64, 32, 3), tile(0, 32, 64, 32, 4)]))
        let merged = backlog.take()
        #expect(merged?.sequence == 2)
        #expect(merged?.tiles.map { $0.bytes[0] } == [2, 3, 4])
        #expect(backlog.isEmpty)
        #expect(backlog.take() == nil)
    }

    @Test func aPartlyCoveredTileStaysAndOrderIsKept() {
        var backlog = ScreenBacklog()
        backlog.add(update(1, [tile(0, 0, 128, 64, 1)]))
        backlog.add(update(2, [tile(0, 0, 64, 64, 2)]))
        #expect(backlog.take()?.tiles.map { $0.bytes[0] } == [1, 2])
    }

    @Test func whatACopyReadsIsKeptEvenWhenLaterPaintedOver() {
        var backlog = ScreenBacklog()
        backlog.add(update(1, [tile(0, 64, 128, 64, 1)]))
        // Scroll up by 64: the copy reads rows 64–128 (tile 1), then new content paints them.
        backlog.add(update(2, [copy(from: (0, 64), to: 0, 0, 128, 64), tile(0, 64, 128, 64, 2)]))
        let tiles = backlog.take()?.tiles ?? []
        #expect(tiles.map(\.encoding) == [.jpeg, .copy, .jpeg])
        #expect(tiles.first?.bytes[0] == 1)
    }

    @Test func aCopyPaintedOverIsDroppedWithWhatOnlyItNeeded() {
        var backlog = ScreenBacklog()
        backlog.add(update(1, [tile(0, 64, 128, 64, 1)]))
        backlog.add(update(2, [copy(from: (0, 64), to: 0, 0, 128, 64), tile(0, 64, 128, 64, 2)]))
        backlog.add(update(3, [tile(0, 0, 256, 128, 3)]))
        #expect(backlog.take()?.tiles.map { $0.bytes[0] } == [3])
    }

    @Test func aNewScreenSizeOrAWholeScreenStartsAgain() {
        var backlog = ScreenBacklog()
        backlog.add(update(1, [tile(0, 0, 64, 64, 1)]))
        backlog.add(update(2, [tile(0, 0, 32, 32, 2)], width: 320, height: 200))
        #expect(backlog.take()?.tiles.map { $0.bytes[0] } == [2])
        backlog.add(update(3, [tile(0, 0, 64, 64, 3)]))
        backlog.add(update(4, [tile(0, 0, 256, 64, 4), tile(0, 64, 256, 64, 5)]))
        #expect(backlog.byteCount == 8)
        #expect(backlog.take()?.screenWidth == 256)
    }

    @Test func repaintsAllNeedsEveryPixelAndNoCopy() {
        #expect(ScreenBacklog.repaintsAll(update(1, [tile(0, 0, 256, 64), tile(0, 64, 256, 64)])))
        #expect(!ScreenBacklog.repaintsAll(update(1, [tile(0, 0, 256, 64), tile(0, 64, 255, 64)])))
        #expect(!ScreenBacklog.repaintsAll(update(1, [tile(0, 0, 256, 64), copy(from: (0, 0), to: 0, 64, 256, 64)])))
    }

    /// A viewer that misses a thousand updates of a changing screen still gets about one screen.
    @Test func theBacklogStaysAboutOneScreen() {
        var backlog = ScreenBacklog()
        var state: UInt64 = 42
        for sequence in 1...1_000 {
            var tiles: [ScreenUpdate.Tile] = []
            for _ in 0..<6 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let column = Int(state >> 33) % 4, row = Int(state >> 40) % 2
                tiles.append(tile(column * 64, row * 64, 64, Int(state >> 50) % 2 == 0 ? 64 : 40))
            }
            backlog.add(update(UInt32(sequence), tiles))
        }
        let merged = backlog.take()
        #expect(merged?.sequence == 1_000)
        // At most the 8 grid cells, each perhaps under one shorter tile painted after it.
        #expect((merged?.tiles.count ?? 0) <= 16)
    }

    @Test func subtractingCutsUpToFourPieces() {
        let outer = PixelRect(x: 0, y: 0, width: 10, height: 10)
        let pieces = outer.subtracting(PixelRect(x: 3, y: 3, width: 4, height: 4))
        #expect(pieces.count == 4)
        #expect(pieces.reduce(0) { $0 + $1.width * $1.height } == 100 - 16)
        #expect(outer.subtracting(PixelRect(x: 20, y: 0, width: 5, height: 5)) == [outer])
        #expect(outer.subtracting(PixelRect(x: -1, y: -1, width: 12, height: 12)).isEmpty)
    }
}
