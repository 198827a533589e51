#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// Bodies of the customer endpoints, shared by the gateway and the applet.

/// Who a PIN or link would connect the customer to (`pin-check`, `links/{token}`).
public struct Invitation: Codable, Equatable, Sendable {
    /// Empty for a channel session nobody has taken yet.
    public let technicianName: String
    public let organisation: String
    public let sessionName: String
    /// The channel's name when the customer came through one (F2).
    public let channel: String?
    /// The organisation's terms and conditions: the applet has the customer accept them before joining (R4).
    public let terms: String?
    /// A Lens session (Q1) opens the camera page; absent on a standard session.
    public var type: SessionType?
    /// The customer's device as the technician picked it (P1); absent: the page decides.
    public var platform: CustomerPlatform?

    public init(technicianName: String, organisation: String, sessionName: String, channel: String? = nil, terms: String? = nil) {
        self.channel = channel
        self.terms = terms
        self.technicianName = technicianName
        self.organisation = organisation
        self.sessionName = sessionName
    }
}

/// The answer to `join`: the applet token opens `/ws/applet` for this session.
public struct JoinedSession: Codable, Equatable, Sendable {
    public let sessionId: String
    public let appletToken: String
    public let technicianName: String
    public let organisation: String

    public init(sessionId: String, appletToken: String, technicianName: String, organisation: String) {
        self.sessionId = sessionId
        self.appletToken = appletToken
        self.technicianName = technicianName
        self.organisation = organisation
    }
}

/// A customer's link, `<public URL>/c/<token>`: the same parsing for the gateway and the applet.
public enum CustomerLink {
    /// The token of a whole link a customer pasted, or the text itself when it is only a token.
    public static func token(from link: String) -> String {
        let trimmed = link.trimmed
        guard let range = trimmed.firstRange(of: "/c/") else { return trimmed }
        return String(trimmed[range.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }
}

extension String {
    /// The string without any number of trailing `suffix` (e.g. the slashes of a URL).
    public func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}

/// What an installed Calling Card shows and where it connects (`GET /api/v1/calling-cards/{id}`, F3).
public struct CallingCardInfo: Codable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let organisation: String
    public let headerColour: String
    public let textColour: String
    public let welcomeText: String
    public let helpText: String
    public let channelName: String
    /// The channel's public token: its requests endpoint is `channels/{token}/requests`.
    public let channelToken: String
    public let hasLogo: Bool

    public init(id: String, name: String, organisation: String, headerColour: String, textColour: String, welcomeText: String,
                helpText: String, channelName: String, channelToken: String, hasLogo: Bool) {
        self.id = id
        self.name = name
        self.organisation = organisation
        self.headerColour = headerColour
        self.textColour = textColour
        self.welcomeText = welcomeText
        self.helpText = helpText
        self.channelName = channelName
        self.channelToken = channelToken
        self.hasLogo = hasLogo
    }
}

/// A technician offers to install a Calling Card on the customer's computer (O1); the applet
/// asks the customer, who may refuse.
public struct CallingCardOffer: Codable, Equatable, Sendable {
    public let cardId: String
    public let name: String
    /// Open the card once it is installed.
    public let launchAfterInstall: Bool
    /// Launch the card at every start of the customer's session (XDG autostart).
    public let launchAtStartup: Bool
    public let technicianName: String

    public init(cardId: String, name: String, launchAfterInstall: Bool, launchAtStartup: Bool, technicianName: String) {
        self.cardId = cardId
        self.name = name
        self.launchAfterInstall = launchAfterInstall
        self.launchAtStartup = launchAtStartup
        self.technicianName = technicianName
    }
}

/// Why a customer did not join (POST /api/v1/customer/decline): the technician is told at once.
public enum CustomerRefusal: String, Codable, Sendable, CaseIterable {
    /// They saw who asks and said no.
    case declined
    /// They did not accept the organisation's terms.
    case termsRefused = "terms_refused"
    /// They closed the applet before answering (issue 16).
    case closed

    public var logEvent: SessionLogEvent {
        switch self {
        case .declined: .invitationDeclined
        case .termsRefused: .termsRefused
        case .closed: .appletClosed
        }
    }
}
