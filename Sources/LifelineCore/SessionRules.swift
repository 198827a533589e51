#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a customer joins a private session (F1).
public enum ConnectionMethod: String, CaseIterable, Codable, Sendable {
    case pin
    case link

    /// The group permission that allows creating a session this way.
    public var requiredPermission: Permission {
        switch self {
        case .pin: .connectByPin
        case .link: .connectByLink
        }
    }
}

/// The ten-active-sessions rule (C4).
public enum ActiveSessionLimit {
    public static let maximum = 10

    /// Whether a technician who already has `states` may move one more session into Active.
    public static func allowsAnother(current states: some Sequence<SessionState>) -> Bool {
        refusal(adding: .standard, to: states.map { (type: SessionType.standard, state: $0) }) == nil
    }
}

/// The queue tabs of the console (C2).
public enum QueueTab: String, CaseIterable, Codable, Sendable {
    case all
    case `private`
    case channel
    case active
    /// Administrators only: the live sessions of the organisation's other technicians.
    case monitored

    /// Whether a session in `state`, in the technician's own queue, belongs on this tab. Private
    /// sessions were created by a technician; channel sessions came through a channel, whatever
    /// their state now (manual C2). The Monitored tab lists other technicians' sessions instead.
    public func contains(_ state: SessionState, fromChannel: Bool) -> Bool {
        guard !state.isRemovedFromQueue else { return false }
        switch self {
        case .all: return true
        case .private: return !fromChannel
        case .channel: return fromChannel
        case .active: return state.countsTowardActiveLimit || state == .onHold
        case .monitored: return false
        }
    }
}

/// Session names: the customer's name as typed by the technician; "Customer" when none.
public enum SessionName {
    public static let fallback = "Customer"
    public static let maximumLength = 100

    public static func normalised(_ raw: String?) -> String {
        let name = String(cleaned(raw ?? "").prefix(maximumLength))
        return name.isEmpty ? fallback : name
    }

    /// One line of text typed by someone: trimmed, without control characters.
    public static func cleaned(_ raw: String) -> String {
        String(raw.trimmed.unicodeScalars
            .filter { !$0.properties.generalCategory.isControl }.map(Character.init))
            .trimmedOfSpaces
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControl: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}

/// Chat lines: plain text, bounded.
public enum ChatText {
    public static let maximumLength = 4_000

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case tooLong(limit: Int)
    }

    public static func validated(_ raw: String) throws(Problem) -> String {
        let trimmed = raw.trimmed
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= maximumLength else { throw .tooLong(limit: maximumLength) }
        return trimmed
    }
}
