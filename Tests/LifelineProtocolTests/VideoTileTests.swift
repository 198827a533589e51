import Testing
@testable import LifelineProtocol

/// Video tiles (issue 23): the customer's moving regions as VP8 frames with the parts they changed.
@Suite("Video tiles carry a VP8 frame and the parts it changed, checked before anyone decodes them")
struct VideoTileTests {
    /// A key frame's first ten bytes for a `width` × `height` picture (frame tag, start code, size), then a body.
    static func keyFrame(width: Int, height: Int) -> [UInt8] {
        [0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A, UInt8(width & 0xFF), UInt8(width >> 8), UInt8(height & 0xFF), UInt8(height >> 8), 7, 7]
    }

    static let delta: [UInt8] = [0x31, 0x02, 0x00, 9, 9]

    static func frame(_ tiles: [ScreenUpdate.Tile]) -> [UInt8] {
        ScreenUpdate(sequence: 1, screenWidth: 640, screenHeight: 360, tiles: tiles).encoded()
    }

    static func videoTile(x: UInt16 = 64, y: UInt16 = 32, width: UInt16 = 320, height: UInt16 = 192, _ payload: VideoTile) -> ScreenUpdate.Tile {
        ScreenUpdate.Tile(x: x, y: y, width: width, height: height, encoding: .video, bytes: payload.encoded())
    }

    @Test("a key frame and a delta go through encoding and decoding unchanged")
    func roundTrip() throws {
        let parts = [VideoTile.Part(x: 0, y: 0, width: 64, height: 64), VideoTile.Part(x: 256, y: 128, width: 64, height: 64)]
        for payload in [VideoTile(frameWidth: 320, frameHeight: 192, parts: parts, frame: Self.keyFrame(width: 320, height: 192)), VideoTile(frameWidth: 320, frameHeight: 192, parts: parts, frame: Self.delta)] {
            let update = try ScreenUpdate.decode(Self.frame([Self.videoTile(payload)]))
            #expect(update.tiles.first?.encoding == .video)
            let decoded = try VideoTile.decode(update.tiles[0].bytes[...], width: 320, height: 192)
            #expect(decoded == payload)
            #expect(decoded.isKeyFrame == (payload.frame == Self.keyFrame(width: 320, height: 192)))
        }
    }

    /// The video's size, 320 × 192 (the tile's), before the parts.
    static let size: [UInt8] = [0x01, 0x40, 0x00, 0xC0]

    @Test("malformed payloads are refused with what is wrong", arguments: [
        ([0x00], VideoTile.Problem.truncated),
        (size + [0x01, 0x01], .tooManyParts(257)),
        (size + [0x00, 0x01, 0, 0, 0, 0], .truncated),
        (size + [0x00, 0x01, 0, 0, 0, 0, 1, 0x41, 0, 1] + delta, .partOutsideTile(index: 0)),
        (size + [0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1] + delta, .partOutsideTile(index: 0)),
        (size + [0x00, 0x00], .emptyFrame),
        (size + [0x00, 0x00, 0x50, 0x42, 0x00, 0x9D], .truncated),
        (size + [0x00, 0x00] + keyFrame(width: 640, height: 192), .keyFrameSize(width: 640, height: 192)),
        ([0x01, 0x41, 0x00, 0xC0, 0x00, 0x00] + delta, .frameSize(width: 321, height: 192)),
        ([0x00, 0x01, 0x00, 0xC0, 0x00, 0x00] + delta, .frameSize(width: 1, height: 192)),
    ] as [([UInt8], VideoTile.Problem)])
    func malformed(bytes: [UInt8], problem: VideoTile.Problem) {
        #expect(throws: problem) { try VideoTile.decode(bytes[...], width: 320, height: 192) }
        let tile = ScreenUpdate.Tile(x: 0, y: 0, width: 320, height: 192, encoding: .video, bytes: bytes)
        #expect(throws: ScreenUpdate.DecodingProblem.badVideoTile(index: 0, problem)) { try ScreenUpdate.validate(Self.frame([tile])) }
    }

