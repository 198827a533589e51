import CTurboJPEG

/// JPEG tiles into a BGRX picture with libjpeg-turbo: the technician's screen shown to the customer (H1).
public final class JPEGDecoder {
    private let handle: tjhandle

    public init() throws(DesktopError) {
        guard let handle = tjInitDecompress() else { throw .decodingFailed("tjInitDecompress failed") }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// Decodes `jpeg` into `pixels` (BGRX, `bytesPerRow` wide) at (x, y); the image must be
    /// exactly `width` × `height` and lie inside the picture (the caller checked the rectangle).
    public func decode(_ jpeg: [UInt8], into pixels: UnsafeMutableRawPointer, bytesPerRow: Int, x: Int, y: Int,
                       width: Int, height: Int) throws(DesktopError) {
        var actualWidth: Int32 = 0, actualHeight: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        var source = jpeg
        let headerRead = source.withUnsafeMutableBufferPointer { buffer in
            tjDecompressHeader3(handle, buffer.baseAddress, UInt(buffer.count), &actualWidth, &actualHeight, &subsampling, &colourspace)
        }
        guard headerRead == 0 else { throw .decodingFailed(String(cString: tjGetErrorStr2(handle))) }
        guard Int(actualWidth) == width, Int(actualHeight) == height else {
            throw .decodingFailed("a \(actualWidth)x\(actualHeight) JPEG for a \(width)x\(height) tile")
        }
        let target = (pixels + y * bytesPerRow + x * 4).assumingMemoryBound(to: UInt8.self)
        let result = source.withUnsafeMutableBufferPointer { buffer in
            tjDecompress2(handle, buffer.baseAddress, UInt(buffer.count), target, actualWidth, Int32(bytesPerRow), actualHeight,
                          Int32(TJPF_BGRX.rawValue), TJFLAG_FASTDCT)
        }
        guard result == 0 else { throw .decodingFailed(String(cString: tjGetErrorStr2(handle))) }
    }
}
