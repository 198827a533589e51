/// "The quickest console drew update `sequence`" from the gateway to the applet (flow control, J7;
/// issue 23): a binary frame of eight bytes rather than a `frame_ack` text. One goes back for every
/// update drawn — tens a second while the screen changes — and as JSON they were a sixth of the
/// bytes a scrolling terminal put on the gateway's wire. Layout, big-endian:
///
///     "L" 0x01 0x03 flags | sequence u32        flags: bit 0 = every viewer decodes video tiles
///
/// A browser sharing its screen still gets `frame_ack` (it speaks JSON only).
public struct FrameAcknowledgement: Equatable, Sendable {
    public let sequence: UInt32
    /// Every console that sees the screen decodes video tiles: moving regions may go as VP8.
    public let video: Bool

    public static let byteCount = 8
    private static let videoFlag: UInt8 = 1

    public init(sequence: UInt32, video: Bool = false) {
        self.sequence = sequence
        self.video = video
    }

    /// Whether a binary frame says it is an acknowledgement (then `decode` checks the rest).
    public static func isAcknowledgement(_ frame: [UInt8]) -> Bool {
        frame.count > 2 && frame[0] == ScreenUpdate.magic && frame[2] == ScreenUpdate.Kind.acknowledgement.rawValue
    }

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [ScreenUpdate.magic, ScreenUpdate.formatVersion, ScreenUpdate.Kind.acknowledgement.rawValue,
                            video ? Self.videoFlag : 0]
        out.append(bigEndian: sequence)
        return out
    }

    public static func decode(_ frame: [UInt8]) throws(ScreenUpdate.DecodingProblem) -> FrameAcknowledgement {
        guard frame.count >= byteCount else { throw .tooShort }
        guard isAcknowledgement(frame) else { throw .notAScreenFrame }
        guard frame[1] == ScreenUpdate.formatVersion else { throw .unsupportedVersion(frame[1]) }
        guard frame.count == byteCount else { throw .trailingBytes(frame.count - byteCount) }
        let sequence = frame[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return FrameAcknowledgement(sequence: sequence, video: frame[3] & videoFlag != 0)
    }
}