    @Test("a video smaller than its tile (scaled up by the console) carries its own size in its key frame")
    func smallerVideo() throws {
        let payload = VideoTile(frameWidth: 160, frameHeight: 96, parts: Self.wholePart, frame: Self.keyFrame(width: 160, height: 96))
        #expect(try VideoTile.decode(payload.encoded()[...], width: 320, height: 192) == payload)
        let wrong = VideoTile(frameWidth: 160, frameHeight: 96, parts: [], frame: Self.keyFrame(width: 320, height: 192))
        #expect(throws: VideoTile.Problem.keyFrameSize(width: 320, height: 192)) { try VideoTile.decode(wrong.encoded()[...], width: 320, height: 192) }
    }

    @Test("a video tile never goes to the applet, which draws technicians' screens")
    func notForTheApplet() {
        let tile = Self.videoTile(VideoTile(frameWidth: 320, frameHeight: 192, parts: [], frame: Self.keyFrame(width: 320, height: 192)))
        #expect(throws: ScreenUpdate.DecodingProblem.videoNotAccepted) { try ScreenUpdate.validate(Self.frame([tile]), forApplet: true) }
    }

    static func jpeg(_ x: UInt16, _ y: UInt16, _ width: UInt16, _ height: UInt16, _ marker: UInt8) -> ScreenUpdate.Tile {
        ScreenUpdate.Tile(x: x, y: y, width: width, height: height, encoding: .jpeg, bytes: [marker])
    }

    static func update(_ sequence: UInt32, _ tiles: [ScreenUpdate.Tile]) -> ScreenUpdate {
        ScreenUpdate(sequence: sequence, screenWidth: 640, screenHeight: 360, tiles: tiles)
    }

    static let wholePart = [VideoTile.Part(x: 0, y: 0, width: 320, height: 192)]

    @Test("a slow viewer's backlog keeps every video frame since the last key frame, even painted over")
    func backlogKeepsTheChain() {
        var backlog = ScreenBacklog()
        backlog.add(Self.update(1, [Self.videoTile(VideoTile(frameWidth: 320, frameHeight: 192, parts: Self.wholePart, frame: Self.delta))]))
        backlog.add(Self.update(2, [Self.videoTile(VideoTile(frameWidth: 320, frameHeight: 192, parts: Self.wholePart, frame: Self.delta))]))
        backlog.add(Self.update(3, [Self.jpeg(64, 32, 320, 192, 3)]))
        let kept = backlog.take()?.tiles.map(\.encoding)
        #expect(kept == [.video, .video, .jpeg], "the decoder needs both frames though the picture is painted over")
    }

    @Test("frames before a later key frame are dropped once painted over; a key frame's parts paint only themselves")
    func backlogAfterAKeyFrame() {
        var backlog = ScreenBacklog()
        backlog.add(Self.update(1, [Self.videoTile(VideoTile(frameWidth: 320, frameHeight: 192, parts: Self.wholePart, frame: Self.delta))]))
        backlog.add(Self.update(2, [Self.jpeg(0, 0, 64, 32, 2)]))
        let halfPart = [VideoTile.Part(x: 0, y: 0, width: 160, height: 192)]  // of the tile
        backlog.add(Self.update(3, [Self.videoTile(VideoTile(frameWidth: 320, frameHeight: 192, parts: halfPart, frame: Self.keyFrame(width: 320, height: 192)))]))
        backlog.add(Self.update(4, [Self.jpeg(224, 32, 160, 192, 4)]))
        let kept = backlog.take()?.tiles
        #expect(kept?.map(\.encoding) == [.jpeg, .video, .jpeg], "the first video frame is covered by the key frame's part and the last tile")
        #expect(kept?.first?.bytes == [2])
    }

    @Test("a video frame does not make an update a whole screen for a viewer that lost track")
    func notAWholeScreen() {
        let video = Self.videoTile(x: 0, y: 0, width: 640, height: 360,
                                   VideoTile(frameWidth: 640, frameHeight: 360, parts: [.init(x: 0, y: 0, width: 640, height: 360)], frame: Self.keyFrame(width: 640, height: 360)))
        #expect(!ScreenBacklog.repaintsAll(Self.update(1, [video])))
        #expect(ScreenBacklog.repaintsAll(Self.update(1, [Self.jpeg(0, 0, 640, 360, 1)])))
    }
}
