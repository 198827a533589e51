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
    /// When Away was last set or cleared by hand: on several gateway nodes the latest choice holds.
    public var awayChangedAt: Date?
    public var lastActivityAt: Date
    public var activeSessions: Int

    public init(openConsoles: Int = 0, manuallyAway: Bool = false, awayChangedAt: Date? = nil, lastActivityAt: Date, activeSessions: Int = 0) {
        self.openConsoles = openConsoles
        self.manuallyAway = manuallyAway
        self.awayChangedAt = awayChangedAt
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

/// A technician's presence on several gateway nodes (issue 20): each node knows the consoles open
/// on it; colleagues everywhere see the presence all nodes' parts make together.
extension TechnicianPresence {
    /// What one node shares of a technician's presence.
    public struct Part: Equatable, Sendable {
        public var nodeId: String
        public var organisationId: String
        public var openConsoles: Int
        public var manuallyAway: Bool
        public var awayChangedAt: Date?
        public var lastActivityAt: Date

        public init(nodeId: String, organisationId: String, openConsoles: Int, manuallyAway: Bool, awayChangedAt: Date?, lastActivityAt: Date) {
            self.nodeId = nodeId
            self.organisationId = organisationId
            self.openConsoles = openConsoles
            self.manuallyAway = manuallyAway
            self.awayChangedAt = awayChangedAt
            self.lastActivityAt = lastActivityAt
        }
    }

    /// This node's part as the others see it.
    public func part(node nodeId: String, organisation organisationId: String) -> Part {
        Part(nodeId: nodeId, organisationId: organisationId, openConsoles: openConsoles, manuallyAway: manuallyAway,
             awayChangedAt: awayChangedAt, lastActivityAt: lastActivityAt)
    }

    /// This node's presence with the other nodes' parts: consoles add up, the latest activity and
    /// the latest Away chosen by hand hold.
    public func joined(with others: [Part]) -> TechnicianPresence {
        var joined = self
        for part in others {
            joined.openConsoles += part.openConsoles
            joined.lastActivityAt = max(joined.lastActivityAt, part.lastActivityAt)
            if let changed = part.awayChangedAt, changed > (joined.awayChangedAt ?? .distantPast) {
                joined.manuallyAway = part.manuallyAway
                joined.awayChangedAt = changed
            }
        }
        return joined
    }
}
