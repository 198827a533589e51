#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// What brings the applet back after the machine restarts (M1–M3), in the customer's own account
/// (the elevated applet writes it for the user who started it): the applet copied under
/// ~/.local/share/lifeline, the gateway and the single-use ticket in a file only that user may
/// read, and a one-shot XDG autostart entry that starts it with the customer's desktop session. The
/// started applet removes the entry and the file before it uses the ticket, so it runs once.
public struct RestartResume: Sendable {
    public struct Saved: Codable, Equatable, Sendable {
        public var gateway: String
        public var ticket: String
        /// The proxy the applet went through (G3), if any.
        public var proxy: ProxySettings?
        public var remoteConsent: String
        /// The organisation's certificate authorities the applet trusted (`AppletTrust`), if any.
        public var caFile: String?
    }

    let home: String
    let configDirectory: String
    let dataDirectory: String
    /// The customer's account when the elevated applet writes for them (files handed to it).
    let owner: SystemFiles.Owner?

    public var binary: String { dataDirectory + "/lifeline/lifeline-applet" }
    public var ticketFile: String { dataDirectory + "/lifeline/after-restart.json" }
    public var autostartEntry: String { configDirectory + "/autostart/lifeline-after-restart.desktop" }

    /// The account whose desktop session brings the applet back: the user who started the elevated
    /// applet (`SUDO_UID`), or this applet's own.
    public static func forThisCustomer(environment: [String: String] = ProcessInfo.processInfo.environment) -> RestartResume {
        if let customer = LocalPaths.sudoCustomer(environment: environment) {
            return RestartResume(home: customer.home, configDirectory: customer.home + "/.config", dataDirectory: customer.home + "/.local/share",
                                 owner: (customer.uid, customer.gid))
        }
        let home = environment["HOME"] ?? LocalPaths.home()
        return RestartResume(home: home, configDirectory: environment["XDG_CONFIG_HOME"] ?? home + "/.config",
                             dataDirectory: environment["XDG_DATA_HOME"] ?? home + "/.local/share", owner: nil)
    }

    /// Writes all three; on failure nothing is left behind.
    public func write(_ saved: Saved, runningBinary: String) throws {
        do {
            try writeTicket(saved, runningBinary: runningBinary)
            try makeFolder(configDirectory + "/autostart")
            try SystemFiles.write(entry(), to: autostartEntry, mode: 0o644, owner: owner)
        } catch {
            remove()
            throw error
        }
    }

    /// The applet's copy and the ticket file (a safe-mode boot starts them from a system service).
    func writeTicket(_ saved: Saved, runningBinary: String) throws {
        do {
            try makeFolder(dataDirectory + "/lifeline")
            if URL(fileURLWithPath: runningBinary).standardizedFileURL.path != binary {
                try SystemFiles.copyApplet(from: runningBinary, to: binary, owner: owner)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try SystemFiles.write(try encoder.encode(saved), to: ticketFile, mode: 0o600, owner: owner)
        } catch {
            unlink(ticketFile)
            throw error
        }
    }

    /// The entry and the ticket go; the copied applet stays for the next time.
    public func remove() {
        unlink(autostartEntry)
        unlink(ticketFile)
    }

    /// Reads the saved ticket and removes it and the entry first: whatever happens next, the
    /// applet is not started again by the next login.
    public static func take(from file: String, entry: String?) throws -> Saved {
        let data = FileManager.default.contents(atPath: file)
        if let entry, entry.hasSuffix("/lifeline-after-restart.desktop") { unlink(entry) }
        unlink(file)
        guard let data else { throw SystemFiles.Failure("\(file) cannot be read: the restart's ticket is gone.") }
        return try JSONDecoder().decode(Saved.self, from: data)
    }

    func entry() -> String {
        [
            "[Desktop Entry]", "Type=Application", "Name=Lifeline support (after restart)",
            "Comment=Reconnects the support session once, after the restart the technician asked for",
            "Exec=\(Self.quoted(binary)) --after-restart \(Self.quoted(ticketFile)) --autostart-entry \(Self.quoted(autostartEntry))",
            "Terminal=false", "X-GNOME-Autostart-enabled=true", "NoDisplay=true",
        ].joined(separator: "\n") + "\n"
    }

    /// An argument of a desktop entry's Exec line: in double quotes, with `"`, `` ` ``, `$` and `\` escaped.
    static func quoted(_ argument: String) -> String {
        var quoted = "\""
        for character in argument {
            if "\"`$\\".contains(character) { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// Folders in the customer's home are theirs; the ones above it are not made.
    private func makeFolder(_ path: String) throws {
        try SystemFiles.makeFolders(path, mode: 0o700, owner: owner, ownedBelow: home + "/")
    }
}
