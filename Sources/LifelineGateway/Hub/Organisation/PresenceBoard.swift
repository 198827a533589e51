import Foundation
import LifelineCore
import NIOConcurrencyHelpers

/// Each technician's presence (A6) and the status their colleagues were last told, so only
/// changes are pushed. Deciding a change and marking it told happen under one lock: two sessions
/// changing one technician's count at once push the new status once.
final class PresenceBoard: Sendable {
    private struct State {
        var presences: [String: TechnicianPresence] = [:]
        var published: [String: TechnicianStatus] = [:]
        /// Each signed-in technician's organisation: statuses go to colleagues only.
        var organisations: [String: String] = [:]
    }

    private let state = NIOLockedValueBox(State())

    func presence(of technicianId: String, at now: Date) -> TechnicianPresence {
        state.withLockedValue { $0.presences[technicianId] } ?? TechnicianPresence(lastActivityAt: now)
    }

    func status(of technicianId: String, at now: Date, settings: TechnicianPresence.Settings) -> TechnicianStatus {
        presence(of: technicianId, at: now).status(at: now, settings: settings)
    }

    /// Changes one presence (with the technician's current number of active sessions); the status
    /// to tell colleagues when it differs from what they were told last.
    func update(_ technicianId: String, activeSessions: Int, at now: Date, settings: TechnicianPresence.Settings,
                _ change: (inout TechnicianPresence) -> Void) -> TechnicianStatus? {
        state.withLockedValue { state in
            var presence = state.presences[technicianId] ?? TechnicianPresence(lastActivityAt: now)
            change(&presence)
            presence.activeSessions = activeSessions
            state.presences[technicianId] = presence
            return Self.markTold(technicianId, in: &state, at: now, settings: settings)
        }
    }

    /// The statuses that changed with time alone (automatic Away), each marked told.
    func changedWithTime(at now: Date, settings: TechnicianPresence.Settings) -> [(technicianId: String, status: TechnicianStatus)] {
        state.withLockedValue { state in
            state.presences.keys.sorted().compactMap { id in Self.markTold(id, in: &state, at: now, settings: settings).map { (id, $0) } }
        }
    }

    var technicianIds: [String] {
        state.withLockedValue { $0.presences.keys.sorted() }
    }

    func setOrganisation(_ organisationId: String, of technicianId: String) {
        state.withLockedValue { $0.organisations[technicianId] = organisationId }
    }

    func organisation(of technicianId: String) -> String? {
        state.withLockedValue { $0.organisations[technicianId] }
    }

    /// Technicians signed in to `organisationId` since the gateway started.
    func technicians(of organisationId: String) -> [String] {
        state.withLockedValue { $0.organisations.filter { $0.value == organisationId }.keys.sorted() }
    }

    private static func markTold(_ technicianId: String, in state: inout State, at now: Date,
                                 settings: TechnicianPresence.Settings) -> TechnicianStatus? {
        let status = (state.presences[technicianId] ?? TechnicianPresence(lastActivityAt: now)).status(at: now, settings: settings)
        guard state.published[technicianId] != status else { return nil }
        state.published[technicianId] = status
        return status
    }
}
