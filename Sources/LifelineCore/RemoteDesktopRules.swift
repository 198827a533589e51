/// The life of a session's remote desktop (J1, J2): requested by the owner in an active session,
/// accepted or denied by the customer, ended by the technician's red X, the customer, a hold, a
/// transfer or the session leaving Active. Pure: the gateway asks, then acts.
public struct RemoteDesktopState: Equatable, Sendable {
    public enum Phase: String, Equatable, Sendable {
        case requested
        case active
    }

    /// Control (view plus mouse and keyboard) or view only.
    public enum Mode: String, Codable, Equatable, Sendable, CaseIterable {
        case control
        case view

        /// The group permission each mode needs (A5).
        public var permission: Permission {
            switch self {
            case .control: .remoteControl
            case .view: .desktopView
            }
        }
    }

    public let mode: Mode
    public private(set) var phase: Phase
    public let technicianId: String

    public init(mode: Mode, technicianId: String) {
        self.mode = mode
        self.phase = .requested
        self.technicianId = technicianId
    }

    public enum Refusal: Error, Equatable, Sendable {
        case sessionNotActive(SessionState)
        case notPermitted(Permission)
        case alreadyRunning
        case notRunning
        case viewOnly
    }

    /// A new request: only in an Active session, with the mode's permission, none running.
    public static func request(_ mode: Mode, by technicianId: String, permissions: PermissionSet, sessionState: SessionState,
                               current: RemoteDesktopState?) throws(Refusal) -> RemoteDesktopState {
        guard permissions.allows(mode.permission) else { throw .notPermitted(mode.permission) }
        guard sessionState == .active || sessionState == .collaboration else { throw .sessionNotActive(sessionState) }
        guard current == nil else { throw .alreadyRunning }
        return RemoteDesktopState(mode: mode, technicianId: technicianId)
    }

    /// The customer said yes.
    public mutating func accepted() throws(Refusal) {
        guard phase == .requested else { throw .alreadyRunning }
        phase = .active
    }

    /// Mouse and keyboard: only while active, in control mode, with the permission still granted.
    public func checkInput(permissions: PermissionSet) throws(Refusal) {
        guard phase == .active else { throw .notRunning }
        guard mode == .control else { throw .viewOnly }
        guard permissions.allows(.remoteControl) else { throw .notPermitted(.remoteControl) }
    }

    /// Screen frames are passed on only while active.
    public var forwardsFrames: Bool { phase == .active }

    /// Whether the remote desktop survives the session entering `state`: only Active and
    /// Collaboration keep it; hold, transfer, reconnecting and closing end it (C5, C6).
    public static func survives(_ state: SessionState) -> Bool {
        state == .active || state == .collaboration
    }
}
