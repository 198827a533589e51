#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// An administrator's monitoring of a technician (E1), as the administrator's console sees it.
public struct MonitoringSummary: Codable, Equatable, Sendable {
    public let id: String
    public let technicianId: String
    /// The tab is named after them.
    public let technicianName: String
    public let state: TechnicianMonitoring.State
    public let screen: TechnicianMonitoring.Screen
    public let startedAt: Date

    public init(id: String, technicianId: String, technicianName: String, state: TechnicianMonitoring.State,
                screen: TechnicianMonitoring.Screen, startedAt: Date) {
        self.id = id
        self.technicianId = technicianId
        self.technicianName = technicianName
        self.state = state
        self.screen = screen
        self.startedAt = startedAt
    }
}

/// The read-only mirror of a monitored technician's console: their whole queue when the
/// monitoring becomes active, then each session and log line as their console gets it.
public struct MonitoredUpdate: WireMessage {
    public let monitoringId: String
    public let sessions: [SessionSummary]?
    public let session: SessionSummary?
    public let entry: LogEntry?

    public init(monitoringId: String, sessions: [SessionSummary]? = nil, session: SessionSummary? = nil, entry: LogEntry? = nil) {
        self.monitoringId = monitoringId
        self.sessions = sessions
        self.session = session
        self.entry = entry
    }
}

/// To the monitored technician: an administrator asks to see their screen (`watching`), or no
/// longer does — they stopped watching it or the monitoring ended (E1).
public struct MonitorScreenRequest: WireMessage {
    public let monitoringId: String
    public let administratorName: String
    public let watching: Bool

    public init(monitoringId: String, administratorName: String, watching: Bool) {
        self.monitoringId = monitoringId
        self.administratorName = administratorName
        self.watching = watching
    }
}

/// The technician's answer: they picked a screen and share it, or declined; `false` later stops it.
public struct MonitorScreenAnswer: WireMessage {
    public let monitoringId: String
    public let shared: Bool

    public init(monitoringId: String, shared: Bool) {
        self.monitoringId = monitoringId
        self.shared = shared
    }
}

/// To the monitored technician, when the organisation says they are told (E1's global setting).
public struct MonitorNotice: WireMessage {
    public let administratorName: String
    public let watching: Bool

    public init(administratorName: String, watching: Bool) {
        self.administratorName = administratorName
        self.watching = watching
    }
}
