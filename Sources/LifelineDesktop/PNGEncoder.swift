import CZlib
import LifelineProtocol

/// Lossless pictures (issue 23): a photo or gradient sent again once it stopped moving, at the
/// highest colour quality, goes as PNG — the customer's very pixels, where JPEG even at 95 left the
/// fine detail of a photo on a web page a little off — and the browser decodes it off the UI thread
/// as it does JPEG. Each row is Paeth-filtered (RFC 2083), then zlib at the fastest level.
public enum PNGEncoder {
    private static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    /// The region `rect` of `image` (BGRX) as an 8-bit RGB PNG; nil when zlib fails.
    public static func encode(_ image: ScreenImage, rect: ScreenRect) -> [UInt8]? {
        let rowBytes = rect.width * 3
        var filtered = [UInt8](repeating: 0, count: (rowBytes + 1) * rect.height)
        var above = [UInt8](repeating: 0, count: rowBytes), current = above
        filtered.withUnsafeMutableBufferPointer { out in
            for row in 0..<rect.height {
                let line = image.pixels + (rect.y + row) * image.bytesPerRow + rect.x * 4
                current.withUnsafeMutableBufferPointer { pixels in
                    for column in 0..<rect.width {
                        // BGRX in memory: red is the third byte.
                        pixels[column * 3] = line.load(fromByteOffset: column * 4 + 2, as: UInt8.self)
                        pixels[column * 3 + 1] = line.load(fromByteOffset: column * 4 + 1, as: UInt8.self)
                        pixels[column * 3 + 2] = line.load(fromByteOffset: column * 4, as: UInt8.self)
                    }
                }
                let start = row * (rowBytes + 1)
                out[start] = 4  // Paeth
                current.withUnsafeBufferPointer { now in
                    above.withUnsafeBufferPointer { up in
                        for index in 0..<rowBytes {
                            let left = index >= 3 ? now[index - 3] : 0, upLeft = index >= 3 ? up[index - 3] : 0
                            out[start + 1 + index] = now[index] &- paeth(left, up[index], upLeft)
                        }
                    }
                }
                swap(&above, &current)
            }
        }
        guard let compressed = PaletteEncoder.deflate(filtered) else { return nil }
        var header: [UInt8] = []
        header.append(bigEndian: UInt32(rect.width))
        header.append(bigEndian: UInt32(rect.height))
        header += [8, 2, 0, 0, 0]  // 8 bits, RGB, deflate, adaptive filters, no interlace
        var png = signature
        png.reserveCapacity(signature.count + compressed.count + 64)
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    static func paeth(_ left: UInt8, _ up: UInt8, _ upLeft: UInt8) -> UInt8 {
        let estimate = Int(left) + Int(up) - Int(upLeft)
        let toLeft = abs(estimate - Int(left)), toUp = abs(estimate - Int(up)), toUpLeft = abs(estimate - Int(upLeft))
        if toLeft <= toUp && toLeft <= toUpLeft { return left }
        return toUp <= toUpLeft ? up : upLeft
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png.append(bigEndian: UInt32(data.count))
        png += typeBytes
        png += data
        let crc = (typeBytes + data).withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        png.append(bigEndian: UInt32(truncatingIfNeeded: crc))
    }
}
