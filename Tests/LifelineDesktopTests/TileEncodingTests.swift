import Foundation
import LifelineProtocol
import Testing
@testable import LifelineDesktop

@Suite("A changed row with text beside a picture: the text lossless, the picture one JPEG (issue 23)")
struct TileEncodingTests {
    @Test("cut at the tile grid: a palette piece for the text, one JPEG for the picture's two pieces side by side")
    func textBesideAPicture() throws {
        let image = TestImage(width: 256, height: 16, fill: 255)
        // Text: two colours from x 10 to 70; a noisy picture (every pixel its own colour) from x 128 on.
        for y in 0..<16 { for x in stride(from: 10, to: 70, by: 3) { image.set(x: x, y: y, blue: 0) } }
        for y in 0..<16 { for x in 128..<256 { image.pixels[(y * 256 + x) * 4 + 1] = UInt8((x * 7 + y * 131) % 256); image.set(x: x, y: y, blue: UInt8(y * 16 + x % 16)) } }
        let tiles = try image.withImage {
            try ScreenStreamer.encodedTiles($0, rect: ScreenRect(x: 10, y: 0, width: 246, height: 16), quality: 85, grayscale: false,
                                           encoder: try JPEGEncoder())
        }
        #expect(tiles.map(\.encoding) == [.palette, .palette, .jpeg])
        #expect(tiles.map(\.rect) == [ScreenRect(x: 10, y: 0, width: 54, height: 16), ScreenRect(x: 64, y: 0, width: 64, height: 16),
                                      ScreenRect(x: 128, y: 0, width: 128, height: 16)])
    }

    @Test("a moving region of 32 colours (an animation of gradients) is a picture; still, a palette")
    func movingGradients() throws {
        let image = TestImage(width: 64, height: 8)
        for y in 0..<8 { for x in 0..<64 { image.set(x: x, y: y, blue: UInt8(x / 2 * 8)) } }
        let rect = ScreenRect(x: 0, y: 0, width: 64, height: 8)
        let encoder = try JPEGEncoder()
        #expect(try image.withImage { try ScreenStreamer.encodedTiles($0, rect: rect, quality: 85, grayscale: false, encoder: encoder) }.map(\.encoding) == [.palette])
        #expect(try image.withImage {
            try ScreenStreamer.encodedTiles($0, rect: rect, quality: 50, grayscale: false, encoder: encoder, paletteColours: PaletteEncoder.movingColours)
        }.map(\.encoding) == [.jpeg])
    }

    @Test("text alone stays one palette tile; a picture alone one JPEG")
    func wholeRectangles() throws {
        let text = TestImage(width: 200, height: 8, fill: 255)
        for x in stride(from: 0, to: 200, by: 2) { text.set(x: x, y: 3, blue: 0) }
        let encoder = try JPEGEncoder()
        let rect = ScreenRect(x: 0, y: 0, width: 200, height: 8)
        #expect(try text.withImage { try ScreenStreamer.encodedTiles($0, rect: rect, quality: 85, grayscale: false, encoder: encoder) }.map(\.encoding) == [.palette])
        // Every 64-pixel piece of it has 512 colours.
        let photo = TestImage(width: 256, height: 8)
        for y in 0..<8 { for x in 0..<256 { photo.pixels[(y * 256 + x) * 4 + 1] = UInt8(x); photo.set(x: x, y: y, blue: UInt8(y * 30)) } }
        let whole = ScreenRect(x: 0, y: 0, width: 256, height: 8)
        let tiles = try photo.withImage { try ScreenStreamer.encodedTiles($0, rect: whole, quality: 85, grayscale: false, encoder: encoder) }
        #expect(tiles.map(\.encoding) == [.jpeg])
        #expect(tiles.map(\.rect) == [whole])
    }
}

@Suite("A still picture sent again losslessly (PNG, issue 23)")
struct PNGEncoderTests {
    @Test("a PNG any decoder reads gives back the very pixels")
    func exactPixels() throws {
        let image = TestImage(width: 40, height: 12)
        for y in 0..<12 { for x in 0..<40 {
            image.pixels[(y * 40 + x) * 4] = UInt8((x * 37 + y * 11) % 256)
            image.pixels[(y * 40 + x) * 4 + 1] = UInt8((x * x + y) % 256)
            image.pixels[(y * 40 + x) * 4 + 2] = UInt8((y * 53) % 256)
        } }
        let rect = ScreenRect(x: 3, y: 2, width: 30, height: 9)
        let png = try #require(image.withImage { PNGEncoder.encode($0, rect: rect) })
        #expect(Array(png.prefix(8)) == [137, 80, 78, 71, 13, 10, 26, 10])
        // RGB rows of the rectangle, as BGRX in memory.
        var expected: [UInt8] = []
        for y in rect.y..<(rect.y + rect.height) { for x in rect.x..<(rect.x + rect.width) {
            let at = (y * 40 + x) * 4
            expected += [image.pixels[at + 2], image.pixels[at + 1], image.pixels[at]]
        } }
        #expect(try Self.decode(png) == expected)
    }

    /// A PNG decoder outside the applet (Python's zlib and the RFC's filters), checking each chunk's CRC.
    static func decode(_ png: [UInt8]) throws -> [UInt8] {
        let script = """
        import struct, sys, zlib
        data = sys.stdin.buffer.read(); at = 8; idat = b""
        while at < len(data):
            length, kind = struct.unpack(">I4s", data[at:at + 8]); body = data[at + 8:at + 8 + length]
            assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body), kind
            if kind == b"IHDR": width, height, depth, colour = struct.unpack(">IIBB", body[:10]); assert (depth, colour) == (8, 2)
            if kind == b"IDAT": idat += body
            at += 12 + length
        raw = zlib.decompress(idat); stride = width * 3; out = bytearray(); above = bytearray(stride)
        for row in range(height):
            kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
            for i in range(stride):
                a = line[i - 3] if i >= 3 else 0; b = above[i]; c = above[i - 3] if i >= 3 else 0
                if kind == 4:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) % 256
                else:
                    assert kind == 0
            out += line; above = line
        sys.stdout.buffer.write(bytes(out))
        """
        return try python(script, input: png)
    }
}
