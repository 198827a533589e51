import CZlib

/// Lossless tiles for text and flat interface (J1): a tile with at most 16 colours becomes a
/// palette and packed indices (1, 2 or 4 bits a pixel), compressed with zlib. Sharper than JPEG
/// for text and much smaller. The console inflates it with the browser's DecompressionStream.
///
/// Layout before compression: colour count u8 | colours (R, G, B each) | rows of packed indices,
/// each row starting on a byte, most significant bits first.
public enum PaletteEncoder {
    public static let maximumColours = 16

    /// The tile as palette + zlib, or nil when it has more than 16 colours.
    public static func encode(_ image: ScreenImage, rect: ScreenRect, grayscale: Bool) -> [UInt8]? {
        var colours: [UInt32] = []
        var indices = [UInt8](repeating: 0, count: rect.width * rect.height)
        var last: UInt32 = 0xFFFF_FFFF
        var lastIndex: UInt8 = 0
        for row in 0..<rect.height {
            let line = image.pixels + (rect.y + row) * image.bytesPerRow + rect.x * 4
            for column in 0..<rect.width {
                let pixel = line.loadUnaligned(fromByteOffset: column * 4, as: UInt32.self) & 0x00FF_FFFF
                if pixel != last {
                    if let found = colours.firstIndex(of: pixel) {
                        lastIndex = UInt8(found)
                    } else {
                        guard colours.count < maximumColours else { return nil }
                        colours.append(pixel)
                        lastIndex = UInt8(colours.count - 1)
                    }
                    last = pixel
                }
                indices[row * rect.width + column] = lastIndex
            }
        }
        let bits = colours.count <= 2 ? 1 : colours.count <= 4 ? 2 : 4
        var raw: [UInt8] = [UInt8(colours.count)]
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
