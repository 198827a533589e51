import Testing
@testable import LifelineGateway

/// The binary frames gateway nodes send each other over their links (issue 20, H1).
@Suite("Link frames between gateway nodes")
struct LinkMessageTests {
    @Test("a console's frame for the serving node comes out as it went in, and is never taken for a frame to consoles")
    func consoleFrame() {
        let bytes: [UInt8] = [0x4C, 1, 1, 0, 9, 9]
        let packed = LinkMessage.fromConsole(bytes, technicianId: "tech-1", tokenHash: "abc123", viaCookie: true)
        #expect(LinkMessage.unpackFromConsole(packed) == .init(technicianId: "tech-1", tokenHash: "abc123", viaCookie: true, bytes: bytes))
        #expect(LinkMessage.unpack(packed) == nil, "a zero length names no technician")
        let toConsoles = LinkMessage.binary(bytes, for: "tech-1")
        #expect(LinkMessage.unpackFromConsole(toConsoles) == nil)
        #expect(LinkMessage.unpack(toConsoles)?.bytes == bytes)
    }

    @Test("cut-short console frames are refused", arguments: [
        [UInt8](), [0], [0, 3, 0x61], [0, 1, 0x61, 0], [0, 1, 0x61, 2, 0x62, 0x63],
    ])
    func cutShort(frame: [UInt8]) {
        #expect(LinkMessage.unpackFromConsole(frame) == nil)
    }
}
