#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The durations the manual fixes or lets the administrator set. All in seconds.
public struct SessionTimers: Equatable, Sendable {
    /// A PIN or link not used within this time closes the session (group setting; 20 min default).
    public var connecting: TimeInterval
    /// A waiting session nobody starts within this time leaves the queue (nil: never).
    public var waiting: TimeInterval?
    /// Administrator's idle timeout (nil: off).
    public var idle: TimeInterval?
    /// Reconnecting becomes Offline after five minutes.
    public var reconnectingToOffline: TimeInterval
    /// A session can be held at most fourteen days.
    public var maximumHold: TimeInterval
    /// System timeout: two weeks.
    public var system: TimeInterval

    public static let minute: TimeInterval = 60
    public static let day: TimeInterval = 86_400

    public init(
        connecting: TimeInterval = 20 * minute,
        waiting: TimeInterval? = nil,
        idle: TimeInterval? = nil,
        reconnectingToOffline: TimeInterval = 5 * minute,
        maximumHold: TimeInterval = 14 * day,
        system: TimeInterval = 14 * day
    ) {
        self.connecting = connecting
        self.waiting = waiting
        self.idle = idle
        self.reconnectingToOffline = reconnectingToOffline
        self.maximumHold = maximumHold
        self.system = system
    }

    public static let standard = SessionTimers()
}
