#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Calling Card as the Admin Center defines it (F3): the installed applet's branding, the
/// channel it connects to, and the technician groups that may deploy it from a session (O1).
public struct CallingCardDesign: Codable, Equatable, Sendable {
    /// The name on the card's title bar and in the desktop menu ("Acme Support").
    public var name: String
    /// The channel its "Connect" button joins; the card can also connect with a PIN.
    public var channelId: String
    /// Title bar colours, "#rrggbb".
    public var headerColour: String
    public var textColour: String
    /// Shown above the form: what to fill in and why.
    public var welcomeText: String
    /// The Help menu's text.
    public var helpText: String
    /// The groups whose technicians may deploy this card (with deploy_calling_card).
    public var groupIds: [String]

    public init(name: String, channelId: String, headerColour: String = "#1f6feb", textColour: String = "#ffffff",
                welcomeText: String = CallingCardRules.standardWelcome, helpText: String = CallingCardRules.standardHelp,
                groupIds: [String] = []) {
        self.name = name
        self.channelId = channelId
        self.headerColour = headerColour
        self.textColour = textColour
        self.welcomeText = welcomeText
        self.helpText = helpText
        self.groupIds = groupIds
    }
}

/// The rules of Calling Card definitions and of the installed card's proxy setting. Pure.
public enum CallingCardRules {
    public enum Problem: Error, Equatable, Sendable {
        case badName
        case badColour(String)
        case badText(field: String)
        case badLogo
        case tooMany
        case badProxy
    }

    public static let maximumNameLength = 60
    public static let maximumTextLength = 1_000
    public static let maximumLogoBytes = 256 * 1024
    /// At most this many cards per organisation.
    public static let maximumCount = 20
    public static let standardWelcome = "To reach a technician, fill in the fields below and choose Connect."
    public static let standardHelp = """
        Connect: a technician of our support team answers as soon as one is free.
        PIN: if a technician gave you a 6-digit code, choose "Connect with a PIN" and type it.
        During the session you can chat, accept or refuse what the technician asks, and end the session at any time.
        """

    /// The design trimmed and checked: a name on one line, colours as #rrggbb, texts bounded.
    public static func validated(_ design: CallingCardDesign) throws(Problem) -> CallingCardDesign {
        var clean = design
        clean.name = design.name.trimmed
        guard (1...maximumNameLength).contains(clean.name.count),
              !ReplyRules.hasControlCharacters(clean.name, allowingLineBreaks: false) else { throw .badName }
        for colour in [design.headerColour, design.textColour] where !isColour(colour) { throw .badColour(colour) }
        clean.headerColour = design.headerColour.lowercased()
        clean.textColour = design.textColour.lowercased()
        clean.welcomeText = design.welcomeText.trimmed
        clean.helpText = design.helpText.trimmed
        for (field, text) in [("welcomeText", clean.welcomeText), ("helpText", clean.helpText)]
        where text.count > maximumTextLength || ReplyRules.hasControlCharacters(text, allowingLineBreaks: true) {
            throw .badText(field: field)
        }
        clean.groupIds = Array(Set(design.groupIds)).sorted()
        return clean
    }

    static func isColour(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }

    /// A logo the card shows: a PNG (by its signature) of at most 256 KiB.
    public static func checkLogo(_ bytes: [UInt8]) throws(Problem) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count <= maximumLogoBytes, bytes.starts(with: signature) else { throw .badLogo }
    }

    /// The colour a terminal can show for "#rrggbb": the nearest of the 256-colour palette's 6×6×6 cube.
    public static func terminalColour(_ hex: String) -> Int {
        guard isColour(hex), let value = Int(hex.dropFirst(), radix: 16) else { return 15 }
        let level = { (component: Int) in component < 48 ? 0 : component < 115 ? 1 : (component - 35) / 40 }
        return 16 + 36 * level((value >> 16) & 0xFF) + 6 * level((value >> 8) & 0xFF) + level(value & 0xFF)
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .badName: "A Calling Card's name is 1 to \(maximumNameLength) characters on one line."
        case .badColour(let colour): "\(colour) is not a colour: write #rrggbb."
        case .badText(let field): "\(field) is plain text of at most \(maximumTextLength) characters."
        case .badLogo: "The logo must be a PNG image of at most 256 KB."
        case .tooMany: "An organisation has at most \(maximumCount) Calling Cards."
        case .badProxy: "A proxy is written http://host:port, optionally with a user name and password."
        }
    }
}

/// The HTTP proxy an installed Calling Card goes through (G3 settings): HTTP CONNECT, with
/// optional Basic credentials.
public struct ProxySettings: Codable, Hashable, Sendable {
    public let host: String
    public let port: Int
    public let username: String?
    public let password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// "http://[user[:password]@]host:port"; an empty text means no proxy.
    public static func parse(_ text: String) throws(CallingCardRules.Problem) -> ProxySettings? {
        let trimmed = text.trimmedOfSpaces
        if trimmed.isEmpty { return nil }
        guard let url = URLComponents(string: trimmed), url.scheme?.lowercased() == "http",
              let host = url.host, !host.isEmpty, let port = url.port, (1...65_535).contains(port),
              url.path.isEmpty || url.path == "/", url.query == nil
        else { throw .badProxy }
        return ProxySettings(host: host, port: port, username: url.user,
                             password: url.password)
    }

    /// The Proxy-Authorization header's value, when the proxy needs credentials.
    public var authorization: String? {
        guard let username else { return nil }
        return "Basic " + Data("\(username):\(password ?? "")".utf8).base64EncodedString()
    }
}
