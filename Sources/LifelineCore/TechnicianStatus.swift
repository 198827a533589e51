#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What colleagues see next to a technician's name (A6): it decides who may receive a transfer
/// and, later, channel sessions.
public enum TechnicianStatus: String, Codable, Sendable, CaseIterable {
    /// Signed in with the console open and working.
    case online
    /// Set by hand, or after the administrator's inactivity delay.
    case away
    /// Automatic at the administrator's threshold of active sessions.
    case busy
    /// No console open.
    case offline

    /// Sessions are only transferred to technicians who can take them now.
    public var acceptsTransfers: Bool { self == .online }
}

/// One technician's presence, from which the status is derived. Pure: the caller passes the time.
public struct TechnicianPresence: Equatable, Sendable {
    public struct Settings: Equatable, Sendable {
        /// Away after this long without activity (nil: never automatically).
        public var autoAwayAfter: TimeInterval?
        /// Busy from this many active sessions (nil: never automatically).
        public var busyThreshold: Int?

        public init(autoAwayAfter: TimeInterval? = 15 * 60, busyThreshold: Int? = ActiveSessionLimit.maximum) {
            self.autoAwayAfter = autoAwayAfter
            self.busyThreshold = busyThreshold
        }

        public static let standard = Settings()
    }

    public var openConsoles: Int
    public var manuallyAway: Bool
    public var lastActivityAt: Date
    public var activeSessions: Int

    public init(openConsoles: Int = 0, manuallyAway: Bool = false, lastActivityAt: Date, activeSessions: Int = 0) {
        self.openConsoles = openConsoles
        self.manuallyAway = manuallyAway
        self.lastActivityAt = lastActivityAt
        self.activeSessions = activeSessions
    }

    /// Offline beats everything; Busy beats Away (the threshold is a fact, not a choice); Away by
    /// hand or after the inactivity delay; otherwise Online.
    public func status(at now: Date, settings: Settings) -> TechnicianStatus {
        if openConsoles == 0 { return .offline }
        if let threshold = settings.busyThreshold, activeSessions >= threshold { return .busy }
        if manuallyAway { return .away }
        if let delay = settings.autoAwayAfter, now.timeIntervalSince(lastActivityAt) >= delay { return .away }
        return .online
    }
}
