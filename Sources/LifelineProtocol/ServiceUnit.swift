#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A systemd service (L3), as systemd's D-Bus API reports it: loaded units with their state, and
/// installed unit files that are not loaded (disabled services).
public struct ServiceUnit: Codable, Equatable, Sendable {
    /// `ssh.service`.
    public var name: String
    /// `system` (the machine's manager) or `user` (the customer's own manager).
    public var scope: ServiceScope
    public var description: String
    /// `loaded`, `not-found`, `masked` …; `unloaded` for a unit file systemd has not loaded.
    public var loadState: String
    /// `active`, `inactive`, `failed`, `activating`, `deactivating`, `reloading`.
    public var activeState: String
    /// `running`, `exited`, `dead`, `failed` …
    public var subState: String
    /// The unit file's state: `enabled`, `disabled`, `static`, `masked`, `generated` …; nil when
    /// it has no unit file (a transient unit).
    public var enablement: String?

    public init(name: String, scope: ServiceScope, description: String, loadState: String, activeState: String, subState: String,
                enablement: String?) {
        self.name = name
        self.scope = scope
        self.description = description
        self.loadState = loadState
        self.activeState = activeState
        self.subState = subState
        self.enablement = enablement
    }

    /// A name systemd could hold for a service: `name.service`, no path, no template left open.
    public static func isServiceName(_ name: String) -> Bool {
        guard name.hasSuffix(".service"), name.utf8.count <= 255, !name.hasPrefix("."), !name.contains("@.") else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ":-_.\\@".unicodeScalars.contains(scalar)
        }
    }
}

public enum ServiceScope: String, Codable, Sendable {
    case system
    case user
}

/// What the technician may do to a service (L3).
public enum ServiceOperation: String, Codable, CaseIterable, Sendable {
    case start, stop, restart, enable, disable
}
