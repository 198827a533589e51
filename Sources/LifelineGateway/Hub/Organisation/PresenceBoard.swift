import Foundation
import LifelineCore
import NIOConcurrencyHelpers

/// Each technician's presence (A6) and the status their colleagues were last told, so only
/// changes are pushed. Deciding a change and marking it told happen under one lock: two sessions
/// changing one technician's count at once push the new status once. On several gateway nodes the
/// presence here is this node's part, joined with the parts the other nodes shared.
final class PresenceBoard: Sendable {
    /// A part of this node's to save for the others, with the version that orders its saves.
    struct Share: Sendable {
        var part: TechnicianPresence.Part
        var version: Int64
    }

    private struct State {
        var presences: [String: TechnicianPresence] = [:]
        var published: [String: TechnicianStatus] = [:]
        /// Each signed-in technician's organisation: statuses go to colleagues only.
        var organisations: [String: String] = [:]
        /// The other nodes' parts, by technician.
        var others: [String: [TechnicianPresence.Part]] = [:]
        /// What this node last shared of each technician's part.
        var shared: [String: Share] = [:]
    }

    /// Activity alone is shared at most this often: it only matters to the inactivity delay.
    static let activitySharedEvery: TimeInterval = 60

    private let state = NIOLockedValueBox(State())

    func presence(of technicianId: String, at now: Date) -> TechnicianPresence {
        state.withLockedValue { Self.joined(technicianId, in: $0, at: now) }
    }

    func status(of technicianId: String, at now: Date, settings: TechnicianPresence.Settings) -> TechnicianStatus {
        presence(of: technicianId, at: now).status(at: now, settings: settings)
    }

    /// Changes one presence (with the technician's current number of active sessions); the status
    /// to tell colleagues when it differs from what they were told last, and this node's part to
    /// share when `node` is given and the part changed.
    func update(_ technicianId: String, activeSessions: Int, at now: Date, settings: TechnicianPresence.Settings, node: String? = nil,
                _ change: (inout TechnicianPresence) -> Void) -> (status: TechnicianStatus?, share: Share?) {
        state.withLockedValue { state in
            // A change that is not activity (a session's count) says nothing of when they were last active.
            var presence = state.presences[technicianId] ?? TechnicianPresence(lastActivityAt: .distantPast)
            change(&presence)
            presence.activeSessions = activeSessions
            state.presences[technicianId] = presence
            let share = node.flatMap { Self.share(technicianId, node: $0, in: &state, at: now) }
            return (Self.markTold(technicianId, in: &state, at: now, settings: settings), share)
        }
    }

    /// The other nodes' parts of these technicians' presences, as read now (every technician's when
    /// `technicianIds` is nil); the statuses that changed, each marked told.
    func setOthers(_ parts: [(technicianId: String, part: TechnicianPresence.Part)], of technicianIds: Set<String>?, at now: Date,
                   settings: TechnicianPresence.Settings) -> [(technicianId: String, status: TechnicianStatus)] {
        state.withLockedValue { state in
            let before = Set(state.others.keys)
            if let technicianIds {
                for id in technicianIds { state.others[id] = nil }
            } else {
                state.others = [:]
            }
            for (technicianId, part) in parts {
                state.others[technicianId, default: []].append(part)
                if state.organisations[technicianId] == nil { state.organisations[technicianId] = part.organisationId }
            }
            let touched = before.union(state.others.keys).filter { technicianIds?.contains($0) ?? true }
            return touched.sorted().compactMap { id in Self.markTold(id, in: &state, at: now, settings: settings).map { (id, $0) } }
        }
    }

    /// The statuses that changed with time alone (automatic Away), each marked told.
    func changedWithTime(at now: Date, settings: TechnicianPresence.Settings) -> [(technicianId: String, status: TechnicianStatus)] {
        state.withLockedValue { state in
            Set(state.presences.keys).union(state.others.keys).sorted().compactMap { id in
                Self.markTold(id, in: &state, at: now, settings: settings).map { (id, $0) }
            }
        }
    }

    var technicianIds: [String] {
        state.withLockedValue { $0.presences.keys.sorted() }
    }

    /// The other gateway nodes where the technician has a console open, as they last said.
    func otherNodes(withConsolesOf technicianId: String) -> [String] {
        state.withLockedValue { ($0.others[technicianId] ?? []).filter { $0.openConsoles > 0 }.map(\.nodeId) }
    }

    func setOrganisation(_ organisationId: String, of technicianId: String) {
        state.withLockedValue { $0.organisations[technicianId] = organisationId }
    }

    func organisation(of technicianId: String) -> String? {
        state.withLockedValue { $0.organisations[technicianId] }
    }

    /// Technicians signed in to `organisationId` since the gateway started (here or, on several
    /// nodes, on another node).
    func technicians(of organisationId: String) -> [String] {
        state.withLockedValue { $0.organisations.filter { $0.value == organisationId }.keys.sorted() }
    }

    private static func joined(_ technicianId: String, in state: State, at now: Date) -> TechnicianPresence {
        let others = state.others[technicianId] ?? []
        // Not seen here: the other nodes' activity alone counts.
        let here = state.presences[technicianId] ?? TechnicianPresence(lastActivityAt: others.isEmpty ? now : .distantPast)
        return here.joined(with: others)
    }

    /// This node's part when it changed from what was shared last (activity alone: once a minute).
    private static func share(_ technicianId: String, node: String, in state: inout State, at now: Date) -> Share? {
        guard let presence = state.presences[technicianId], let organisationId = state.organisations[technicianId] else { return nil }
        let part = presence.part(node: node, organisation: organisationId)
        let last = state.shared[technicianId]
        // No console here and nothing shared before: there is nothing for the others to know.
        if last == nil && part.openConsoles == 0 && part.awayChangedAt == nil { return nil }
        if let last {
            var same = last.part
            same.lastActivityAt = part.lastActivityAt
            let activityOnly = same == part
            if activityOnly && part.lastActivityAt.timeIntervalSince(last.part.lastActivityAt) < activitySharedEvery { return nil }
        }
        // Microseconds of the clock, or one more than the last: a restarted node's saves come after its old ones.
        let version = max((last?.version ?? 0) + 1, Int64(now.timeIntervalSince1970 * 1_000_000))
        let share = Share(part: part, version: version)
        state.shared[technicianId] = share
        return share
    }

    private static func markTold(_ technicianId: String, in state: inout State, at now: Date,
                                 settings: TechnicianPresence.Settings) -> TechnicianStatus? {
        let status = joined(technicianId, in: state, at: now).status(at: now, settings: settings)
        guard state.published[technicianId] != status else { return nil }
        state.published[technicianId] = status
        return status
    }
}
