import CVPX
import LifelineProtocol

/// The technician's screen as VP8 video (H1, from a browser with WebCodecs) into a BGRX picture:
/// libvpx decodes, libyuv turns its BT.601 YUV into the picture's pixels. Each frame follows on
/// the ones before it, so after a frame that could not be decoded every frame up to the next key
/// frame is refused rather than drawn wrong.
public final class VP8Decoder {
    private var context = vpx_codec_ctx_t()
    private var awaitingKeyFrame = true

    public init() throws(DesktopError) {
        let result = lifeline_vp8_decoder_init(&context)
        guard result == VPX_CODEC_OK else { throw .decodingFailed("the VP8 decoder did not start (\(Self.describe(result)))") }
    }

    deinit { vpx_codec_destroy(&context) }

    /// Whether `frame` stands alone (a key frame), as the protocol reads it.
    public static func isKeyFrame(_ frame: [UInt8]) -> Bool { VideoTile.isKeyFrame(frame[...]) }

    /// Decodes `frame` into `pixels` (BGRX, `bytesPerRow` wide), which must be exactly the
    /// frame's `width` × `height`.
    public func decode(_ frame: [UInt8], into pixels: UnsafeMutableRawPointer, bytesPerRow: Int,
                       width: Int, height: Int) throws(DesktopError) {
        if Self.isKeyFrame(frame) {
            awaitingKeyFrame = false
        } else if awaitingKeyFrame {
            throw .decodingFailed("a VP8 frame came without the key frame it follows")
        }
        let result = frame.withUnsafeBufferPointer { buffer in
            vpx_codec_decode(&context, buffer.baseAddress, UInt32(buffer.count), nil, 0)
        }
        guard result == VPX_CODEC_OK else {
            awaitingKeyFrame = true
            throw .decodingFailed("VP8: \(Self.describe(result))")
        }
        var iterator: vpx_codec_iter_t? = nil
        guard let image = vpx_codec_get_frame(&context, &iterator)?.pointee else {
            throw .decodingFailed("VP8: the frame gave no picture")
        }
        guard Int(image.d_w) == width, Int(image.d_h) == height, image.fmt == VPX_IMG_FMT_I420 else {
            awaitingKeyFrame = true
            throw .decodingFailed("a \(image.d_w)x\(image.d_h) VP8 frame for a \(width)x\(height) screen")
        }
        let converted = I420ToARGB(image.planes.0, image.stride.0, image.planes.1, image.stride.1,
                                   image.planes.2, image.stride.2,
                                   pixels.assumingMemoryBound(to: UInt8.self), Int32(bytesPerRow), Int32(width), Int32(height))
        guard converted == 0 else { throw .decodingFailed("VP8: the colours could not be converted") }
    }

    private static func describe(_ result: vpx_codec_err_t) -> String {
        guard let text = vpx_codec_err_to_string(result) else { return "error \(result.rawValue)" }
        return String(cString: text)
    }
}
