/// The customer's mouse pointer (issue 5, XFixes): where it is and, when it changed, what it
/// looks like. A binary frame of its own so the console can draw the pointer without waiting for
/// a screen update, and outside flow control (it is tiny). Layout, big-endian:
///
///     "L" 0x01 0x02 reserved | x u16 | y u16 | hot x u16 | hot y u16 | width u16 | height u16
///     | width × height × 4 bytes of RGBA (none when width and height are 0: position only)
public struct CursorUpdate: Equatable, Sendable {
    public struct Shape: Equatable, Sendable {
        public let hotX: UInt16
        public let hotY: UInt16
        public let width: UInt16
        public let height: UInt16
        /// Non-premultiplied RGBA, row by row.
        public let rgba: [UInt8]

        public init(hotX: UInt16, hotY: UInt16, width: UInt16, height: UInt16, rgba: [UInt8]) {
            self.hotX = hotX
            self.hotY = hotY
            self.width = width
            self.height = height
            self.rgba = rgba
        }
    }

    public let x: UInt16
    public let y: UInt16
    /// Nil when only the position changed.
    public let shape: Shape?

    public static let headerBytes = 16
    /// Browsers refuse larger cursors anyway.
    public static let maximumSide: UInt16 = 256

    public init(x: UInt16, y: UInt16, shape: Shape?) {
        self.x = x
        self.y = y
        self.shape = shape
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [ScreenUpdate.magic, ScreenUpdate.formatVersion, ScreenUpdate.Kind.cursor.rawValue, 0]
        out.reserveCapacity(Self.headerBytes + (shape?.rgba.count ?? 0))
        out.append(bigEndian: x)
        out.append(bigEndian: y)
        out.append(bigEndian: shape?.hotX ?? 0)
        out.append(bigEndian: shape?.hotY ?? 0)
        out.append(bigEndian: shape?.width ?? 0)
        out.append(bigEndian: shape?.height ?? 0)
        if let shape { out.append(contentsOf: shape.rgba) }
        return out
    }

    public static func decode(_ frame: [UInt8]) throws(ScreenUpdate.DecodingProblem) -> CursorUpdate {
        guard frame.count >= headerBytes else { throw .tooShort }
        guard frame[0] == ScreenUpdate.magic, frame[2] == ScreenUpdate.Kind.cursor.rawValue else { throw .notAScreenFrame }
        guard frame[1] == ScreenUpdate.formatVersion else { throw .unsupportedVersion(frame[1]) }
        func word(_ at: Int) -> UInt16 { UInt16(frame[at]) << 8 | UInt16(frame[at + 1]) }
        let width = word(12), height = word(14)
        guard width <= maximumSide, height <= maximumSide, (width == 0) == (height == 0) else { throw .tileOutsideScreen(index: 0) }
        let expected = headerBytes + Int(width) * Int(height) * 4
        guard frame.count >= expected else { throw .truncatedTile(index: 0) }
        guard frame.count == expected else { throw .trailingBytes(frame.count - expected) }
        let hotX = word(8), hotY = word(10)
        let shape = width == 0 ? nil : Shape(hotX: min(hotX, width - 1), hotY: min(hotY, height - 1), width: width, height: height,
                                             rgba: Array(frame[headerBytes...]))
        return CursorUpdate(x: word(4), y: word(6), shape: shape)
    }
}
