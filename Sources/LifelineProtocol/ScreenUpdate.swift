/// The remote desktop's binary frames (J1, J7): the applet sends the regions of the screen that
/// changed, each as a compressed tile; the gateway passes them on to the technician's console
/// with the session id in front. Layout, all integers big-endian:
///
///     "L" 0x01 kind screen | sequence u32 | screen width u16 | screen height u16 | tile count u16
///     per tile: x u16 | y u16 | width u16 | height u16 | encoding u8 | byte count u32 | bytes
///     encodings: 1 JPEG, 2 copy of a shown rectangle (source x u16, y u16), 3 palette + zlib,
///                4 VP8 (one frame of a video of the whole screen: the update's only tile),
///                5 video (a VP8 frame of a moving part of the customer's screen and what it changed:
///                  `VideoTile`)
///
/// `screen` is which of a technician's shared screens the update paints (H1: 0 the first, up to
/// `maximumScreens` − 1; an update of size 0 × 0 says that screen is no longer shared); always 0 for
/// a customer's screen. Decoding is hostile-input safe: every length is checked against what is left and the limits
/// below, so a bad frame costs a clear error and no memory beyond the frame itself.
public struct ScreenUpdate: Equatable, Sendable {
    public enum Encoding: UInt8, Sendable {
        /// A JPEG image of the tile (lossy: moving regions, and everything at the lower qualities).
        case jpeg = 1
        /// Copy a rectangle the viewer already shows (scrolling): 4 bytes, source x u16, source y u16.
        case copy = 2
        /// Lossless few-colour tile: palette and packed indices, zlib-compressed (text, flat UI).
        case palette = 3
        /// One VP8 frame of the whole screen, each following on the one before (the technician's
        /// screen from a browser with WebCodecs, H1): accepted only where the viewer decodes video.
        case vp8 = 4
        /// A VP8 frame of a video of the tile's rectangle, a part of the customer's screen that
        /// keeps changing, with the parts it changed (`VideoTile`, issue 23): only towards a
        /// console that said it decodes video.
        case video = 5
        /// A PNG image of the tile (lossless): a picture sent again once it stopped moving, at the
        /// highest colour quality (issue 23).
        case png = 6
    }

    public struct Tile: Equatable, Sendable {
        public let x: UInt16
        public let y: UInt16
        public let width: UInt16
        public let height: UInt16
        public let encoding: Encoding
        public let bytes: [UInt8]

