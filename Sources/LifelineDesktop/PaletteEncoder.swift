import CZlib

/// Lossless tiles for text and flat interface (J1): a tile with at most 256 colours becomes a
/// palette and packed indices (1, 2, 4 or 8 bits a pixel), compressed with zlib. Sharper than JPEG
/// for text — anti-aliased text on a web page has a few dozen greys, so it is lossless too — and
/// smaller. The console inflates it with the browser's DecompressionStream.
///
/// Layout before compression: colour count u8 (0 meaning 256) | colours (R, G, B each) | rows of
/// packed indices, each row starting on a byte, most significant bits first.
public enum PaletteEncoder {
    public static let maximumColours = 256
    /// What a moving region may have to go as a palette: a terminal's new lines stay lossless, and
    /// an animation of gradients is a moving picture (JPEG, then video), not a palette each frame.
    public static let movingColours = 16

    /// The tile as palette + zlib, or nil when it has more than `limit` colours (at most 256).
    public static func encode(_ image: ScreenImage, rect: ScreenRect, grayscale: Bool, limit: Int = maximumColours) -> [UInt8]? {
        let limit = min(limit, maximumColours)
        var colours: [UInt32] = []
        colours.reserveCapacity(maximumColours)
        var lookup = ColourLookup()
        var indices = [UInt8](repeating: 0, count: rect.width * rect.height)
        var last: UInt32 = 0xFFFF_FFFF
        var lastIndex: UInt8 = 0
        for row in 0..<rect.height {
            let line = image.pixels + (rect.y + row) * image.bytesPerRow + rect.x * 4
            for column in 0..<rect.width {
                let pixel = line.loadUnaligned(fromByteOffset: column * 4, as: UInt32.self) & 0x00FF_FFFF
                if pixel != last {
                    if let found = lookup.index(of: pixel) {
                        lastIndex = found
                    } else {
                        guard colours.count < limit else { return nil }
                        lastIndex = UInt8(colours.count)
                        colours.append(pixel)
                        lookup.insert(pixel, at: lastIndex)
                    }
                    last = pixel
                }
                indices[row * rect.width + column] = lastIndex
            }
        }
        let bits = colours.count <= 2 ? 1 : colours.count <= 4 ? 2 : colours.count <= 16 ? 4 : 8
        var raw: [UInt8] = [UInt8(truncatingIfNeeded: colours.count)]
        for colour in colours {
            // BGRX in memory: blue in the low byte.
            let (blue, green, red) = (UInt8(colour & 0xFF), UInt8((colour >> 8) & 0xFF), UInt8((colour >> 16) & 0xFF))
            if grayscale {
                let gray = UInt8((UInt32(red) * 77 + UInt32(green) * 150 + UInt32(blue) * 29) >> 8)
                raw += [gray, gray, gray]
            } else {
                raw += [red, green, blue]
            }
        }
        let perByte = 8 / bits
        let rowBytes = (rect.width + perByte - 1) / perByte
        raw.reserveCapacity(raw.count + rowBytes * rect.height)
        for row in 0..<rect.height {
            var byte: UInt8 = 0
            var filled = 0
            for column in 0..<rect.width {
                byte = byte << UInt8(bits) | indices[row * rect.width + column]
                filled += 1
                if filled == perByte {
                    raw.append(byte)
                    byte = 0
                    filled = 0
                }
            }
            if filled > 0 { raw.append(byte << UInt8(bits * (perByte - filled))) }
        }
        return deflate(raw)
    }

    /// zlib format (what DecompressionStream("deflate") reads), fastest level.
    static func deflate(_ input: [UInt8]) -> [UInt8]? {
        var length = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                compress2(out.baseAddress, &length, source.baseAddress, uLong(input.count), 1)
            }
        }
        guard status == Z_OK else { return nil }
        return Array(output.prefix(Int(length)))
    }
}

/// Colour → palette index for up to 256 colours: open addressing in 1024 slots (a linear search
/// of 256 colours at every change of colour made anti-aliased text slow to encode).
private struct ColourLookup {
    private static let slots = 1024
    /// Colour + 1 in the low 32 bits (0: empty), index in the next 8.
    private var table = [UInt64](repeating: 0, count: slots)

    private static func slot(_ colour: UInt32) -> Int { Int((colour &* 0x9E37_79B1) >> 22) }

    func index(of colour: UInt32) -> UInt8? {
        var at = Self.slot(colour)
        while true {
            let entry = table[at]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry) == colour &+ 1 { return UInt8(truncatingIfNeeded: entry >> 32) }
            at = (at + 1) & (Self.slots - 1)
        }
    }

    mutating func insert(_ colour: UInt32, at index: UInt8) {
        var at = Self.slot(colour)
        while table[at] != 0 { at = (at + 1) & (Self.slots - 1) }
        table[at] = UInt64(colour &+ 1) | UInt64(index) << 32
    }
}
