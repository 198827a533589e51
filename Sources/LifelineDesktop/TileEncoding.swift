import LifelineProtocol

extension ScreenStreamer {
    /// A changed rectangle as tiles: text and flat regions lossless and small (palette), photos and
    /// video JPEG — in full colour when `sharp` (a region sent again once still), or PNG when
    /// `lossless` as well. A rectangle with a picture in it is cut at the tile grid: the text beside
    /// a photo on a web page stays a palette, and the picture's tiles side by side go as one picture.
    static func encodedTiles(_ image: ScreenImage, rect: ScreenRect, quality: Int, grayscale: Bool, encoder: JPEGEncoder,
                             sharp: Bool = false, lossless: Bool = false,
                             paletteColours: Int = PaletteEncoder.maximumColours) throws -> [ScreenUpdate.Tile] {
        func jpeg(_ rect: ScreenRect) throws -> ScreenUpdate.Tile {
            if sharp, lossless, let png = PNGEncoder.encode(image, rect: rect) { return .init(rect, encoding: .png, bytes: png) }
            return .init(rect, encoding: .jpeg, bytes: try encoder.encode(image, rect: rect, quality: quality, grayscale: grayscale, fullColour: sharp))
        }
        if let palette = PaletteEncoder.encode(image, rect: rect, grayscale: grayscale, limit: paletteColours) { return [.init(rect, encoding: .palette, bytes: palette)] }
        let pieces = gridPieces(of: rect)
        guard pieces.count > 1 else { return [try jpeg(rect)] }
        var tiles: [ScreenUpdate.Tile] = []
        /// Pieces side by side that are pictures, not yet encoded.
        var picture: ScreenRect?
        for piece in pieces {
            if let palette = PaletteEncoder.encode(image, rect: piece, grayscale: grayscale, limit: paletteColours) {
                if let run = picture { tiles.append(try jpeg(run)) }
                picture = nil
                tiles.append(.init(piece, encoding: .palette, bytes: palette))
            } else {
                picture = picture.map { ScreenRect(x: $0.x, y: $0.y, width: piece.x + piece.width - $0.x, height: $0.height) } ?? piece
            }
        }
        if let run = picture { tiles.append(try jpeg(run)) }
        return tiles
    }

    /// `rect` cut where the tile grid's columns start.
    static func gridPieces(of rect: ScreenRect, tileSize: Int = TileDiff.tileSize) -> [ScreenRect] {
        var pieces: [ScreenRect] = []
        var x = rect.x
        while x < rect.x + rect.width {
            let end = min((x / tileSize + 1) * tileSize, rect.x + rect.width)
            pieces.append(ScreenRect(x: x, y: rect.y, width: end - x, height: rect.height))
            x = end
        }
        return pieces
    }
}

extension ScreenUpdate.Tile {
    init(_ rect: ScreenRect, encoding: ScreenUpdate.Encoding, bytes: [UInt8]) {
        self.init(x: UInt16(rect.x), y: UInt16(rect.y), width: UInt16(rect.width), height: UInt16(rect.height), encoding: encoding, bytes: bytes)
    }

    /// Where the tile paints, in screen pixels.
    var rect: ScreenRect { ScreenRect(x: Int(x), y: Int(y), width: Int(width), height: Int(height)) }
}
