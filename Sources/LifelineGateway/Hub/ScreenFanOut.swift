import Foundation
import LifelineProtocol

/// One remote desktop's screen on its way to every console that sees it (issue 21): the applet
/// encodes each change once, and each console has its own flow-control window. A console whose
/// window is full collects what it misses in a `ScreenBacklog` and gets it merged when it draws
/// again (it skips to the latest screen); the applet is acknowledged as soon as the quickest
/// console has drawn, so a slow console never slows the others. A console that lost track (it
/// joined late, or its backlog outgrew a frame) waits for an update that repaints everything,
/// and the applet is asked for one. Pure: the relay sends what it decides.
struct ScreenFanOut {
    /// Updates a console may have unacknowledged, as the applet's own window.
    static let window = 2
    /// Updates after which an unanswered refresh is asked again (an applet that missed it).
    static let refreshPatience: UInt32 = 120
    /// Video frames a slow console may have waiting: beyond, it skips to a new video (a key frame
    /// with the whole screen) rather than play every frame it missed (issue 23).
    static let maximumVideoBacklog = 2

    struct Viewer {
        let technicianId: String
        /// Sequences sent and not yet drawn.
        var inFlight: [UInt32] = []
        var backlog = ScreenBacklog()
        var needsWholeScreen: Bool
        /// Said with each of its acknowledgements: it decodes video tiles (issue 23).
        var decodesVideo = false
    }

    enum Payload: Equatable {
        /// The applet's frame as it came.
        case asReceived
        case merged(ScreenUpdate)
    }

    struct Decision: Equatable {
        var sends: [(console: UUID, payload: Payload)] = []
        /// Ask the applet for the whole screen.
        var askRefresh = false
        /// Acknowledge this update to the applet.
        var acknowledgeApplet: UInt32?
        /// With the acknowledgement: every console that sees the screen decodes video.
        var video = false

        static func == (left: Decision, right: Decision) -> Bool {
            left.sends.map(\.console) == right.sends.map(\.console) && left.sends.map(\.payload) == right.sends.map(\.payload)
                && left.askRefresh == right.askRefresh && left.acknowledgeApplet == right.acknowledgeApplet && left.video == right.video
        }
    }

    private(set) var viewers: [UUID: Viewer] = [:]
    private(set) var lastSequence: UInt32 = 0
    private var appletAcknowledged: UInt32 = 0
    /// The sequence after which a refresh was asked; nil when none is awaited.
    private var refreshAskedAfter: UInt32?

    /// An update from the applet, for the consoles that see the screen now (console → technician).
    mutating func received(_ update: ScreenUpdate, consoles: [UUID: String]) -> Decision {
        let started = lastSequence != 0
        lastSequence = update.sequence
        var repaintsAll: Bool?
        func whole() -> Bool {
            if let repaintsAll { return repaintsAll }
            let answer = ScreenBacklog.repaintsAll(update)
            repaintsAll = answer
            return answer
        }
        viewers = viewers.filter { consoles[$0.key] == $0.value.technicianId }
        var decision = Decision()
        var kept = false
        for (console, technicianId) in consoles.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            var viewer = viewers[console] ?? Viewer(technicianId: technicianId, needsWholeScreen: started)
            defer { viewers[console] = viewer }
            if viewer.needsWholeScreen {
                guard whole() else {
                    if viewer.inFlight.count < Self.window { decision.askRefresh = true }
                    continue
                }
                viewer.needsWholeScreen = false
            }
            kept = true
            if viewer.inFlight.count < Self.window {
                if viewer.backlog.isEmpty {
                    decision.sends.append((console, .asReceived))
                } else {
                    viewer.backlog.add(update)
                    if let merged = viewer.backlog.take() { decision.sends.append((console, .merged(merged))) }
                }
                viewer.inFlight.append(update.sequence)
            } else {
                viewer.backlog.add(update)
                if !viewer.backlog.fitsOneFrame || viewer.backlog.videoTileCount > Self.maximumVideoBacklog {
                    viewer.backlog = ScreenBacklog()
                    viewer.needsWholeScreen = true
                }
            }
        }
        if refreshAskedAfter != nil, whole() { refreshAskedAfter = nil }
        // Nobody will draw it (every console waits for a whole screen): the applet need not wait.
        if !kept, !viewers.isEmpty { decision.acknowledgeApplet = acknowledgingApplet(update.sequence) }
        decision.video = allDecodeVideo
        decision.askRefresh = decision.askRefresh && shouldAskRefresh()
        return decision
    }

    /// Console `console` of `technicianId` drew update `sequence`; nil when it is not a viewer.
    /// `video`: it decodes video tiles; `lostTrack`: it could not draw one (a video frame without
    /// the ones before it) and waits for the whole screen.
    mutating func acknowledged(_ sequence: UInt32, by console: UUID, technicianId: String, video: Bool = false,
                               lostTrack: Bool = false) -> Decision? {
        guard var viewer = viewers[console], viewer.technicianId == technicianId else { return nil }
        var decision = Decision()
        viewer.decodesVideo = video
        if lostTrack {
            viewer.backlog = ScreenBacklog()
            viewer.needsWholeScreen = true
        }
        guard sequence <= lastSequence else {
            viewers[console] = viewer
            decision.video = allDecodeVideo
            return decision
        }
        viewer.inFlight.removeAll { $0 <= sequence }
        if viewer.inFlight.count < Self.window, let merged = viewer.backlog.take() {
            decision.sends.append((console, .merged(merged)))
            viewer.inFlight.append(merged.sequence)
        }
        if viewer.needsWholeScreen, viewer.inFlight.count < Self.window { decision.askRefresh = shouldAskRefresh() }
        viewers[console] = viewer
        decision.acknowledgeApplet = acknowledgingApplet(sequence)
        decision.video = allDecodeVideo
        return decision
    }

    /// The consoles that see the screen changed (a colleague joined or left) with no update to
    /// carry it: newcomers wait for a whole screen, asked for now.
    mutating func consolesChanged(_ consoles: [UUID: String]) -> Bool {
        viewers = viewers.filter { consoles[$0.key] == $0.value.technicianId }
        guard lastSequence != 0 else { return false }
        var newcomer = false
        for (console, technicianId) in consoles where viewers[console] == nil {
            viewers[console] = Viewer(technicianId: technicianId, needsWholeScreen: true)
            newcomer = true
        }
        return newcomer && shouldAskRefresh()
    }

    /// Whether the applet may send video: every console that sees the screen said it decodes it.
    var allDecodeVideo: Bool { !viewers.isEmpty && viewers.values.allSatisfy(\.decodesVideo) }

    private mutating func acknowledgingApplet(_ sequence: UInt32) -> UInt32? {
        guard sequence > appletAcknowledged else { return nil }
        appletAcknowledged = sequence
        return sequence
    }

    /// One refresh at a time, asked again only when it seems lost.
    private mutating func shouldAskRefresh() -> Bool {
        if let asked = refreshAskedAfter, lastSequence &- asked < Self.refreshPatience { return false }
        refreshAskedAfter = lastSequence
        return true
    }
}
