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

    /// Who shows the screen: the applet (every tool), or a browser tab sharing its screen
    /// (`getDisplayMedia`: view only, nothing acts on the customer's side), or a browser that cannot.
    public enum Source: String, Codable, Equatable, Sendable {
        case applet
        case browser
        case chatOnly = "chat_only"
    }

    public let mode: Mode
    public private(set) var phase: Phase
    public let technicianId: String
    public let source: Source
    /// How a browser's pictures travel now (the applet's always go through the gateway).
    public private(set) var transport: Transport = .frames
    /// The console that answered the browser's WebRTC offer: the direct path's other end.
    public private(set) var directPeer: String?
    /// The colleague the lead gave the mouse and keyboard to (issue 21); nil: the lead has them.
    public internal(set) var controlGivenTo: String?

    public init(mode: Mode, technicianId: String, source: Source = .applet) {
        self.mode = mode
        self.phase = .requested
        self.technicianId = technicianId
        self.source = source
    }

    public enum Refusal: Error, Equatable, Sendable {
        case sessionNotActive(SessionState)
        case notPermitted(Permission)
        case alreadyRunning
        case notRunning
        case viewOnly
        /// Instant Chat without a screen to share: the tool needs the applet.
        case chatOnly
        /// A browser shares a picture of the screen: remote control needs the applet.
        case browserViewOnly
        /// A tool played on the customer's side (laser, pen on their screen, clipboard, monitors)
        /// has nothing to play it when a browser shares the screen.
        case notInBrowser
        /// A direct (WebRTC) path is set up only for a screen shared from a browser, with one of
        /// the owner's consoles: not this one (none running from a browser, or another console answered).
        case noDirectPath
    }

    /// A new request: only in an Active session, with the mode's permission, none running.
    /// From a browser only the view can be asked for, and only when the browser can share its screen.
    public static func request(_ mode: Mode, by technicianId: String, permissions: PermissionSet, sessionState: SessionState,
                               current: RemoteDesktopState?, source: Source = .applet,
                               sessionType: SessionType = .standard) throws(Refusal) -> RemoteDesktopState {
        let needed = permission(for: mode, in: sessionType)
        guard permissions.allows(needed) else { throw .notPermitted(needed) }
        guard sessionState == .active || sessionState == .collaboration else { throw .sessionNotActive(sessionState) }
        switch (source, mode) {
        case (.chatOnly, _): throw .chatOnly
        case (.browser, .control): throw .browserViewOnly
        case (.browser, .view), (.applet, _): break
        }
        guard current == nil else { throw .alreadyRunning }
        return RemoteDesktopState(mode: mode, technicianId: technicianId, source: source)
    }

    /// In a Lens session the picture is the customer's camera, which the Lens permission covers (Q1);
    /// elsewhere each mode has its own.
    public static func permission(for mode: Mode, in sessionType: SessionType) -> Permission {
        sessionType == .lens ? .lensSessions : mode.permission
    }

    /// Whether asking for `mode` switches the technician's own running desktop to the other mode
    /// (view to control, or back): the running one ends and the customer is asked anew.
    public static func isSwitch(to mode: Mode, by technicianId: String, from current: RemoteDesktopState) -> Bool {
        current.phase == .active && current.technicianId == technicianId && current.mode != mode
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

    /// A toolbar tool (J10–J16, J14): only while active; those acting on the customer's desktop
    /// need control as input does; some need a permission of their own (clipboard, recording).
    /// `onCustomerSide`: the tool is played by the applet (a browser has nothing to play it with).
    public func checkTool(needsControl: Bool, permission: Permission?, permissions: PermissionSet,
                          onCustomerSide: Bool = true) throws(Refusal) {
        guard phase == .active else { throw .notRunning }
        if onCustomerSide, source == .browser { throw .notInBrowser }
        if needsControl { try checkInput(permissions: permissions) }
        if let permission, !permissions.allows(permission) { throw .notPermitted(permission) }
    }

    /// Screen frames are passed on only while active.
    public var forwardsFrames: Bool { phase == .active }

    // MARK: The direct path of a screen shared from a browser (issue 16)

    /// Through the gateway as screen updates, or straight between the customer's and the
    /// technician's browsers (WebRTC), the gateway carrying only the setup's signals.
    public enum Transport: String, Codable, Equatable, Sendable {
        case frames
        case webrtc
    }

    /// A WebRTC signal: the customer's browser offers (it has the picture), a console answers,
    /// both send their network candidates.
    public enum SignalKind: String, Codable, Equatable, Sendable {
        case offer
        case answer
        case candidate
    }

    /// Where a customer's signal goes.
    public enum SignalRoute: Equatable, Sendable {
        /// Every console of the owner: which of them answers is not known yet.
        case ownersConsoles
        /// The console that answered.
        case console(String)
    }

    private var relaysSignals: Bool { phase == .active && source == .browser }

    /// A signal from the customer's browser: nil when there is nowhere for it to go (no browser
    /// screen running, or an answer, which only a console gives). A new offer starts over: any
    /// console may answer it.
    public mutating func signalFromCustomer(_ kind: SignalKind) -> SignalRoute? {
        guard relaysSignals else { return nil }
        switch kind {
        case .offer:
            directPeer = nil
            return .ownersConsoles
        case .candidate:
            return directPeer.map(SignalRoute.console) ?? .ownersConsoles
        case .answer:
            return nil
        }
    }

    /// A signal from `console`, one of technician `technicianId`'s: only the owner's, while a
    /// browser's screen is shown; the first console to answer is the other end, and only it
    /// speaks from then on.
    public mutating func signalFromConsole(_ kind: SignalKind, technicianId: String, console: String) throws(Refusal) {
        guard phase == .active, technicianId == self.technicianId else { throw .notRunning }
        guard source == .browser else { throw .noDirectPath }
        switch kind {
        case .offer:
            throw .noDirectPath
        case .answer:
            guard directPeer == nil || directPeer == console else { throw .noDirectPath }
            directPeer = console
        case .candidate:
            guard directPeer == console else { throw .noDirectPath }
        }
    }

    /// The customer's browser says how its pictures travel now; true when that changed. The
    /// direct path needs a console at its other end.
    public mutating func transportChanged(to new: Transport) -> Bool {
        guard relaysSignals, new != transport, new == .frames || directPeer != nil else { return false }
        transport = new
        return true
    }

    /// Whether the remote desktop survives the session entering `state`: only Active and
    /// Collaboration keep it; hold, transfer, reconnecting and closing end it (C5, C6).
    public static func survives(_ state: SessionState) -> Bool {
        state == .active || state == .collaboration
    }
}

