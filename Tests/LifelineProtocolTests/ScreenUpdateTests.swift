import Foundation
import Testing
@testable import LifelineProtocol

@Suite("Remote-screen frames (J1): round trip and hostile input")
struct ScreenUpdateTests {
    let sample = ScreenUpdate(sequence: 7, screenWidth: 1024, screenHeight: 768, tiles: [
        .init(x: 0, y: 0, width: 64, height: 64, encoding: .jpeg, bytes: [0xFF, 0xD8, 1, 2, 3]),
        .init(x: 960, y: 704, width: 64, height: 64, encoding: .jpeg, bytes: []),
    ])

    @Test("a frame decodes to what was encoded")
    func roundTrip() throws {
        #expect(try ScreenUpdate.decode(sample.encoded()) == sample)
    }

    @Test("a frame cut anywhere is refused, never read past its end")
    func truncated() {
        let bytes = sample.encoded()
        for length in 0..<bytes.count {
            #expect(throws: ScreenUpdate.DecodingProblem.self) { try ScreenUpdate.decode(Array(bytes.prefix(length))) }
        }
    }

    @Test("lying lengths, foreign frames, tiles off screen and extra bytes are clear errors")
    func hostile() {
        var bytes = sample.encoded()
        // First tile's byte count claims 1 GB.
        bytes[14 + 9] = 0x40
        #expect(throws: ScreenUpdate.DecodingProblem.truncatedTile(index: 0)) { try ScreenUpdate.decode(bytes) }
        #expect(throws: ScreenUpdate.DecodingProblem.notAScreenFrame) { try ScreenUpdate.decode([0x7B] + Array(sample.encoded().dropFirst())) }
        var version = sample.encoded()
        version[1] = 9
        #expect(throws: ScreenUpdate.DecodingProblem.unsupportedVersion(9)) { try ScreenUpdate.decode(version) }
        let offScreen = ScreenUpdate(sequence: 1, screenWidth: 100, screenHeight: 100,
                                     tiles: [.init(x: 90, y: 0, width: 20, height: 10, encoding: .jpeg, bytes: [1])])
        #expect(throws: ScreenUpdate.DecodingProblem.tileOutsideScreen(index: 0)) { try ScreenUpdate.decode(offScreen.encoded()) }
        #expect(throws: ScreenUpdate.DecodingProblem.trailingBytes(1)) { try ScreenUpdate.decode(sample.encoded() + [0]) }
        var encoding = sample.encoded()
        encoding[14 + 8] = 99
        #expect(throws: ScreenUpdate.DecodingProblem.unknownEncoding(99)) { try ScreenUpdate.decode(encoding) }
        #expect(throws: ScreenUpdate.DecodingProblem.tooLarge) {
            try ScreenUpdate.decode([UInt8](repeating: 0, count: ScreenUpdate.maximumFrameBytes + 1))
        }
    }

    @Test("input events keep their fields in JSON; unknown kinds are refused")
    func inputEvents() throws {
        let events: [InputEvent] = [.move(x: 3, y: 4), .button(button: 1, down: true, x: 3, y: 4), .wheel(steps: -2, x: 0, y: 0),
                                    .key(keysym: 0x3E, down: false)]
        let data = try JSONEncoder().encode(events)
        #expect(try JSONDecoder().decode([InputEvent].self, from: data) == events)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InputEvent.self, from: Data(#"{"t":"explode"}"#.utf8)) }
        #expect(!InputEvent.button(button: 42, down: true, x: 0, y: 0).isValid)
        #expect(!InputEvent.wheel(steps: 500, x: 0, y: 0).isValid)
    }

    @Test("remote-desktop messages travel in the envelope")
    func messages() throws {
        let request = ConsoleToGateway.remoteRequest(.init(sessionId: "123", mode: .control))
        #expect(try WireCodec.decode(WireCodec.encode(request), as: ConsoleToGateway.self) == request)
        let input = GatewayToApplet.input([.key(keysym: 0x61, down: true)])
        #expect(try WireCodec.decode(WireCodec.encode(input), as: GatewayToApplet.self) == input)
        let answer = AppletToGateway.remoteAnswer(.init(accepted: false))
        #expect(try WireCodec.decode(WireCodec.encode(answer), as: AppletToGateway.self) == answer)
    }
}

@Suite("Copy tiles (scrolling)")
struct CopyTileTests {
    @Test("a copy tile round-trips; a source outside the screen or a wrong length is refused")
    func copyTiles() throws {
        let good = ScreenUpdate(sequence: 2, screenWidth: 100, screenHeight: 100,
                                tiles: [.init(x: 0, y: 0, width: 100, height: 80, encoding: .copy, bytes: ScreenUpdate.copySource(x: 0, y: 20))])
        #expect(try ScreenUpdate.decode(good.encoded()) == good)
        let outside = ScreenUpdate(sequence: 2, screenWidth: 100, screenHeight: 100,
                                   tiles: [.init(x: 0, y: 0, width: 100, height: 80, encoding: .copy, bytes: ScreenUpdate.copySource(x: 0, y: 40))])
        #expect(throws: ScreenUpdate.DecodingProblem.tileOutsideScreen(index: 0)) { try ScreenUpdate.decode(outside.encoded()) }
        let short = ScreenUpdate(sequence: 2, screenWidth: 100, screenHeight: 100,
                                 tiles: [.init(x: 0, y: 0, width: 10, height: 10, encoding: .copy, bytes: [0, 0])])
        #expect(throws: ScreenUpdate.DecodingProblem.truncatedTile(index: 0)) { try ScreenUpdate.decode(short.encoded()) }
    }
}