        public init(x: UInt16, y: UInt16, width: UInt16, height: UInt16, encoding: Encoding, bytes: [UInt8]) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
            self.encoding = encoding
            self.bytes = bytes
        }
    }

    public enum Kind: UInt8, Sendable {
        case screen = 1
        /// The pointer's position and, when it changed, its shape: see `CursorUpdate`.
        case cursor = 2
        /// The gateway's acknowledgement of a drawn update, to the applet: see `FrameAcknowledgement`.
        case acknowledgement = 3
    }

    public static let magic: UInt8 = 0x4C
    public static let formatVersion: UInt8 = 1
    public static let headerBytes = 14
    public static let tileHeaderBytes = 13
    /// A binary frame may be at most this large (a 4K screen in JPEG fits well within it).
    public static let maximumFrameBytes = 4 * 1024 * 1024
    public static let maximumTiles = 4_096
    /// A technician shares at most this many screens at once.
    public static let maximumScreens = 4

    public var sequence: UInt32
    public var screenWidth: UInt16
    public var screenHeight: UInt16
    public var tiles: [Tile]
    public var screen: UInt8

    public init(sequence: UInt32, screenWidth: UInt16, screenHeight: UInt16, tiles: [Tile], screen: UInt8 = 0) {
        self.screen = screen
        self.sequence = sequence
        self.screenWidth = screenWidth
        self.screenHeight = screenHeight
        self.tiles = tiles
    }

    public enum DecodingProblem: Error, Equatable, Sendable {
        case tooShort
        case notAScreenFrame
        case unsupportedVersion(UInt8)
        case tooLarge
        case tooManyTiles(Int)
        case unknownEncoding(UInt8)
        case truncatedTile(index: Int)
        case tileOutsideScreen(index: Int)
        case trailingBytes(Int)
        /// A video frame where only pictures are accepted, or not alone over the whole screen.
        case videoNotAccepted
        /// A screen after the first where only one is shown, or one of `maximumScreens` or more.
        case screenNotAccepted
        /// A video tile whose payload is malformed.
        case badVideoTile(index: Int, VideoTile.Problem)
    }

    /// The 4 payload bytes of a `copy` tile.
    public static func copySource(x: Int, y: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.append(bigEndian: UInt16(x))
        bytes.append(bigEndian: UInt16(y))
        return bytes
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.magic, Self.formatVersion, Kind.screen.rawValue, screen]
        out.reserveCapacity(Self.headerBytes + tiles.reduce(0) { $0 + Self.tileHeaderBytes + $1.bytes.count })
        out.append(bigEndian: sequence)
        out.append(bigEndian: screenWidth)
        out.append(bigEndian: screenHeight)
        out.append(bigEndian: UInt16(tiles.count))
        for tile in tiles {
            out.append(bigEndian: tile.x)
            out.append(bigEndian: tile.y)
            out.append(bigEndian: tile.width)
            out.append(bigEndian: tile.height)
            out.append(tile.encoding.rawValue)
            out.append(bigEndian: UInt32(tile.bytes.count))
            out.append(contentsOf: tile.bytes)
        }
        return out
    }

    /// `forApplet`: a technician's picture going to the customer's applet (H1), where VP8 tiles and
    /// screens after the first are accepted; anywhere else they are refused.
    public static func decode(_ frame: [UInt8], forApplet: Bool = false) throws(DecodingProblem) -> ScreenUpdate {
        var tiles: [Tile] = []
        let header = try walk(frame, forApplet: forApplet) { x, y, w, h, encoding, bytes in
            tiles.append(Tile(x: x, y: y, width: w, height: h, encoding: encoding, bytes: Array(bytes)))
        }
        return ScreenUpdate(sequence: header.sequence, screenWidth: header.width, screenHeight: header.height, tiles: tiles,
                            screen: frame[3])
    }

    /// Checks a frame as `decode` does without copying its tiles: the gateway relays frames it
    /// has only validated.
    public static func validate(_ frame: [UInt8], forApplet: Bool = false) throws(DecodingProblem) {
        _ = try walk(frame, forApplet: forApplet) { _, _, _, _, _, _ in }
    }

    /// Checks any binary frame of the remote desktop: a screen update or a cursor update.
    public static func validateAnyKind(_ frame: [UInt8]) throws(DecodingProblem) {
        if frame.count > 2, frame[0] == magic, frame[2] == Kind.cursor.rawValue {
            _ = try CursorUpdate.decode(frame)
        } else {
            try validate(frame)
        }
    }

    /// Reads the header and every tile, checking each length and rectangle, and hands each tile
    /// to `visit` as a slice of `frame`.
    private static func walk(
        _ frame: [UInt8],
        forApplet: Bool,
        visit: (UInt16, UInt16, UInt16, UInt16, Encoding, ArraySlice<UInt8>) -> Void
    ) throws(DecodingProblem) -> (sequence: UInt32, width: UInt16, height: UInt16) {
        guard frame.count <= maximumFrameBytes else { throw .tooLarge }
        guard frame.count >= headerBytes else { throw .tooShort }
        guard frame[0] == magic, frame[2] == Kind.screen.rawValue else { throw .notAScreenFrame }
        guard frame[1] == formatVersion else { throw .unsupportedVersion(frame[1]) }
        guard frame[3] == 0 || (forApplet && Int(frame[3]) < maximumScreens) else { throw .screenNotAccepted }
        var reader = ByteReader(frame, at: 4)
        let sequence = reader.uint32()
        let width = reader.uint16()
        let height = reader.uint16()
        let count = Int(reader.uint16())
        guard count <= maximumTiles else { throw .tooManyTiles(count) }
        for index in 0..<count {
            guard reader.remaining >= tileHeaderBytes else { throw .truncatedTile(index: index) }
            let x = reader.uint16(), y = reader.uint16(), w = reader.uint16(), h = reader.uint16()
            let rawEncoding = reader.byte()
            guard let encoding = Encoding(rawValue: rawEncoding) else { throw .unknownEncoding(rawEncoding) }
            let length = Int(reader.uint32())
            guard length <= reader.remaining else { throw .truncatedTile(index: index) }
            guard w > 0, h > 0, Int(x) + Int(w) <= Int(width), Int(y) + Int(h) <= Int(height) else {
                throw .tileOutsideScreen(index: index)
            }
            if encoding == .copy {
                guard length == 4 else { throw .truncatedTile(index: index) }
                let sourceX = Int(reader.peekUInt16(at: 0)), sourceY = Int(reader.peekUInt16(at: 2))
                guard sourceX + Int(w) <= Int(width), sourceY + Int(h) <= Int(height) else { throw .tileOutsideScreen(index: index) }
            }
            if encoding == .vp8 {
                // A video frame is the whole screen or nothing: nothing can be merged with it or painted over it.
                guard forApplet, count == 1, x == 0, y == 0, w == width, h == height else { throw .videoNotAccepted }
            }
            let payload = reader.slice(length)
            if encoding == .video {
                // The customer's moving regions go to consoles only; the applet draws no such tile.
                guard !forApplet else { throw .videoNotAccepted }
                do { try VideoTile.walk(payload, width: w, height: h) } catch { throw .badVideoTile(index: index, error) }
            }
            visit(x, y, w, h, encoding, payload)
        }
        guard reader.remaining == 0 else { throw .trailingBytes(reader.remaining) }
        return (sequence, width, height)
    }
}

/// Reads big-endian integers from a frame whose lengths the caller has checked.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], at offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }
    mutating func uint32() -> UInt32 { UInt32(uint16()) << 16 | UInt32(uint16()) }

    /// A big-endian u16 `offset` bytes ahead, without moving.
    func peekUInt16(at offset: Int) -> UInt16 { UInt16(bytes[self.offset + offset]) << 8 | UInt16(bytes[self.offset + offset + 1]) }

    mutating func slice(_ count: Int) -> ArraySlice<UInt8> {
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}

/// Big-endian integers onto a frame being built (also the applet's PNG chunks).
extension Array where Element == UInt8 {
    public mutating func append(bigEndian value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    public mutating func append(bigEndian value: UInt32) {
        append(bigEndian: UInt16(value >> 16))
        append(bigEndian: UInt16(value & 0xFFFF))
    }
}
