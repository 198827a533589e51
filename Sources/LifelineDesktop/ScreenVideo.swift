import LifelineProtocol

/// The video of the screen's moving part as the streamer keeps it (issue 23): which rectangle
/// (`VideoRegion`), its encoder, and the tile each update sends for it. Only while every console
/// that sees the screen decodes video (`StreamSettings.video`); otherwise everything stays tiles.
final class ScreenVideo {
    private var region = VideoRegion()
    private var encoder: VP8Encoder?
    /// Set when the encoder failed: this stream goes on in tiles.
    private(set) var failure: DesktopError?

    /// Bits a second for a video of `rect` at a JPEG-like `quality` (the colour quality, J7):
    /// a quarter of a bit per pixel at 30 frames a second at quality 80 (15.6 Mbit/s for 1080p).
    static func bitRate(for rect: ScreenRect, quality: Int) -> Int {
        max(200_000, rect.width * rect.height * 30 * quality / 320)
    }

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
                encoder = try VP8Encoder(width: rect.width, height: rect.height, bitsPerSecond: Self.bitRate(for: rect, quality: settings.quality))
            case .keep: break
            }
            guard let rect = region.rect, let encoder else { return nil }
            let touched = rects.compactMap { $0.intersection(rect) }
            guard !touched.isEmpty else { return nil }
            let frame = try encoder.encode(image, x: rect.x, y: rect.y, grayscale: settings.grayscale, keyFrame: false,
                                           milliseconds: Int64(now * 1000))
            rects = rects.flatMap { $0.subtracting(rect) }
            for part in touched { motion.sent(part, degraded: true, at: now) }
            let parts = touched.count <= VideoTile.maximumParts ? touched : [touched.dropFirst().reduce(touched[0]) { $0.union($1) }]
            let payload = VideoTile(parts: parts.map {
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
