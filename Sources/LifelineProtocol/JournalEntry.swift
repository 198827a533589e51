#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One entry of the systemd journal (the dashboard's latest warnings, L1; the event viewer, L8).
public struct JournalEntry: Codable, Equatable, Sendable {
    /// Seconds since 1970.
    public var time: Double
    /// syslog's: 0 emergency … 3 error, 4 warning, 5 notice, 6 info, 7 debug.
    public var priority: Int
    /// Who wrote it: the syslog identifier, else the command's name.
    public var source: String
    /// Cut at `maximumMessageBytes` with "…".
    public var message: String
    /// The systemd unit it came from, when any.
    public var unit: String?
    /// The account it ran as (uid), when the journal knows, and its name when the applet knows it.
    public var uid: UInt32?
    public var user: String?
    public var host: String?
    /// What kind of event it is: the journal's MESSAGE_ID when set (a catalogued event), else empty.
    public var event: String?

    public static let maximumMessageBytes = 2048

    public init(time: Double, priority: Int, source: String, message: String, unit: String? = nil, uid: UInt32? = nil,
                user: String? = nil, host: String? = nil, event: String? = nil) {
        self.time = time
        self.priority = priority
        self.source = source
        self.message = message
        self.unit = unit
        self.uid = uid
        self.user = user
        self.host = host
        self.event = event
    }
}

/// A scheduled job and when it last ran (L1): a systemd timer and the unit it starts, or a cron
/// command.
public struct ScheduledJob: Codable, Equatable, Sendable {
    /// `apt-daily.timer`, or cron's `(root) CMD (…)` owner.
    public var name: String
    /// What it runs: the timer's unit, or the cron command.
    public var runs: String
    /// Seconds since 1970.
    public var lastRun: Double
    public var nextRun: Double?

    public init(name: String, runs: String, lastRun: Double, nextRun: Double? = nil) {
        self.name = name
        self.runs = runs
        self.lastRun = lastRun
        self.nextRun = nextRun
    }
}
