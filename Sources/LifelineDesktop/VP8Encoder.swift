import CVPX
#if canImport(Glibc)
import Glibc
#endif

/// A part of the customer's screen that keeps changing, as VP8 video (issue 23): libyuv turns the
/// BGRX pixels into I420 and libvpx encodes them in real time at a constant bit rate. VP8 rather
/// than VP9 or H.264: libvpx's VP8 is the quickest real-time encoder Debian ships (a changing
/// 1080p frame in about 10 ms on two threads, where VP9 needs several times that), BSD-licensed
/// like the rest of the applet (x264 is GPL, and H.264 carries patent fees), and every browser's
/// WebCodecs decodes it. One encoder is one video of one rectangle's size.
public final class VP8Encoder {
    public let width: Int
    public let height: Int
    private var context = vpx_codec_ctx_t()
    private var picture = vpx_image_t()
    private var frames = 0
    private var lastTime: Int64?

    /// `bitsPerSecond`: the constant bit rate the encoder keeps to.
    public init(width: Int, height: Int, bitsPerSecond: Int) throws(DesktopError) {
        guard width > 0, height > 0, width <= 16383, height <= 16383 else {
            throw .encodingFailed("a \(width)x\(height) video cannot be encoded")
        }
        self.width = width
        self.height = height
        // Two threads pay off from about a quarter of a 1080p screen.
        let threads: UInt32 = width * height >= 500_000 ? 2 : 1
        let result = lifeline_vp8_realtime_encoder_init(&context, UInt32(width), UInt32(height),
                                                        UInt32(max(100, bitsPerSecond / 1000)), threads)
        guard result == VPX_CODEC_OK else { throw .encodingFailed("the VP8 encoder did not start (\(Self.describe(result)))") }
        guard vpx_img_alloc(&picture, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 16) != nil else {
            vpx_codec_destroy(&context)
            throw .encodingFailed("no memory for a \(width)x\(height) picture")
        }
    }

    deinit {
        vpx_img_free(&picture)
        vpx_codec_destroy(&context)
    }

    /// The encoder's rectangle of `image`, its top left corner at `x`, `y`, as one VP8 frame: a
    /// key frame the first time and when `keyFrame` asks, else one that follows on the last.
    /// `milliseconds`: when the picture was taken (the rate control's clock).
    public func encode(_ image: ScreenImage, x: Int, y: Int, grayscale: Bool, keyFrame: Bool,
                       milliseconds: Int64) throws(DesktopError) -> [UInt8] {
        guard x >= 0, y >= 0, x + width <= image.width, y + height <= image.height else {
            throw .encodingFailed("the video's rectangle lies outside the screen")
        }
        let start = (image.pixels + y * image.bytesPerRow + x * 4).assumingMemoryBound(to: UInt8.self)
        let converted = ARGBToI420(start, Int32(image.bytesPerRow), picture.planes.0, picture.stride.0, picture.planes.1, picture.stride.1,
                                   picture.planes.2, picture.stride.2, Int32(width), Int32(height))
        guard converted == 0 else { throw .encodingFailed("the colours could not be converted") }
        if grayscale {
            // Grey: both colour planes at their middle value.
            let chromaRows = (height + 1) / 2
            if let u = picture.planes.1, let v = picture.planes.2 {
                memset(u, 128, Int(picture.stride.1) * chromaRows)
                memset(v, 128, Int(picture.stride.2) * chromaRows)
            }
        }
        let duration = max(1, min(1000, milliseconds - (lastTime ?? (milliseconds - 33))))
        lastTime = milliseconds
        let flags: vpx_enc_frame_flags_t = keyFrame || frames == 0 ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let result = vpx_codec_encode(&context, &picture, vpx_codec_pts_t(milliseconds), UInt(duration), flags, UInt(VPX_DL_REALTIME))
        guard result == VPX_CODEC_OK else { throw .encodingFailed("VP8: \(Self.describe(result))") }
        frames += 1
        var output: [UInt8] = []
        var iterator: vpx_codec_iter_t? = nil
        while let packet = vpx_codec_get_cx_data(&context, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let frame = packet.pointee.data.frame
            output += UnsafeRawBufferPointer(start: frame.buf, count: frame.sz)
        }
        guard !output.isEmpty else { throw .encodingFailed("VP8: the encoder gave no frame") }
        return output
    }

    private static func describe(_ result: vpx_codec_err_t) -> String {
        guard let text = vpx_codec_err_to_string(result) else { return "error \(result.rawValue)" }
        return String(cString: text)
    }
}
