import LifelineProtocol

/// The video of the screen's moving part as the streamer keeps it (issue 23): which rectangle
/// (`VideoRegion`), its encoder, and the tile each update sends for it. Only while every console
/// that sees the screen decodes video (`StreamSettings.video`); otherwise everything stays tiles.
final class ScreenVideo {
    private var region = VideoRegion()
    private var encoder: VP8Encoder?
    /// Set when the encoder failed: this stream goes on in tiles.
    private(set) var failure: DesktopError?

    /// A larger moving region is encoded at a lower resolution with this many pixels at most,
    /// and scaled up by the console: decoding a 1080p picture 30 times a second is more than a
    /// browser without a hardware decoder keeps up with beside everything else (measured: 14 fps
    /// at 1080p, 29 fps at 1024 × 576 on two shared cores).
    static let maximumPixels = 1024 * 576

    /// The size a video of `rect` is encoded at: the rectangle's, or smaller with the same shape,
    /// even numbers.
    static func encodedSize(of rect: ScreenRect) -> (width: Int, height: Int) {
        let area = rect.width * rect.height
        guard area > maximumPixels else { return (rect.width, rect.height) }
        let scale = (Double(maximumPixels) / Double(area)).squareRoot()
        return (max(2, Int(Double(rect.width) * scale) / 2 * 2), max(2, Int(Double(rect.height) * scale) / 2 * 2))
    }

    /// Bits a second for a video of `width` × `height` at a JPEG-like `quality` (the colour
    /// quality, J7): about half a bit per pixel at 30 frames a second at quality 85 (9.4 Mbit/s at
    /// 1024 × 576; half that showed a noisy video at SSIM 0.80 instead of 0.83, video_frontier.sh).
    static func bitRate(width: Int, height: Int, quality: Int) -> Int {
        max(200_000, width * height * 30 * quality / 160)
    }

    /// When the last video frame was taken.
    private var lastFrameAt = 0.0

    /// Whether a video is being encoded.
    var isPlaying: Bool { encoder != nil }

    /// Looks without a scroll search inside the video since the last one.
    private var looksWithoutScrollSearch = 0
    /// A scroll is looked for inside a running video once every this many updates: a film does not
    /// scroll, and the search costs a tenth of the applet's time at 1080p; a page scrolled under
    /// the video is found within a third of a second.
    static let scrollSearchEvery = 10

    /// Whether a scroll need not be looked for in `rects`: they all lie in the video's rectangle,
    /// and it was looked for there not long ago.
    func skipsScrollSearch(in rects: [ScreenRect]) -> Bool {
        guard let video = region.rect, encoder != nil, rects.allSatisfy({ video.contains($0) }),
              looksWithoutScrollSearch < Self.scrollSearchEvery - 1 else {
            looksWithoutScrollSearch = 0
            return false
        }
        looksWithoutScrollSearch += 1
        return true
    }

    /// The screen scrolled (or a window moved): copies carry that better than a video, so the
    /// video ends and none starts for a moment.
    func scrolled(at now: Double) {
        reset()
        region.hold(until: now + Self.holdAfterScroll)
    }

    /// No video for this long after a scroll.
    static let holdAfterScroll = 1.0

    /// The next video frame starts from a key frame, of a new region.
    func reset() {
        region.reset()
        encoder = nil
    }

    /// Takes what of `rects` lies in the video's rectangle out of them and returns the video tile
    /// for it, with the parts it changed (marked blurred, to be sharpened once still); nil when
    /// there is no video or nothing in it changed.
    func tile(taking rects: inout [ScreenRect], of image: ScreenImage, motion: inout MotionTracker, now: Double,
              settings: StreamSettings) -> (tile: ScreenUpdate.Tile, parts: [ScreenRect])? {
        guard settings.video, failure == nil else {
            reset()
            return nil
        }
        let inside = region.rect.map { video in rects.contains { $0.intersection(video) != nil } } ?? false
        do throws(DesktopError) {
            switch region.next(moving: motion.movingBounds(), changedInside: inside, at: now, screenWidth: image.width, screenHeight: image.height) {
            case .none: return nil
            case .stop:
                encoder = nil
                return nil
            case .start(let rect):
                let size = Self.encodedSize(of: rect)
                encoder = try VP8Encoder(sourceWidth: rect.width, sourceHeight: rect.height, width: size.width, height: size.height,
                                         bitsPerSecond: Self.bitRate(width: size.width, height: size.height, quality: settings.quality))
            case .keep: break
            }
            guard let rect = region.rect, let encoder else { return nil }
            let touched = rects.compactMap { $0.intersection(rect) }
            guard !touched.isEmpty else { return nil }
            let frame = try encoder.encode(image, x: rect.x, y: rect.y, grayscale: settings.grayscale, sinceLast: now - lastFrameAt)
            lastFrameAt = now
            rects = rects.flatMap { $0.subtracting(rect) }
            for part in touched { motion.sent(part, degraded: true, at: now) }
            let parts = touched.count <= VideoTile.maximumParts ? touched : [touched.dropFirst().reduce(touched[0]) { $0.union($1) }]
            let payload = VideoTile(frameWidth: UInt16(encoder.width), frameHeight: UInt16(encoder.height), parts: parts.map {
                VideoTile.Part(x: UInt16($0.x - rect.x), y: UInt16($0.y - rect.y), width: UInt16($0.width), height: UInt16($0.height))
            }, frame: frame)
            let tile = ScreenUpdate.Tile(x: UInt16(rect.x), y: UInt16(rect.y), width: UInt16(rect.width), height: UInt16(rect.height),
                                         encoding: .video, bytes: payload.encoded())
            return (tile, touched)
        } catch {
            failure = error
            reset()
            return nil
        }
    }
}
