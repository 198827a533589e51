import CVPX
#if canImport(Glibc)
import Glibc
#endif

/// A part of the customer's screen that keeps changing, as VP8 video (issue 23): libyuv turns the
/// BGRX pixels into I420 and libvpx encodes them in real time at a constant bit rate. VP8 rather
/// than VP9 or H.264: libvpx's VP8 is the quickest real-time encoder Debian ships (a changing
/// 1080p frame in about 15 ms on one thread, where VP9 needs several times that), BSD-licensed
/// like the rest of the applet (x264 is GPL, and H.264 carries patent fees), and every browser's
/// WebCodecs decodes it. One encoder is one video of one rectangle's size, encoded at that size
/// or smaller (`width` × `height`: the console scales it up).
public final class VP8Encoder {
    /// The size of the screen's rectangle the video shows.
    public let sourceWidth: Int
    public let sourceHeight: Int
    /// The video's own size: the rectangle's, or smaller.
    public let width: Int
    public let height: Int
    private var context = vpx_codec_ctx_t()
    private var picture = vpx_image_t()
    /// The rectangle at its own size before it is scaled down; nil when it is not.
    private var unscaled: vpx_image_t?
    /// Where the video's clock is, in milliseconds (0 until the first frame, a key frame): the rate
    /// control shares the bit rate out by it.
    private var clock = 0
    /// A frame's share of the bits counts at most this long since the last, so a frame after a
    /// pause (or behind a slow viewer) is no bigger than one in a steady 30 a second: bigger frames
    /// would take longer to decode and slow the viewer further. Frames closer together share.
    static let longestFrameMilliseconds = 33

    /// A video of a `sourceWidth` × `sourceHeight` rectangle at `width` × `height` (the same or
    /// smaller); `bitsPerSecond`: the constant bit rate the encoder keeps to.
    public init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int, bitsPerSecond: Int) throws(DesktopError) {
        guard width > 0, height > 0, width <= sourceWidth, height <= sourceHeight, sourceWidth <= 16383, sourceHeight <= 16383 else {
            throw .encodingFailed("a \(sourceWidth)x\(sourceHeight) rectangle cannot be encoded as a \(width)x\(height) video")
        }
        (self.sourceWidth, self.sourceHeight, self.width, self.height) = (sourceWidth, sourceHeight, width, height)
        // One thread: libvpx's VP8 threads wait for each other by spinning, which took a fifth of
        // the applet's time on two cores shared with the X server and the browser (perf), more
        // than the second thread gave back.
        let result = lifeline_vp8_realtime_encoder_init(&context, UInt32(width), UInt32(height),
                                                        UInt32(max(100, bitsPerSecond / 1000)), 1)
        guard result == VPX_CODEC_OK else { throw .encodingFailed("the VP8 encoder did not start (\(Self.describe(result)))") }
        guard vpx_img_alloc(&picture, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 16) != nil else {
            vpx_codec_destroy(&context)
            throw .encodingFailed("no memory for a \(width)x\(height) picture")
        }
        guard width != sourceWidth || height != sourceHeight else { return }
        var scratch = vpx_image_t()
        guard vpx_img_alloc(&scratch, VPX_IMG_FMT_I420, UInt32(sourceWidth), UInt32(sourceHeight), 16) != nil else {
            vpx_img_free(&picture)
            vpx_codec_destroy(&context)
            throw .encodingFailed("no memory for a \(sourceWidth)x\(sourceHeight) picture")
        }
        unscaled = scratch
    }

    deinit {
        vpx_img_free(&picture)
        if unscaled != nil { vpx_img_free(&unscaled!) }
        vpx_codec_destroy(&context)
    }

    /// The encoder's rectangle of `image`, its top left corner at `x`, `y`, as one VP8 frame at
    /// the video's size: a key frame the first time, then each one following on the last;
    /// `sinceLast`: the seconds since the last frame was taken.
    public func encode(_ image: ScreenImage, x: Int, y: Int, grayscale: Bool, sinceLast: Double = 1) throws(DesktopError) -> [UInt8] {
        guard x >= 0, y >= 0, x + sourceWidth <= image.width, y + sourceHeight <= image.height else {
            throw .encodingFailed("the video's rectangle lies outside the screen")
        }
        try convert(image, x: x, y: y)
        if grayscale {
            // Grey: both colour planes at their middle value.
            let chromaRows = (height + 1) / 2
            if let u = picture.planes.1, let v = picture.planes.2 {
                memset(u, 128, Int(picture.stride.1) * chromaRows)
                memset(v, 128, Int(picture.stride.2) * chromaRows)
            }
        }
        let duration = max(1, min(Self.longestFrameMilliseconds, Int(sinceLast * 1000)))
        let flags: vpx_enc_frame_flags_t = clock == 0 ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let result = vpx_codec_encode(&context, &picture, vpx_codec_pts_t(clock), UInt(duration), flags, UInt(VPX_DL_REALTIME))
        guard result == VPX_CODEC_OK else { throw .encodingFailed("VP8: \(Self.describe(result))") }
        clock += duration
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

    /// The rectangle at `x`, `y` of `image` into the picture to encode: converted to I420, then
    /// scaled down when the video is smaller.
    private func convert(_ image: ScreenImage, x: Int, y: Int) throws(DesktopError) {
        let start = (image.pixels + y * image.bytesPerRow + x * 4).assumingMemoryBound(to: UInt8.self)
        let full = unscaled ?? picture
        guard ARGBToI420(start, Int32(image.bytesPerRow), full.planes.0, full.stride.0, full.planes.1, full.stride.1,
                         full.planes.2, full.stride.2, Int32(sourceWidth), Int32(sourceHeight)) == 0 else {
            throw .encodingFailed("the colours could not be converted")
        }
        guard unscaled != nil else { return }
        guard I420Scale(full.planes.0, full.stride.0, full.planes.1, full.stride.1, full.planes.2, full.stride.2,
                        Int32(sourceWidth), Int32(sourceHeight), picture.planes.0, picture.stride.0, picture.planes.1, picture.stride.1,
                        picture.planes.2, picture.stride.2, Int32(width), Int32(height), kFilterBilinear) == 0 else {
            throw .encodingFailed("the picture could not be scaled")
        }
    }

    private static func describe(_ result: vpx_codec_err_t) -> String {
        guard let text = vpx_codec_err_to_string(result) else { return "error \(result.rawValue)" }
        return String(cString: text)
    }
}
