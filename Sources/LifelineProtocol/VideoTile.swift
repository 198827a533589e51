/// The payload of a `video` tile (issue 23): one VP8 frame of a video of the tile's rectangle — a
/// part of the customer's screen that keeps changing —, and the parts of that rectangle the frame
/// changed, which are all the console draws of it. The rest of the rectangle keeps what the
/// console shows (text sharpened by tiles once still is not blurred again by the next frame).
/// Layout, big-endian:
///
///     frame width u16 | frame height u16 | part count u16 |
///     per part: x u16 | y u16 | width u16 | height u16 (in the tile) | VP8 frame
///
/// The video may be smaller than the tile (a large moving region is encoded at a lower
/// resolution, which the console scales up). A key frame (the VP8 frame's first byte has bit 0
/// clear) starts the video; every other frame follows on the ones before it since that key frame.
/// A key frame's own size (bytes 6–9) is the frame size said here, so a console configures its
/// decoder from the tile alone.
public struct VideoTile: Equatable, Sendable {
    public struct Part: Equatable, Sendable {
        public let x: UInt16
        public let y: UInt16
        public let width: UInt16
        public let height: UInt16

        public init(x: UInt16, y: UInt16, width: UInt16, height: UInt16) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    public enum Problem: Error, Equatable, Sendable {
        case truncated
        case tooManyParts(Int)
        case partOutsideTile(index: Int)
        case emptyFrame
        /// A key frame whose own size is not the one the tile says.
        case keyFrameSize(width: Int, height: Int)
        /// A video larger than its tile, or under 2 × 2.
        case frameSize(width: Int, height: Int)
    }

    /// More changed parts than this are sent as the one rectangle around them.
    public static let maximumParts = 256

    /// The video's size: the tile's, or smaller.
    public let frameWidth: UInt16
    public let frameHeight: UInt16
    public let parts: [Part]
    public let frame: [UInt8]

    public init(frameWidth: UInt16, frameHeight: UInt16, parts: [Part], frame: [UInt8]) {
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.parts = parts
        self.frame = frame
    }

    /// Whether the frame stands alone (a VP8 key frame).
    public var isKeyFrame: Bool { Self.isKeyFrame(frame[...]) }

    /// A VP8 frame's first byte says whether it stands alone (a key frame: bit 0 clear).
    public static func isKeyFrame(_ frame: ArraySlice<UInt8>) -> Bool {
        guard let first = frame.first else { return false }
        return first & 1 == 0
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(6 + parts.count * 8 + frame.count)
        out.append(bigEndian: frameWidth)
        out.append(bigEndian: frameHeight)
        out.append(bigEndian: UInt16(parts.count))
        for part in parts {
            out.append(bigEndian: part.x)
            out.append(bigEndian: part.y)
            out.append(bigEndian: part.width)
            out.append(bigEndian: part.height)
        }
        out.append(contentsOf: frame)
        return out
    }

    public static func decode(_ bytes: ArraySlice<UInt8>, width: UInt16, height: UInt16) throws(Problem) -> VideoTile {
        var parts: [Part] = []
        var size = (width: UInt16(0), height: UInt16(0))
        let frame = try walk(bytes, width: width, height: height) { parts.append($0) } size: { size = ($0, $1) }
        return VideoTile(frameWidth: size.width, frameHeight: size.height, parts: parts, frame: Array(frame))
    }

    /// Checks a tile's payload as `decode` does, handing each part to `visit`; returns the VP8 frame.
    @discardableResult
    static func walk(_ bytes: ArraySlice<UInt8>, width: UInt16, height: UInt16, visit: (Part) -> Void = { _ in },
                     size: (UInt16, UInt16) -> Void = { _, _ in }) throws(Problem) -> ArraySlice<UInt8> {
        let start = bytes.startIndex
        guard bytes.count >= 6 else { throw .truncated }
        func u16(_ at: Int) -> UInt16 { UInt16(bytes[start + at]) << 8 | UInt16(bytes[start + at + 1]) }
        let frameWidth = u16(0), frameHeight = u16(2)
        guard frameWidth >= 2, frameHeight >= 2, frameWidth <= width, frameHeight <= height else {
            throw .frameSize(width: Int(frameWidth), height: Int(frameHeight))
        }
        size(frameWidth, frameHeight)
        let count = Int(u16(4))
        guard count <= maximumParts else { throw .tooManyParts(count) }
        guard bytes.count >= 6 + count * 8 else { throw .truncated }
        for index in 0..<count {
            let at = 6 + index * 8
            let part = Part(x: u16(at), y: u16(at + 2), width: u16(at + 4), height: u16(at + 6))
            guard part.width > 0, part.height > 0, Int(part.x) + Int(part.width) <= Int(width),
                  Int(part.y) + Int(part.height) <= Int(height) else { throw .partOutsideTile(index: index) }
            visit(part)
        }
        let frame = bytes[(start + 6 + count * 8)...]
        guard !frame.isEmpty else { throw .emptyFrame }
        if isKeyFrame(frame) {
            // A key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height.
            guard frame.count >= 10 else { throw .truncated }
            let f = frame.startIndex
            let keyWidth = (Int(frame[f + 6]) | Int(frame[f + 7]) << 8) & 0x3FFF
            let keyHeight = (Int(frame[f + 8]) | Int(frame[f + 9]) << 8) & 0x3FFF
            guard keyWidth == Int(frameWidth), keyHeight == Int(frameHeight) else {
                throw .keyFrameSize(width: keyWidth, height: keyHeight)
            }
        }
        return frame
    }
}
