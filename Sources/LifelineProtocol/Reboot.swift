#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the customer's machine restarts (M1–M3), as the manual's Reboot tab offers.
public enum RebootKind: String, Codable, Sendable, CaseIterable {
    /// Applications close in order, then the machine restarts (logind's `Reboot`).
    case normal
    /// One boot into a minimal system with networking and no desktop, the applet running.
    case safeMode = "safe_mode"
    /// Programs are stopped by force (unsaved work is lost); file systems are still synced.
    case emergency

    /// Safe mode and an emergency restart change how the whole system boots or stops: root only.
    public var needsElevatedApplet: Bool { self != .normal }
}

/// `reboot_request` from the console: restart the session's machine (permission `reboot`).
public struct RebootRequestMessage: WireMessage {
    public let sessionId: String
    public let kind: RebootKind
    /// Named in a refusal, so the console says it where the restart was asked.
    public let requestId: String?
    /// Sign the customer in by itself once after the restart (M4; the elevated applet).
    public let autoLogin: Bool?

    public init(sessionId: String, kind: RebootKind, requestId: String? = nil, autoLogin: Bool? = nil) {
        self.sessionId = sessionId
        self.kind = kind
        self.requestId = requestId
        self.autoLogin = autoLogin
    }
}

/// `reboot` to the applet: restart after the customer agrees, and rejoin with `ticket` after the boot.
public struct RebootOrder: WireMessage {
    public let kind: RebootKind
    /// Single use, expiring; the gateway keeps only its hash.
    public let ticket: String
    public let technician: String
    /// Sign the customer in once after the boot, if they allow it (M4).
    public let autoLogin: Bool?

    public init(kind: RebootKind, ticket: String, technician: String, autoLogin: Bool? = nil) {
        self.kind = kind
        self.ticket = ticket
        self.technician = technician
        self.autoLogin = autoLogin
    }
}

/// A program holding off a restart (logind's inhibitors), shown to the technician.
public struct RebootInhibitor: Codable, Equatable, Sendable {
    /// What it holds off, colon-separated: `shutdown`, `sleep`, `idle` …
    public let what: String
    public let who: String
    public let why: String
    /// `block` stops a restart; `delay` only holds it a moment.
    public let mode: String

    public init(what: String, who: String, why: String, mode: String) {
        self.what = what
        self.who = who
        self.why = why
        self.mode = mode
    }

    /// The ones that stop a normal restart: blocking, and about shutting down.
    public static func blocking(_ inhibitors: [RebootInhibitor]) -> [RebootInhibitor] {
        inhibitors.filter { $0.mode == "block" && $0.what.split(separator: ":").contains("shutdown") }
    }
}

/// `reboot_result` from the applet (without the session) and to the console (with it).
public struct RebootResultMessage: WireMessage {
    public enum Outcome: String, Codable, Sendable {
        /// The resume entry is written and the system took the restart: the machine goes down now.
        case restarting
        /// The customer said no.
        case refused
        /// It could not be done (`message` says why; `inhibitors` when programs blocked it).
        case failed
    }

    public let sessionId: String?
    public let kind: RebootKind
    public let outcome: Outcome
    public let message: String?
    public let inhibitors: [RebootInhibitor]?

    public init(sessionId: String?, kind: RebootKind, outcome: Outcome, message: String? = nil, inhibitors: [RebootInhibitor]? = nil) {
        self.sessionId = sessionId
        self.kind = kind
        self.outcome = outcome
        self.message = message
        self.inhibitors = inhibitors
    }
}

/// `POST /api/v1/customer/resume`: the applet started by the resume entry after a restart.
public struct ResumeRequest: Codable, Equatable, Sendable {
    public let ticket: String
    public init(ticket: String) { self.ticket = ticket }
}

/// `customer_restart` from the applet: the customer restarts the machine themselves (C7: On hold,
/// Active or Incoming → Rebooting), or the restart was called off before the machine went down.
public struct CustomerRestartMessage: WireMessage {
    public enum Phase: String, Codable, Sendable {
        /// logind announced the shutdown; the applet holds it a moment for the gateway's ticket.
        case starting
        /// logind said the shutdown is not happening after all.
        case cancelled
    }

    public let phase: Phase

    public init(phase: Phase) { self.phase = phase }
}

/// `resume_ticket` to the applet: the single-use ticket its one-shot entry rejoins with after the
/// boot, or none when the session does not come back by itself from where it is (`reason` says why).
public struct ResumeTicketMessage: WireMessage {
    public let ticket: String?
    public let reason: String?

    public init(ticket: String?, reason: String? = nil) {
        self.ticket = ticket
        self.reason = reason
    }
}
