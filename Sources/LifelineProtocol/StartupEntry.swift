#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A program that starts with the computer or the customer's desktop (L7): an XDG autostart
/// entry, or a systemd service enabled to start at boot.
public struct StartupEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A `.desktop` file of an autostart folder: starts with the customer's desktop.
        case autostart
        /// An enabled systemd service: starts with the computer (or the customer's own manager).
        case service
    }

    public var kind: Kind
    /// The file's name (`evolution-alarm-notify.desktop`) or the unit's (`ssh.service`).
    public var name: String
    /// Its `Name=`, or the unit's description.
    public var title: String
    /// Its `Exec=` line, or the unit's name.
    public var command: String
    /// `system` (/etc/xdg/autostart, the machine's units) or `user` (~/.config/autostart, the customer's units).
    public var scope: ServiceScope
    public var enabled: Bool
    /// Why an autostart entry does not start: `hidden`, `disabled`, `only_show_in`, `not_show_in`.
    public var reason: String?

    public init(kind: Kind, name: String, title: String, command: String, scope: ServiceScope, enabled: Bool, reason: String? = nil) {
        self.kind = kind
        self.name = name
        self.title = title
        self.command = command
        self.scope = scope
        self.enabled = enabled
        self.reason = reason
    }
}
