import CTurboJPEG

/// JPEG tiles of the screen with libjpeg-turbo (about 1.5–3 ms for a 720p screen at q80).
/// The colour quality setting (J7) chooses the quality and, at its lowest, grayscale.
public final class JPEGEncoder {
    private let handle: tjhandle

    public init() throws(DesktopError) {
        guard let handle = tjInitCompress() else { throw .encodingFailed("tjInitCompress failed") }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// The region `rect` of `image` (BGRX) as a JPEG; `fullColour`: colour at every pixel
    /// (4:4:4) rather than one per 2 × 2 block, for a picture sent again sharp once still.
    public func encode(_ image: ScreenImage, rect: ScreenRect, quality: Int, grayscale: Bool, fullColour: Bool = false) throws(DesktopError) -> [UInt8] {
        let sampling = grayscale ? TJSAMP_GRAY : fullColour ? TJSAMP_444 : TJSAMP_420
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let start = image.pixels + rect.y * image.bytesPerRow + rect.x * 4
        let result = tjCompress2(handle, start.assumingMemoryBound(to: UInt8.self), Int32(rect.width), Int32(image.bytesPerRow),
                                 Int32(rect.height), Int32(TJPF_BGRX.rawValue), &output, &size,
                                 Int32(sampling.rawValue), Int32(quality), TJFLAG_FASTDCT)
        defer { if let output { tjFree(output) } }
        guard result == 0, let output else {
            throw .encodingFailed(String(cString: tjGetErrorStr2(handle)))
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }
}
