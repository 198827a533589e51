#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// What the customer asks of the applet: typed as a line in the terminal ("/allow"), or clicked in
/// the window. Both end up here, so the two interfaces cannot drift apart.
public enum CustomerCommand: Sendable, Equatable {
    case chat(String)
    case quit
    case allowRemote
    case denyRemote
    /// Takes control of the screen back (the remote desktop ends).
    case stopRemote
    /// The manual's big red X: every right given is taken back at once.
    case stopEverything
    case installCard
    case skipCard
    case refuseFile
    /// Saves the file offered into `folder`; empty for the default folder.
    case saveFile(folder: String)
    case sendFile(path: String)
    /// The file manager's question answered, or the file manager closed (K1).
    case allowFiles
    case denyFiles
    case closeFiles
    /// Stops the script that runs (N2).
    case stopScript
    /// The question to uninstall an application answered (L4).
    case allowUninstall
    case denyUninstall
    /// The question to restart this computer answered (M1–M3).
    case allowRestart
    case denyRestart
    /// The question of unattended access answered (F5).
    case allowUnattended
    case denyUnattended
    /// The customer's password for unattended access with their own credentials (the window's
    /// field; in a terminal, the line typed after `/allow unattended`).
    case unattendedPassword(String)
    /// Takes unattended access back: the computer leaves the technician's list and the agent goes (F5).
    case revokeUnattended

    /// The command a terminal line means; nil for an empty line. Anything else is chat.
    public init?(line: String) {
        let text = line.trimmed
        switch text {
        case "": return nil
        case "/quit": self = .quit
        case "/allow": self = .allowRemote
        case "/deny": self = .denyRemote
        case "/stop": self = .stopRemote
        case "/revoke": self = .stopEverything
        case "/allow files": self = .allowFiles
        case "/deny files": self = .denyFiles
        case "/close files": self = .closeFiles
        case "/stop script": self = .stopScript
        case "/allow uninstall": self = .allowUninstall
        case "/deny uninstall": self = .denyUninstall
        case "/allow restart": self = .allowRestart
        case "/deny restart": self = .denyRestart
        case "/allow unattended": self = .allowUnattended
        case "/deny unattended": self = .denyUnattended
        case "/revoke unattended": self = .revokeUnattended
        case "/install": self = .installCard
        case "/skip": self = .skipCard
        case "/refuse": self = .refuseFile
        case "/save": self = .saveFile(folder: "")
        case _ where text.hasPrefix("/save "): self = .saveFile(folder: Self.argument(of: text, after: "/save "))
        case _ where text.hasPrefix("/send "): self = .sendFile(path: Self.argument(of: text, after: "/send "))
        default: self = .chat(text)
        }
    }

    /// The terminal line for this command: an elevated copy of the applet reads lines (J3).
    public var line: String {
        switch self {
        case .chat(let text): text
        case .quit: "/quit"
        case .allowRemote: "/allow"
        case .denyRemote: "/deny"
        case .stopRemote: "/stop"
        case .stopEverything: "/revoke"
        case .installCard: "/install"
        case .skipCard: "/skip"
        case .refuseFile: "/refuse"
        case .saveFile(let folder): folder.isEmpty ? "/save" : "/save \(folder)"
        case .sendFile(let path): "/send \(path)"
        case .allowFiles: "/allow files"
        case .denyFiles: "/deny files"
        case .closeFiles: "/close files"
        case .stopScript: "/stop script"
        case .allowUninstall: "/allow uninstall"
        case .denyUninstall: "/deny uninstall"
        case .allowRestart: "/allow restart"
        case .denyRestart: "/deny restart"
        case .allowUnattended: "/allow unattended"
        case .denyUnattended: "/deny unattended"
        case .unattendedPassword(let password): password
        case .revokeUnattended: "/revoke unattended"
        }
    }

    private static func argument(of text: String, after prefix: String) -> String {
        String(text.dropFirst(prefix.count)).trimmedOfSpaces
    }
}
