import LifelineProtocol

/// The technician's screen as the customer's applet keeps it (H1): a BGRX picture the screen
/// updates paint, tile by tile. A new screen size starts a new, black picture.
public final class SharedPicture {
    public private(set) var width = 0
    public private(set) var height = 0
    public private(set) var pixels: [UInt8] = []
    private let decoder: JPEGDecoder
    /// Made when the first video frame comes (most sharings from a Chromium browser).
    private var video: VP8Decoder?

    public init() throws(DesktopError) {
        decoder = try JPEGDecoder()
    }

    public var bytesPerRow: Int { width * 4 }

    /// Paints one update (its tiles were checked against its screen size when it was decoded).
    public func apply(_ update: ScreenUpdate) throws(DesktopError) {
        let (newWidth, newHeight) = (Int(update.screenWidth), Int(update.screenHeight))
        if newWidth != width || newHeight != height {
            width = newWidth
            height = newHeight
            pixels = [UInt8](repeating: 0, count: newWidth * newHeight * 4)
        }
        for tile in update.tiles {
            let (x, y, w, h) = (Int(tile.x), Int(tile.y), Int(tile.width), Int(tile.height))
            switch tile.encoding {
            case .jpeg:
                try paint { base, row throws(DesktopError) in
                    try decoder.decode(tile.bytes, into: base, bytesPerRow: row, x: x, y: y, width: w, height: h)
                }
            case .copy:
                guard tile.bytes.count == 4 else { throw .decodingFailed("a copy tile without its source") }
                let sourceX = Int(tile.bytes[0]) << 8 | Int(tile.bytes[1])
                let sourceY = Int(tile.bytes[2]) << 8 | Int(tile.bytes[3])
                guard sourceX + w <= width, sourceY + h <= height else { throw .decodingFailed("a copy from outside the screen") }
                copy(from: (sourceX, sourceY), to: (x, y), width: w, height: h)
            case .palette, .video, .png:
                throw .decodingFailed("palette, video and PNG tiles are not sent by consoles")
            case .vp8:
                // The whole screen (ScreenUpdate checked that it is the update's only tile).
                let decoder: VP8Decoder
                if let video { decoder = video } else { decoder = try VP8Decoder() }
                video = decoder
                try paint { base, row throws(DesktopError) in
                    try decoder.decode(tile.bytes, into: base, bytesPerRow: row, width: w, height: h)
                }
            }
        }
    }

    /// Runs a decoder over the picture's pixels (their address and bytes per row).
    private func paint(_ decode: (UnsafeMutableRawPointer, Int) throws(DesktopError) -> Void) throws(DesktopError) {
        let row = bytesPerRow
        let failure: DesktopError? = pixels.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return nil }
            do throws(DesktopError) {
                try decode(base, row)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Rows in the order that never reads a row already overwritten (the rectangles may overlap).
    private func copy(from source: (x: Int, y: Int), to target: (x: Int, y: Int), width w: Int, height h: Int) {
        let rows = source.y < target.y ? Array((0..<h).reversed()) : Array(0..<h)
        let row = bytesPerRow
        pixels.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            for index in rows {
                // memmove semantics: overlapping within a row is fine.
                (base + (target.y + index) * row + target.x * 4)
                    .copyMemory(from: base + (source.y + index) * row + source.x * 4, byteCount: w * 4)
            }
        }
    }
}

/// How the picture fills the customer's window: fitted (the default), or at a zoom factor from
/// the top-left of the picture; the magnifier shows the part under the pointer twice as large
/// in a box beside it. Pure: it maps window pixels to picture pixels.
public struct SharedPictureView: Equatable, Sendable {
    public static let zoomSteps: [Double] = [0.25, 0.5, 0.75, 1, 1.5, 2, 3]
    /// nil: fit the window; otherwise one of `zoomSteps`.
    public var zoom: Double?
    public var magnifier = false
    public var pointer: (x: Int, y: Int)?
    public static let magnifierSize = 240
    public static let magnification = 2.0

    public init() {}

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.zoom == rhs.zoom && lhs.magnifier == rhs.magnifier && lhs.pointer?.x == rhs.pointer?.x && lhs.pointer?.y == rhs.pointer?.y
    }

    /// Picture pixels per window pixel.
    public func scale(picture: (width: Int, height: Int), window: (width: Int, height: Int)) -> Double {
        if let zoom { return 1 / zoom }
        guard window.width > 0, window.height > 0, picture.width > 0, picture.height > 0 else { return 1 }
        return max(Double(picture.width) / Double(window.width), Double(picture.height) / Double(window.height))
    }

    public mutating func zoomIn() { step(by: 1) }
    public mutating func zoomOut() { step(by: -1) }
    public mutating func fit() { zoom = nil }

    private mutating func step(by offset: Int) {
        let current = zoom ?? 1
        let index = Self.zoomSteps.firstIndex { $0 >= current } ?? Self.zoomSteps.count - 1
        zoom = Self.zoomSteps[min(max(index + offset, 0), Self.zoomSteps.count - 1)]
    }

    /// Paints `window` (BGRX, width × height) from the picture: black outside it.
    public func render(_ picture: SharedPicture, into window: UnsafeMutableRawPointer, width: Int, height: Int) {
        let factor = scale(picture: (picture.width, picture.height), window: (width, height))
        let target = window.assumingMemoryBound(to: UInt32.self)
        picture.pixels.withUnsafeBytes { buffer in
            let source = buffer.bindMemory(to: UInt32.self)
            if factor == 1, !magnifier {
                // One picture pixel per window pixel (full screen, zoom 100 %): whole rows at once.
                let shown = min(width, picture.width)
                for y in 0..<height {
                    let line = target + y * width
                    if y < picture.height, let start = source.baseAddress {
                        line.update(from: start + y * picture.width, count: shown)
                        if shown < width { (line + shown).update(repeating: 0, count: width - shown) }
                    } else {
                        line.update(repeating: 0, count: width)
                    }
                }
                return
            }
            let columns = (0..<width).map { Int(Double($0) * factor) }
            for y in 0..<height {
                let sourceY = Int(Double(y) * factor)
                let line = target + y * width
                guard sourceY < picture.height else {
                    line.update(repeating: 0, count: width)
                    continue
                }
                let sourceLine = sourceY * picture.width
                for x in 0..<width {
                    let sourceX = columns[x]
                    line[x] = sourceX < picture.width ? source[sourceLine + sourceX] : 0
                }
            }
            guard magnifier, let pointer else { return }
            // The box sits at the pointer; it shows what lies under it, twice as large as the view.
            let size = min(Self.magnifierSize, width, height)
            let left = min(max(pointer.x - size / 2, 0), width - size)
            let top = min(max(pointer.y - size / 2, 0), height - size)
            let inner = factor / Self.magnification
            for y in 0..<size {
                let line = target + (top + y) * width + left
                let sourceY = Int((Double(pointer.y) + Double(y - size / 2) / Self.magnification) * factor)
                for x in 0..<size {
                    let sourceX = Int(Double(pointer.x) * factor + Double(x - size / 2) * inner)
                    let border = x == 0 || y == 0 || x == size - 1 || y == size - 1
                    line[x] = border ? 0x00FF_D000 : (sourceX >= 0 && sourceY >= 0 && sourceX < picture.width && sourceY < picture.height
                                                     ? source[sourceY * picture.width + sourceX] : 0)
                }
            }
        }
    }
}
