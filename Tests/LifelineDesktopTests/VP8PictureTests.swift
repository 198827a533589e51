import CVPX
import Testing
import LifelineProtocol
@testable import LifelineDesktop

/// Makes real VP8 frames with libvpx's encoder from BGRX pictures, as a browser's WebCodecs would.
final class VP8TestEncoder {
    private var context = vpx_codec_ctx_t()
    let width: Int
    let height: Int

    init(width: Int, height: Int) throws {
        self.width = width
        self.height = height
        let result = lifeline_vp8_encoder_init(&context, UInt32(width), UInt32(height))
        try #require(result == VPX_CODEC_OK)
    }

    deinit { vpx_codec_destroy(&context) }

    /// One frame of `picture` (BGRX); a key frame when asked, else one following on the one before.
    func encode(_ picture: TestImage, keyFrame: Bool, index: Int) throws -> [UInt8] {
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        var y = [UInt8](repeating: 0, count: width * height)
        var u = [UInt8](repeating: 0, count: chromaWidth * chromaHeight)
        var v = [UInt8](repeating: 0, count: chromaWidth * chromaHeight)
        ARGBToI420(picture.pixels, Int32(width * 4), &y, Int32(width), &u, Int32(chromaWidth), &v, Int32(chromaWidth),
                   Int32(width), Int32(height))
        var planar = y + u + v
        var frames: [UInt8] = []
        try planar.withUnsafeMutableBufferPointer { buffer in
            var image = vpx_image_t()
            try #require(vpx_img_wrap(&image, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 1, buffer.baseAddress) != nil)
            let flags: vpx_enc_frame_flags_t = keyFrame ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
            try #require(vpx_codec_encode(&context, &image, vpx_codec_pts_t(index), 1, flags, UInt(VPX_DL_REALTIME)) == VPX_CODEC_OK)
            var iterator: vpx_codec_iter_t? = nil
            while let packet = vpx_codec_get_cx_data(&context, &iterator) {
                guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
                let frame = packet.pointee.data.frame
                frames += UnsafeRawBufferPointer(start: frame.buf, count: frame.sz)
            }
        }
        return frames
    }
}

@Suite("The technician's screen as VP8 video in the customer's window (H1)")
struct VP8PictureTests {
    /// 160 × 96: a blue-ish left half and an orange right half (BGRX).
    static func twoColours(left: (UInt8, UInt8, UInt8), right: (UInt8, UInt8, UInt8)) -> TestImage {
        let image = TestImage(width: 160, height: 96)
        for row in 0..<96 {
            for column in 0..<160 {
                let (b, g, r) = column < 80 ? left : right
                let at = (row * 160 + column) * 4
                image.pixels[at] = b
                image.pixels[at + 1] = g
                image.pixels[at + 2] = r
            }
        }
        return image
    }

    static func update(_ sequence: UInt32, _ bytes: [UInt8]) -> ScreenUpdate {
        ScreenUpdate(sequence: sequence, screenWidth: 160, screenHeight: 96,
                     tiles: [.init(x: 0, y: 0, width: 160, height: 96, encoding: .vp8, bytes: bytes)])
    }

    /// The picture's (blue, green, red) at a point.
    static func colour(_ picture: SharedPicture, _ x: Int, _ y: Int) -> (Int, Int, Int) {
        let at = (y * picture.width + x) * 4
        return (Int(picture.pixels[at]), Int(picture.pixels[at + 1]), Int(picture.pixels[at + 2]))
    }

    static func near(_ actual: (Int, Int, Int), _ expected: (UInt8, UInt8, UInt8), within tolerance: Int = 12) -> Bool {
        abs(actual.0 - Int(expected.0)) <= tolerance && abs(actual.1 - Int(expected.1)) <= tolerance && abs(actual.2 - Int(expected.2)) <= tolerance
    }

