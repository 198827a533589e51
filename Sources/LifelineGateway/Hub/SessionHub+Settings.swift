import Foundation
import LifelineCore

/// The organisation's settings (R4, partly): kept in the store as one JSON value, read at start,
/// applied at once when an administrator saves them. Until then the gateway runs with the
/// timers and status rules it was started with.
extension SessionHub {
    static let settingsKey = "organisation_settings"

    func loadSettings() async throws {
        guard let text = try await store.setting(Self.settingsKey) else {
            // Earlier versions kept two settings under keys of their own.
            let autoStart = try await store.setting("auto_start_default")
            let urgent = try await store.setting("urgent_after_seconds").flatMap(Int.init)
            guard autoStart != nil || urgent != nil else { return }
            var carried = settings
            carried.autoStartDefault = autoStart == "true"
            carried.urgentAfterSeconds = urgent ?? carried.urgentAfterSeconds
            savedSettings.withLockedValue { $0 = carried }
            return
        }
        do {
            let decoded = try JSONDecoder().decode(OrganisationSettings.self, from: Data(text.utf8))
            savedSettings.withLockedValue { $0 = decoded }
        } catch {
            logger.error("Stored organisation settings are unreadable; using the defaults", metadata: ["error": "\(error)"])
        }
    }

    nonisolated var settings: OrganisationSettings {
        savedSettings.withLockedValue { $0 } ?? OrganisationSettings(timers: environment.timers, presence: environment.presence)
    }

    nonisolated var timers: SessionTimers {
        savedSettings.withLockedValue { $0 }?.timers(base: environment.timers) ?? environment.timers
    }

    nonisolated var presenceSettings: TechnicianPresence.Settings {
        savedSettings.withLockedValue { $0 }?.presence ?? environment.presence
    }

    /// Checks, stores and applies new settings; statuses follow at once (Away delay, Busy threshold).
    func saveSettings(_ new: OrganisationSettings) async throws -> OrganisationSettings {
        let checked: OrganisationSettings
        do { checked = try new.validated() } catch { throw GatewayError.badRequest(OrganisationSettings.describe(error)) }
        let encoded = String(decoding: try JSONEncoder().encode(checked), as: UTF8.self)
        try await store.setSetting(Self.settingsKey, encoded)
        savedSettings.withLockedValue { $0 = checked }
        await settingsApplied()
        outbox.announce(.change(.settings))
        return checked
    }

    /// Statuses follow new settings at once (Away delay, Busy threshold).
    func settingsApplied() async {
        for technicianId in presenceBoard.technicianIds { await updatePresence(of: technicianId) { _ in } }
    }
}
