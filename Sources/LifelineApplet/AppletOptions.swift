#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// How the applet was started.
public struct AppletOptions: Sendable {
    public enum Credential: Sendable {
        case pin(String)
        case link(String)
        /// The root copy of an elevated restart (J3): the session comes in this private file.
        case resume(file: String)
        /// Started by the one-shot entry after the machine restarted (M1–M3): the single-use ticket.
        case afterRestart(ticket: String)
    }

    public var gateway: URL
    public var credential: Credential
    /// Scripts and tests: no prompts, one machine-readable line per event (docs/protocol.md).
    public var nonInteractive: Bool
    /// The longest pause between two reconnection attempts.
    public var maximumBackoff: Double
    /// What to answer when the technician asks for the screen.
    public var remoteConsent: RemoteConsent
    /// The flags a restarted copy of the applet must get again (J3).
    public var restartArguments: [String] = []
    /// The installed Calling Card's HTTP proxy (G3): the socket and downloads go through it.
    public var proxy: ProxySettings?

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
    /// The customer did not accept the organisation's terms (R4): nothing was joined.
    case termsRefused
    /// The customer closed the applet before answering (issue 16): nothing was joined.
    case closed
    case failed(message: String)
    /// A root copy took over the session (J3) and ended with this status.
    case handedOver(exitCode: Int32)

    public var exitCode: Int32 {
        switch self {
        case .sessionEnded: 0
        case .declined, .termsRefused, .closed: 0
        case .failed: 1
        case .handedOver(let code): code
        }
    }
}

/// The customer's answer to "let this technician connect?".
public enum ConsentAnswer: Sendable {
    case allow
    /// No (to the technician, or to the terms when there are some).
    case decline
    /// The applet was closed before the customer answered.
    case close
}
