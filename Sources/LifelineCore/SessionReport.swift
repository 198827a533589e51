#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The times the sessions report (R3) shows for one session, read from the states it went
/// through: how long the customer waited for a technician, how long the technician handled it,
/// and how it ended. Pure: the caller passes the session's state changes in order.
public struct SessionTiming: Equatable, Sendable {
    /// From the customer's arrival (Waiting) to the pick-up (first Active), or to the end when
    /// nobody picked it up; nil when the customer never arrived.
    public let waiting: TimeInterval?
    /// From the pick-up to the end (or to `now` while still open); nil when never picked up.
    public let handling: TimeInterval?
    public let pickedUpAt: Date?
    /// The state that ended the session (closed by the technician or the customer, timed out);
    /// nil while it is open.
    public let endState: SessionState?

    public struct Change: Equatable, Sendable {
        public let at: Date
        public let state: SessionState
        public init(at: Date, state: SessionState) {
            self.at = at
            self.state = state
        }
    }

    static func ends(_ state: SessionState) -> Bool { state.isClosed || state == .timedOut }

    public static func measure(_ changes: [Change], now: Date) -> SessionTiming {
        let arrived = changes.first { $0.state == .waiting }?.at
        let pickedUp = changes.first { $0.state == .active }?.at
        let end = changes.first { ends($0.state) }
        let waiting: TimeInterval? = arrived.map { start in max(0, (pickedUp ?? end?.at ?? now).timeIntervalSince(start)) }
            ?? (pickedUp == nil ? nil : 0)
        let handling = pickedUp.map { max(0, (end?.at ?? now).timeIntervalSince($0)) }
        return SessionTiming(waiting: waiting, handling: handling, pickedUpAt: pickedUp, endState: end?.state)
    }
}

/// One technician's line of the technician performance report (R3).
public struct TechnicianPerformance: Equatable, Sendable {
    public let technicianId: String
    public let sessions: Int
    /// Sessions the technician picked up.
    public let handled: Int
    public let averagePickUp: TimeInterval?
    public let averageHandling: TimeInterval?

    /// Sessions grouped by technician, busiest first (then by id, so the order is stable).
    public static func summarise(_ sessions: [(technicianId: String, timing: SessionTiming)]) -> [TechnicianPerformance] {
        Dictionary(grouping: sessions, by: \.technicianId).map { technicianId, items in
            let pickUps = items.compactMap { $0.timing.pickedUpAt == nil ? nil : $0.timing.waiting }
            let handlings = items.compactMap(\.timing.handling)
            return TechnicianPerformance(technicianId: technicianId, sessions: items.count, handled: handlings.count,
                                         averagePickUp: average(pickUps), averageHandling: average(handlings))
        }.sorted { ($0.sessions, $1.technicianId) > ($1.sessions, $0.technicianId) }
    }

    static func average(_ values: [TimeInterval]) -> TimeInterval? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// "1:05:09" / "4:02": durations in reports, as a person reads them.
public enum DurationText {
    public static func make(_ seconds: TimeInterval?) -> String {
        guard let seconds else { return "" }
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3_600, (total % 3_600) / 60, total % 60)
        return hours > 0 ? "\(hours):\(minutes.padded(to: 2)):\(rest.padded(to: 2))" : "\(minutes):\(rest.padded(to: 2))"
    }
}
