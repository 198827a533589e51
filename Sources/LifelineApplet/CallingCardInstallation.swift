#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol

/// An installed Calling Card (F3, O1), for the current user, following the XDG base directories:
/// the applet's binary under ~/.local/share/lifeline, the card's settings in
/// ~/.config/lifeline/calling-card.json, a desktop menu entry, and an autostart entry when the
/// card should launch at every start. No root rights are needed or used.
public struct CallingCardInstallation: Sendable {
    /// What the installed card keeps: where to connect, its proxy, and the last branding seen
    /// (shown when the gateway cannot be reached).
    public struct Settings: Codable, Equatable, Sendable {
        public var gateway: String
        public var cardId: String
        /// "http://[user[:password]@]host:port", or nil for a direct connection (G3 settings).
        public var proxy: String?
        public var card: CallingCardInfo?
        public var launchAtStartup: Bool
        /// The organisation's certificate authorities trusted when the card was installed (`AppletTrust`).
        public var caFile: String?

        public init(gateway: String, cardId: String, proxy: String? = nil, card: CallingCardInfo? = nil, launchAtStartup: Bool = false) {
            self.gateway = gateway
            self.cardId = cardId
            self.proxy = proxy
            self.card = card
            self.launchAtStartup = launchAtStartup
        }
    }

    public let home: URL
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        home = URL(fileURLWithPath: environment["HOME"] ?? LocalPaths.home())
    }

    var configDirectory: URL {
        environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) } ?? home.appendingPathComponent(".config")
    }

    var dataDirectory: URL {
        environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) } ?? home.appendingPathComponent(".local/share")
    }

    public var settingsFile: URL { configDirectory.appendingPathComponent("lifeline/calling-card.json") }
    public var binary: URL { dataDirectory.appendingPathComponent("lifeline/lifeline-applet") }
    public var logoFile: URL { dataDirectory.appendingPathComponent("lifeline/calling-card.png") }
    public var menuEntry: URL { dataDirectory.appendingPathComponent("applications/lifeline-calling-card.desktop") }
    public var autostartEntry: URL { configDirectory.appendingPathComponent("autostart/lifeline-calling-card.desktop") }

    public func loadSettings() throws -> Settings {
        do {
            return try JSONDecoder().decode(Settings.self, from: Data(contentsOf: settingsFile))
        } catch {
            throw GatewayClient.Failure(description: "No Calling Card is installed for this user (\(settingsFile.path) is missing or unreadable).")
        }
    }

    public func save(_ settings: Settings) throws {
        try FileManager.default.createDirectory(at: settingsFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // The proxy password may be in it: readable by this user only.
        try encoder.encode(settings).write(to: settingsFile, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: settingsFile.path)
    }

    /// Installs the card: this very binary copied into place, the settings, the menu entry and,
    /// when asked, the autostart entry. Installing again updates everything in place.
    public func install(card: CallingCardInfo, gateway: String, logo: Data?, launchAtStartup: Bool, runningBinary: String) throws {
        let files = FileManager.default
        try files.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        if URL(fileURLWithPath: runningBinary).standardizedFileURL != binary.standardizedFileURL {
            let staged = binary.appendingPathExtension("new")
            try? files.removeItem(at: staged)
            try files.copyItem(atPath: runningBinary, toPath: staged.path)
            try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staged.path)
            // rename(2) replaces a running copy safely.
            guard rename(staged.path, binary.path) == 0 else {
                throw GatewayClient.Failure(description: "Could not install the applet at \(binary.path).")
            }
        }
        if let logo { try logo.write(to: logoFile, options: .atomic) } else { try? files.removeItem(at: logoFile) }
        var settings = (try? loadSettings()) ?? Settings(gateway: gateway, cardId: card.id)
        settings.gateway = gateway
        settings.cardId = card.id
        settings.card = card
        settings.launchAtStartup = launchAtStartup
        if let trusted = AppletTrust.caFile { settings.caFile = trusted }
        try save(settings)
        try write(desktopEntry(name: card.name, hasLogo: logo != nil), to: menuEntry)
        if launchAtStartup {
            try write(desktopEntry(name: card.name, hasLogo: logo != nil) + "X-GNOME-Autostart-enabled=true\n", to: autostartEntry)
        } else {
            try? files.removeItem(at: autostartEntry)
        }
    }

    /// Installs card `cardId` of `gateway`: its branding and logo fetched first, so a wrong id or
    /// an unreachable gateway installs nothing.
    public func install(cardId: String, gateway: String, launchAtStartup: Bool, runningBinary: String) async throws -> CallingCardInfo {
        guard let url = URL(string: gateway) else { throw GatewayClient.Failure(description: "The gateway address is not valid.") }
        let client = GatewayClient(gateway: url)
        let card = try await client.callingCard(id: cardId)
        let logo = card.hasLogo ? await client.callingCardLogo(id: cardId) : nil
        try install(card: card, gateway: gateway, logo: logo, launchAtStartup: launchAtStartup, runningBinary: runningBinary)
        return card
    }

    /// Removes everything `install` wrote.
    public func uninstall() {
        for file in [menuEntry, autostartEntry, settingsFile, logoFile, binary] { try? FileManager.default.removeItem(at: file) }
    }

    func desktopEntry(name: String, hasLogo: Bool) -> String {
        // Desktop entry values are one line each; the name is checked by the gateway, cleaned again here.
        let cleanName = name.unicodeScalars.filter { $0.properties.generalCategory != .control }.map(String.init).joined()
        var lines = [
            "[Desktop Entry]", "Type=Application", "Name=\(cleanName)", "Comment=Get help from your support team",
            "Exec=\"\(binary.path)\" --calling-card", "Terminal=true", "Categories=Network;RemoteAccess;",
        ]
        if hasLogo { lines.append("Icon=\(logoFile.path)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func write(_ text: String, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file, options: .atomic)
    }
}
