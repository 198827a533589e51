/// What a session is for, chosen in New session (the manual's "Type de session"): a standard
/// session (the applet, or Instant Chat in the browser) or a Lens session (Q1: what the
/// customer's phone camera sees, with voices both ways, in the phone's browser).
public enum SessionType: String, CaseIterable, Codable, Sendable {
    case standard
    case lens

    /// The group permission creating (or being transferred) a session of this type needs besides
    /// the connection method's.
    public var requiredPermission: Permission? {
        switch self {
        case .standard: nil
        case .lens: .lensSessions
        }
    }

    /// The manual: "La Collaboration de techniciens n'est pas disponible pour les sessions Rescue Lens."
    public var allowsCollaboration: Bool { self == .standard }

    /// Only a standard session has the applet's tools (remote control, files, system information,
    /// scripts, reboot, elevation); a Lens session is the camera, the voices and the chat.
    public var hasAppletTools: Bool { self == .standard }
}

/// The device the customer will join from, picked by hand in New session when the technician
/// knows it (P1); nil: the customer's page decides from what the browser can do.
public enum CustomerPlatform: String, CaseIterable, Codable, Sendable {
    /// A Linux computer: the applet first.
    case linux
    /// A computer without the applet (Windows, macOS, ChromeOS…): Instant Chat and the screen from the browser.
    case computer
    /// A phone or tablet: the mobile page, its camera instead of a screen.
    case mobile
}

/// Why one more session may not become active for a technician.
public enum ActiveSessionRefusal: Error, Equatable, Sendable {
    /// Ten active sessions already (C4).
    case tooMany
    /// One active Lens session already (Q1: "Un technicien ne peut gérer qu'une session Lens active à la fois").
    case anotherLens
}

extension ActiveSessionLimit {
    /// Whether a technician whose sessions counting toward the limit are `current` (type and
    /// state) may move one more session, of `type`, into Active; nil when they may.
    public static func refusal(adding type: SessionType,
                               to current: some Sequence<(type: SessionType, state: SessionState)>) -> ActiveSessionRefusal? {
        let counted = current.filter { $0.state.countsTowardActiveLimit }
        guard counted.count < maximum else { return .tooMany }
        if type == .lens, counted.contains(where: { $0.type == .lens }) { return .anotherLens }
        return nil
    }
}
