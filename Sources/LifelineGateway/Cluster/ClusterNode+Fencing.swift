import Foundation

/// A node cut off from the database fences itself (issue 20): other nodes may take its sessions 15
/// seconds after the last heartbeat the database saw, so a node whose heartbeat has not gone through
/// for two thirds of that stops serving every session first — its clients still reach it, but no
/// session is served on two nodes. Its writes are refused anyway (fencing tokens); this keeps it
/// from relaying chat and screens the database never sees. It serves again once a beat goes through.
struct Beat: Sendable {
    /// When the last heartbeat that went through began (this node's own clock).
    var last: ContinuousClock.Instant
    var fenced = false
}

extension ClusterNode {
    var fenceAfter: Duration { .seconds(leaseSeconds * 2 / 3) }

    var isFenced: Bool { beat.withLockedValue { $0.fenced } }

    /// A heartbeat went through. It counts from when it began (the database may have written it
    /// at any time since); only a prompt one lifts the fence: one that hung through the cut does
    /// not (it would leave the node silent again a moment later), the next one does.
    func beatWentThrough(startedAt began: ContinuousClock.Instant, now: ContinuousClock.Instant = .now) {
        let lifted = beat.withLockedValue { beat in
            beat.last = max(beat.last, began)
            guard beat.fenced, now - began < fenceAfter / 2 else { return false }
            beat.fenced = false
            return true
        }
        if lifted { hub.logger.notice("The database answers again: this gateway node serves sessions again", metadata: ["node.id": "\(id)"]) }
    }

    /// Fences the node when its heartbeat has not gone through for `fenceAfter` (on a shared database).
    func fenceIfSilent(now: ContinuousClock.Instant = .now) async {
        guard isShared else { return }
        let silence = beat.withLockedValue { beat -> Duration? in
            guard !beat.fenced, now - beat.last > fenceAfter else { return nil }
            beat.fenced = true
            return now - beat.last
        }
        guard let silence else { return }
        let sessions = hub.registry.records.count
        hub.logger.error("No heartbeat reached the database for too long: this gateway node stops serving its sessions",
                         metadata: ["node.id": "\(id)", "sessions.count": "\(sessions)", "silence": "\(silence)"])
        hub.stopServingAll(reason: "this node lost the database")
    }
}
