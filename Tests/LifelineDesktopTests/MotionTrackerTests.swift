import Testing
@testable import LifelineDesktop

@Suite("Moving regions at lower quality, sharpened when they stop")
struct MotionTrackerTests {
    let video = ScreenRect(x: 64, y: 0, width: 128, height: 64)

    @Test("a region is moving from its third change in a row, and stops with the first update without it")
    func moving() {
        var tracker = MotionTracker(width: 320, height: 128)
        for _ in 0..<2 { tracker.observe(changed: [video]) }
        #expect(!tracker.isMoving(video))
        tracker.observe(changed: [video])
        #expect(tracker.isMoving(video))
        #expect(!tracker.isMoving(ScreenRect(x: 0, y: 64, width: 64, height: 64)), "other tiles are still")
        tracker.observe(changed: [ScreenRect(x: 0, y: 64, width: 10, height: 10)])
        #expect(!tracker.isMoving(video))
    }

    @Test("degraded tiles are due for a sharp copy once still for the settle time, as runs, once")
    func refinement() {
        var tracker = MotionTracker(width: 320, height: 128)
        for _ in 0..<3 { tracker.observe(changed: [video]) }
        tracker.sent(video, degraded: true, at: 10)
        #expect(tracker.dueForRefinement(at: 20, width: 320, height: 128).isEmpty, "still moving")
        tracker.observe(changed: [])
        #expect(tracker.dueForRefinement(at: 10.05, width: 320, height: 128).isEmpty, "not settled yet")
        #expect(tracker.dueForRefinement(at: 10.5, width: 320, height: 128) == [video])
        #expect(tracker.dueForRefinement(at: 11, width: 320, height: 128).isEmpty, "sent once")
        // A region sent sharp never needs refining; the screen's ragged edge is clipped.
        tracker.sent(ScreenRect(x: 256, y: 64, width: 64, height: 64), degraded: false, at: 12)
        tracker.sent(ScreenRect(x: 300, y: 100, width: 20, height: 28), degraded: true, at: 12)
        #expect(tracker.dueForRefinement(at: 13, width: 300 + 20, height: 128) == [ScreenRect(x: 256, y: 64, width: 64, height: 64)])
        #expect(MotionTracker.motionQuality(for: 85) == 50 && MotionTracker.motionQuality(for: 35) == 35)
    }

    @Test("a picture that changes again before it settled waits for the new picture's turn; only the highest quality refines losslessly")
    func changedBeforeSettling() {
        var tracker = MotionTracker(width: 320, height: 128)
        tracker.sent(video, degraded: true, at: 20)
        tracker.sent(ScreenRect(x: 64, y: 0, width: 64, height: 64), degraded: true, at: 20.08)
        #expect(tracker.dueForRefinement(at: 20.15, width: 320, height: 128) == [ScreenRect(x: 128, y: 0, width: 64, height: 64)])
        #expect(tracker.dueForRefinement(at: 20.2, width: 320, height: 128) == [ScreenRect(x: 64, y: 0, width: 64, height: 64)])
        #expect(MotionTracker.refinesLosslessly(quality: 85, grayscale: false))
        #expect(!MotionTracker.refinesLosslessly(quality: 65, grayscale: false) && !MotionTracker.refinesLosslessly(quality: 85, grayscale: true))
    }

    @Test("a picture not yet exact that a scroll moves is sent again where it lands; exact content moved stays exact")
    func copiedPictures() {
        var tracker = MotionTracker(width: 320, height: 256)
        let photo = ScreenRect(x: 0, y: 128, width: 128, height: 64)
        tracker.sent(photo, degraded: true, at: 10)
        // Scrolled up by 128: the photo is now at y 0..<64, the text that was at y 192 at y 64.
        tracker.copied(from: ScreenRect(x: 0, y: 128, width: 320, height: 64), to: ScreenRect(x: 0, y: 0, width: 320, height: 64), at: 10.05)
        tracker.copied(from: ScreenRect(x: 0, y: 192, width: 320, height: 64), to: ScreenRect(x: 0, y: 64, width: 320, height: 64), at: 10.05)
        let due = tracker.dueForRefinement(at: 10.2, width: 320, height: 256)
        #expect(due.contains(ScreenRect(x: 0, y: 0, width: 320, height: 64)), "where the photo landed")
        #expect(!due.contains { $0.y == 64 }, "the text moved is exact")
    }
}