/// Colour quality of the remote screen (J7): very low is grayscale; auto adapts to the measured
/// time the console takes to receive and draw an update.
public enum RemoteQuality: String, Codable, Equatable, Sendable, CaseIterable {
    case veryLow = "very_low"
    case low
    case medium
    case high
    case auto

    /// JPEG quality and grayscale for a fixed level; auto starts at high.
    public var encoding: (quality: Int, grayscale: Bool) {
        switch self {
        case .veryLow: (35, true)
        case .low: (45, false)
        case .medium: (65, false)
        case .high, .auto: (85, false)
        }
    }
}

/// The auto colour quality (J7): steps down when updates take long to be drawn (a slow link or a
/// slow viewer), and back up after a while of quick ones. Time passed in; no clock inside.
public struct QualityGovernor: Equatable, Sendable {
    static let levels: [RemoteQuality] = [.veryLow, .low, .medium, .high]
    public private(set) var level: RemoteQuality = .high
    private var smoothedDelay: Double?
    private var quickSince: Double?
    /// Seconds an update may take from sending to drawn before quality drops.
    public static let slow = 0.15
    /// Below this, and for `patience` seconds, quality rises again.
    public static let quick = 0.05
    public static let patience = 2.0

    public init() {}

    /// One update was drawn `delay` seconds after it was sent, at time `now` (seconds).
    public mutating func drawn(after delay: Double, at now: Double) {
        let smoothed = smoothedDelay.map { 0.7 * $0 + 0.3 * delay } ?? delay
        smoothedDelay = smoothed
        guard let index = Self.levels.firstIndex(of: level) else { return }
        if smoothed > Self.slow, index > 0 {
            level = Self.levels[index - 1]
            quickSince = nil
            smoothedDelay = nil
        } else if smoothed < Self.quick {
            if let since = quickSince {
                if now - since >= Self.patience, index < Self.levels.count - 1 {
                    level = Self.levels[index + 1]
                    quickSince = now
                }
            } else {
                quickSince = now
            }
        } else {
            quickSince = nil
        }
    }
}
