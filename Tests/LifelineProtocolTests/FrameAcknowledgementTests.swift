import LifelineProtocol
import Testing

@Suite("A frame acknowledgement is eight bytes to the applet, and a malformed one is refused")
struct FrameAcknowledgementTests {
    @Test("sequence and the video flag go there and back", arguments: [(UInt32(1), false), (0xDEAD_BEEF, true), (UInt32.max, false)])
    func roundTrip(sequence: UInt32, video: Bool) throws {
        let bytes = FrameAcknowledgement(sequence: sequence, video: video).encoded()
        #expect(bytes.count == FrameAcknowledgement.byteCount)
        #expect(FrameAcknowledgement.isAcknowledgement(bytes))
        #expect(try FrameAcknowledgement.decode(bytes) == FrameAcknowledgement(sequence: sequence, video: video))
    }

    @Test("the layout is the documented one: L, version, kind 3, flags, sequence big-endian")
    func layout() {
        #expect(FrameAcknowledgement(sequence: 0x0102_0304, video: true).encoded() == [0x4C, 1, 3, 1, 1, 2, 3, 4])
    }

    @Test("a screen update or cursor is no acknowledgement, and malformed ones are refused")
    func malformed() {
        let cursor = CursorUpdate(x: 1, y: 2, shape: nil).encoded()
        #expect(!FrameAcknowledgement.isAcknowledgement(cursor))
        #expect(!FrameAcknowledgement.isAcknowledgement(ScreenUpdate(sequence: 1, screenWidth: 8, screenHeight: 8, tiles: []).encoded()))
        #expect(throws: ScreenUpdate.DecodingProblem.tooShort) { try FrameAcknowledgement.decode([0x4C, 1, 3, 0, 0]) }
        #expect(throws: ScreenUpdate.DecodingProblem.trailingBytes(1)) { try FrameAcknowledgement.decode([0x4C, 1, 3, 0, 0, 0, 0, 1, 9]) }
        #expect(throws: ScreenUpdate.DecodingProblem.unsupportedVersion(2)) { try FrameAcknowledgement.decode([0x4C, 2, 3, 0, 0, 0, 0, 1]) }
        #expect(throws: ScreenUpdate.DecodingProblem.notAScreenFrame) { try FrameAcknowledgement.decode(cursor) }
    }
}