    @Test("a key frame and the frames after it are drawn in their colours; the frame bytes travel in a screen update")
    func drawn() throws {
        let blue: (UInt8, UInt8, UInt8) = (200, 90, 30), orange: (UInt8, UInt8, UInt8) = (20, 140, 240)
        let encoder = try VP8TestEncoder(width: 160, height: 96)
        let picture = try SharedPicture()
        let key = try encoder.encode(Self.twoColours(left: blue, right: orange), keyFrame: true, index: 0)
        #expect(VP8Decoder.isKeyFrame(key))
        let sent = Self.update(1, key).encoded()
        try picture.apply(ScreenUpdate.decode(sent, forApplet: true))
        #expect(picture.width == 160 && picture.height == 96)
        #expect(Self.near(Self.colour(picture, 20, 40), blue) && Self.near(Self.colour(picture, 140, 40), orange))
        // The halves swap in frames that follow on the first (the encoder refines them over a few).
        for index in 1...4 {
            let delta = try encoder.encode(Self.twoColours(left: orange, right: blue), keyFrame: false, index: index)
            #expect(!VP8Decoder.isKeyFrame(delta))
            try picture.apply(Self.update(UInt32(index + 1), delta))
        }
        #expect(Self.near(Self.colour(picture, 20, 40), orange) && Self.near(Self.colour(picture, 140, 40), blue))
    }

    @Test("a frame that follows on one the applet never had is refused, and so is each after it until a key frame")
    func awaitsKeyFrame() throws {
        let grey: (UInt8, UInt8, UInt8) = (128, 128, 128), green: (UInt8, UInt8, UInt8) = (40, 200, 60)
        let encoder = try VP8TestEncoder(width: 160, height: 96)
        _ = try encoder.encode(Self.twoColours(left: grey, right: grey), keyFrame: true, index: 0)
        let delta = try encoder.encode(Self.twoColours(left: green, right: grey), keyFrame: false, index: 1)
        let picture = try SharedPicture()
        #expect(throws: DesktopError.self) { try picture.apply(Self.update(1, delta)) }
        #expect(throws: DesktopError.self, "garbage is refused too") { try picture.apply(Self.update(2, [0x01, 0x02, 0x03])) }
        try picture.apply(Self.update(3, try encoder.encode(Self.twoColours(left: green, right: green), keyFrame: true, index: 2)))
        #expect(Self.near(Self.colour(picture, 20, 40), green) && Self.near(Self.colour(picture, 140, 40), green))
        // A key frame of another size than the update says is refused.
        let small = try VP8TestEncoder(width: 80, height: 48)
        let smallImage = TestImage(width: 80, height: 48, fill: 90)
        #expect(throws: DesktopError.self) { try picture.apply(Self.update(4, try small.encode(smallImage, keyFrame: true, index: 0))) }
    }

    @Test("a video frame is accepted only where video is, alone and over the whole screen")
    func onlyWhereAccepted() throws {
        let whole = Self.update(1, [0x10, 0x20]).encoded()
        #expect(throws: ScreenUpdate.DecodingProblem.videoNotAccepted) { try ScreenUpdate.validate(whole) }
        try ScreenUpdate.validate(whole, forApplet: true)
        let part = ScreenUpdate(sequence: 1, screenWidth: 160, screenHeight: 96,
                                tiles: [.init(x: 0, y: 0, width: 80, height: 96, encoding: .vp8, bytes: [1])]).encoded()
        #expect(throws: ScreenUpdate.DecodingProblem.videoNotAccepted) { try ScreenUpdate.validate(part, forApplet: true) }
        let twice = ScreenUpdate(sequence: 1, screenWidth: 160, screenHeight: 96, tiles: [
            .init(x: 0, y: 0, width: 160, height: 96, encoding: .vp8, bytes: [1]),
            .init(x: 0, y: 0, width: 160, height: 96, encoding: .vp8, bytes: [1]),
        ]).encoded()
        #expect(throws: ScreenUpdate.DecodingProblem.videoNotAccepted) { try ScreenUpdate.validate(twice, forApplet: true) }
    }
}
