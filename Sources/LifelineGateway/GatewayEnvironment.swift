import Foundation
import Prometheus
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
    /// Deadlines and caps on TCP connections (idle and slow clients, one address's share).
    public var connectionLimits: ConnectionLimits
    /// How long a file transfer's bytes may stop moving before it is ended.
    public var transferStallLimit: Duration
    /// How long a technician's connection to an unattended computer waits for its agent's answer.
    public var agentAnswerDeadline: Duration = .seconds(15)
    /// How long a LAN connector may take to list its network (F4): a /22's SSH check takes ~13 s.
    public var lanListingDeadline: Duration = .seconds(45)
    /// How long it may take to start the applet on a machine, a copy of the applet included.
    public var lanConnectDeadline: Duration = .seconds(120)
    /// The registry swift-metrics was given (lifeline-server's Prometheus backend), served at
    /// `/metrics`; nil: no metrics endpoint.
    public var metricsRegistry: PrometheusCollectorRegistry?
    /// How often this gateway says it is alive and renews its session leases (issue 20).
    public var nodeHeartbeat: Duration = .seconds(2)

    public init(now: @escaping @Sendable () -> Date = { Date() }, bcryptCost: UInt8 = 12,
                timers: SessionTimers = .standard, timerInterval: Double = 1,
                presence: TechnicianPresence.Settings = .standard, helloDeadline: Duration = .seconds(10),
                connectionLimits: ConnectionLimits = ConnectionLimits(), transferStallLimit: Duration = .seconds(30)) {
        self.transferStallLimit = transferStallLimit
        self.helloDeadline = helloDeadline
        self.connectionLimits = connectionLimits
        self.now = now
        self.bcryptCost = bcryptCost
        self.timers = timers
        self.timerInterval = timerInterval
        self.presence = presence
    }

    public static let production = GatewayEnvironment()
}
