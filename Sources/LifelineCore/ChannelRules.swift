#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When a channel takes requests: weekly spans in the channel's time zone (F2).
public struct WorkingHours: Codable, Equatable, Sendable {
    /// One opening span: ISO weekday (1 = Monday … 7 = Sunday), minutes after midnight.
    public struct Span: Codable, Equatable, Sendable {
        public let weekday: Int
        public let opens: Int
        public let closes: Int

        public init(weekday: Int, opens: Int, closes: Int) {
            self.weekday = weekday
            self.opens = opens
            self.closes = closes
        }
    }

    public let timeZone: String
    public let spans: [Span]

    public init(timeZone: String, spans: [Span]) {
        self.timeZone = timeZone
        self.spans = spans
    }

    public enum Problem: Error, Equatable, Sendable {
        case unknownTimeZone(String)
        case badSpan(Span)
    }

    /// Checks the time zone exists and each span is a real weekday with opens < closes within a day.
    public func validated() throws(Problem) -> WorkingHours {
        guard TimeZone(identifier: timeZone) != nil else { throw .unknownTimeZone(timeZone) }
        for span in spans where !(1...7).contains(span.weekday) || span.opens < 0 || span.closes > 1_440 || span.opens >= span.closes {
            throw .badSpan(span)
        }
        return self
    }

    public func isOpen(at date: Date) -> Bool {
        guard let zone = TimeZone(identifier: timeZone) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar counts Sunday as 1; ISO counts Monday as 1.
        let isoWeekday = ((parts.weekday ?? 1) + 5) % 7 + 1
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return spans.contains { $0.weekday == isoWeekday && $0.opens <= minute && minute < $0.closes }
    }
}

/// Who may see and take channel sessions, and whether a channel takes a request now (F2).
public enum ChannelRules {
    public static let maximumPerOrganisation = 10

    public enum Availability: String, Codable, Equatable, Sendable {
        case open
        case outsideWorkingHours = "outside_working_hours"
        case nobodyAvailable = "nobody_available"
    }

    /// What a channel does with a request it cannot serve now.
    public enum WhenUnavailable: String, Codable, Equatable, Sendable {
        /// The request waits in the channel queue.
        case keep
        /// The customer is told to come back later; no session is created.
        case refuse
    }

    /// A technician sees and may start a channel's sessions when their group is assigned to the
    /// channel, their group allows channel sessions, and they are Online.
    public static func mayTake(groupId: String?, permissions: PermissionSet, status: TechnicianStatus,
                               channelGroups: Set<String>) -> Bool {
        mayView(groupId: groupId, permissions: permissions, channelGroups: channelGroups) && status == .online
    }

    /// A technician sees a channel's queue whatever their status: an Away technician still sees
    /// what waits, and sets themselves Online to take it.
    public static func mayView(groupId: String?, permissions: PermissionSet, channelGroups: Set<String>) -> Bool {
        guard let groupId, channelGroups.contains(groupId) else { return false }
        return permissions.allows(.channelSessions)
    }

    /// Whether the channel can serve a request now: within its hours (none set: always) and with
    /// at least one technician who may take it.
    public static func availability(hours: WorkingHours?, anyoneMayTake: Bool, at now: Date) -> Availability {
        if let hours, !hours.isOpen(at: now) { return .outsideWorkingHours }
        return anyoneMayTake ? .open : .nobodyAvailable
    }

    /// Whether a request creates a session.
    public static func accepts(_ availability: Availability, whenUnavailable: WhenUnavailable) -> Bool {
        availability == .open || whenUnavailable == .keep
    }
}
