import Foundation
import LifelineCore

/// What the gateway takes from the world, injected so tests can set the time and the cost of hashing.
public struct GatewayEnvironment: Sendable {
    public var now: @Sendable () -> Date
    /// bcrypt cost: 12 in production; tests lower it to keep runs fast.
    public var bcryptCost: UInt8
    /// Session timers (connecting timeout …); the Admin Center will set these per group.
    public var timers: SessionTimers
    /// How often timer events are checked, in seconds.
    public var timerInterval: Double
    /// Auto-away delay and busy threshold; the Admin Center will set these.
    public var presence: TechnicianPresence.Settings
    /// How long an applet or an external technician's console may stay silent after connecting
    /// before it must have said hello: a silent socket is closed, not kept.
    public var helloDeadline: Duration

    public init(now: @escaping @Sendable () -> Date = { Date() }, bcryptCost: UInt8 = 12,
                timers: SessionTimers = .standard, timerInterval: Double = 1,
                presence: TechnicianPresence.Settings = .standard, helloDeadline: Duration = .seconds(10)) {
        self.helloDeadline = helloDeadline
        self.now = now
        self.bcryptCost = bcryptCost
        self.timers = timers
        self.timerInterval = timerInterval
        self.presence = presence
    }

    public static let production = GatewayEnvironment()
}
