import Foundation

/// How the applet was started.
public struct AppletOptions: Sendable {
    public enum Credential: Sendable {
        case pin(String)
        case link(String)
    }

    public var gateway: URL
    public var credential: Credential
    /// Scripts and tests: no prompts, one machine-readable line per event (docs/protocol.md).
    public var nonInteractive: Bool
    /// The longest pause between two reconnection attempts.
    public var maximumBackoff: Double
    /// What to answer when the technician asks for the screen.
    public var remoteConsent: RemoteConsent

    public init(gateway: URL, credential: Credential, nonInteractive: Bool, maximumBackoff: Double = 30,
                remoteConsent: RemoteConsent = .ask) {
        self.remoteConsent = remoteConsent
        self.gateway = gateway
        self.credential = credential
        self.nonInteractive = nonInteractive
        self.maximumBackoff = maximumBackoff
    }
}

/// Why the applet stopped, with the exit code the command returns.
public enum AppletOutcome: Equatable, Sendable {
    case sessionEnded(reason: String)
    case declined
    case failed(message: String)

    public var exitCode: Int32 {
        switch self {
        case .sessionEnded: 0
        case .declined: 0
        case .failed: 1
        }
    }
}
