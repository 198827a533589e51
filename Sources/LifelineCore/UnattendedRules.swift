// Never `import Foundation` alone in a module the applet links: it brings ICU's 40 MB with it.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The rules of unattended access to one computer (F5), as the customer approved them: how the
/// technician proves who they are at each connection, for how long, and at which hours of the day,
/// in the technician's or the customer's time zone. The agent on the computer keeps its own copy and
/// checks every connection against it, so the gateway cannot widen them; the gateway checks the same
/// rules first to say no early. Pure: the clock and the time zone's rules come from outside.
public struct UnattendedRules: Codable, Equatable, Sendable {
    /// Who vouches for a connection (the manual's "Identifiants exigés").
    public enum Credentials: String, Codable, Sendable, CaseIterable {
        /// The technician types an administrator's name and password of the computer each time;
        /// the agent checks them with the system (PAM) and keeps nothing.
        case atEachConnection = "at_each_connection"
        /// The customer typed their own password when approving (checked, then forgotten): their
        /// approval stands for the connections, for two weeks at most.
        case customerAtSetup = "customer_at_setup"
    }

    /// How long access lasts.
    public enum Period: Codable, Equatable, Sendable {
        /// This many days from the approval (1–365).
        case days(Int)
        /// From the first to the last day, both included, in the rules' time zone ("YYYY-MM-DD").
        case dateRange(first: String, last: String)
        case indefinite
    }

    /// Which time zone the hours are in, as the console showed them.
    public enum Clock: String, Codable, Sendable {
        case technician, customer
    }

    public var credentials: Credentials
    public var period: Period
    /// Minutes after midnight, 0–1439; an end before the start runs over midnight. Both or neither.
    public var dailyStart: Int?
    public var dailyEnd: Int?
    /// The IANA time zone the days and hours are in (`Europe/Paris`).
    public var timeZone: String
    public var clock: Clock

    public init(credentials: Credentials, period: Period, dailyStart: Int? = nil, dailyEnd: Int? = nil, timeZone: String, clock: Clock) {
        self.credentials = credentials
        self.period = period
        self.dailyStart = dailyStart
        self.dailyEnd = dailyEnd
        self.timeZone = timeZone
        self.clock = clock
    }

    /// With the customer's own credentials, access lasts two weeks at most (the manual).
    public static let customerCredentialsLimit: TimeInterval = 14 * 24 * 3_600
    public static let maximumDays = 365

    /// Why these rules cannot be approved at `approvedAt`, or nil. `zone` is the rules' time zone
    /// as the caller found it; nil: no such zone.
    public func problem(approvedAt: Date, zone: (any ZoneClock)?) -> String? {
        guard let zone else { return "\(timeZone) is not a time zone." }
        switch (dailyStart, dailyEnd) {
        case (nil, nil): break
        case (let start?, let end?):
            guard (0..<1_440).contains(start), (0..<1_440).contains(end) else { return "Daily hours are minutes after midnight, 0–1439." }
            guard start != end else { return "The daily window starts and ends at the same time." }
        default: return "Give both ends of the daily window, or neither."
        }
        switch period {
        case .days(let count):
            guard (1...Self.maximumDays).contains(count) else { return "Access lasts 1 to \(Self.maximumDays) days." }
        case .dateRange(let first, let last):
            guard let start = CivilDate(first), let end = CivilDate(last) else { return "Dates are written YYYY-MM-DD." }
            guard start.epochDay <= end.epochDay else { return "The range ends before it starts." }
            guard Self.midnight(end.epochDay + 1, in: zone) > approvedAt else { return "The range is over already." }
            guard end.epochDay - start.epochDay <= Int64(Self.maximumDays) else { return "A range lasts at most a year." }
        case .indefinite:
            break
        }
        if credentials == .customerAtSetup {
            guard let ends = ends(approvedAt: approvedAt, zone: zone), ends.timeIntervalSince(approvedAt) <= Self.customerCredentialsLimit + 1 else {
                return "With the customer's own credentials, access lasts two weeks at most."
            }
        }
        return nil
    }

    /// When access ends; nil when it does not.
    public func ends(approvedAt: Date, zone: any ZoneClock) -> Date? {
        switch period {
        case .days(let count): return approvedAt.addingTimeInterval(TimeInterval(count) * 86_400)
        case .dateRange(_, let last): return CivilDate(last).map { Self.midnight($0.epochDay + 1, in: zone) } ?? approvedAt
        case .indefinite: return nil
        }
    }

    public enum Verdict: String, Codable, Equatable, Sendable {
        case allowed
        /// Before the first day of a range.
        case notYet = "not_yet"
        case expired
        /// Outside the daily hours.
        case outsideHours = "outside_hours"
    }

    /// Whether a connection may start at `now`, with the rules' time zone's offsets from `zone`.
    public func verdict(at now: Date, approvedAt: Date, zone: any ZoneClock) -> Verdict {
        if let ends = ends(approvedAt: approvedAt, zone: zone), now >= ends { return .expired }
        if case .dateRange(let first, _) = period, let start = CivilDate(first), now < Self.midnight(start.epochDay, in: zone) { return .notYet }
        if now < approvedAt { return .notYet }
        guard let start = dailyStart, let end = dailyEnd else { return .allowed }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let local = seconds + Int64(zone.secondsFromUTC(atUnixTime: seconds))
        let minute = Int(PosixZoneRule.floorModulo(local, 86_400) / 60)
        let inside = start < end ? (start..<end).contains(minute) : (minute >= start || minute < end)
        return inside ? .allowed : .outsideHours
    }

    /// The instant a local day starts in `zone` (its offset looked up at that moment: twice, since
    /// the first guess may fall on the other side of a change).
    static func midnight(_ epochDay: Int64, in zone: any ZoneClock) -> Date {
        let local = epochDay * 86_400
        let guess = local - Int64(zone.secondsFromUTC(atUnixTime: local))
        return Date(timeIntervalSince1970: TimeInterval(local - Int64(zone.secondsFromUTC(atUnixTime: guess))))
    }
}
