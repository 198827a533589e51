#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// Sets the display manager to sign the customer in once after a restart (M4), as root (the elevated
/// applet). The original settings are kept under /var/lib/lifeline/autologin; a systemd path unit
/// waits for the customer's session (/run/user/<uid>) and starts `lifeline-applet
/// --restore-autologin` — a root-owned copy, never the customer's — which puts everything back
/// and removes itself. `root` is "/" on the machine, a folder in tests.
public struct OneBootAutoLogin: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case unknownDisplayManager
        case notPossible(String)

        public var description: String {
            switch self {
            case .unknownDisplayManager:
                "This computer's sign-in screen is not GDM or LightDM: it cannot be set to sign the customer in by itself. Nothing was changed."
            case .notPossible(let why): why
            }
        }
    }

    public var root: String

    public init(root: String = "") { self.root = root.hasSuffix("/") ? String(root.dropLast()) : root }

    var state: String { root + "/var/lib/lifeline/autologin" }
    var appletCopy: String { root + "/var/lib/lifeline/lifeline-applet" }
    var gdmFile: String { root + "/etc/gdm3/daemon.conf" }
    var lightdmDropIn: String { root + "/etc/lightdm/lightdm.conf.d/90-lifeline-autologin.conf" }
    var units: String { root + "/etc/systemd/system" }
    static let pathUnit = "lifeline-autologin-restore.path"
    static let serviceUnit = "lifeline-autologin-restore.service"

    /// This machine's display manager, when it is one that can be set.
    public func displayManager() -> AutoLogin.DisplayManager? {
        AutoLogin.displayManager(defaultFile: LocalText.read(root + "/etc/X11/default-display-manager"),
                                 serviceTarget: ApplicationsReader.link(units + "/display-manager.service"))
    }

    /// Signs `user` in once after the next boot. Nothing is left half-done: on failure all is put back.
    public func enable(user: String, uid: uid_t, runningBinary: String) throws(Failure) -> AutoLogin.DisplayManager {
        guard AutoLogin.isAccountName(user) else { throw .notPossible("\(user) is not an account name a sign-in screen takes.") }
        guard let manager = displayManager() else { throw .unknownDisplayManager }
        do {
            try SystemFiles.makeFolders(state, mode: 0o700)
            try SystemFiles.copyApplet(from: runningBinary, to: appletCopy)
            switch manager {
            case .gdm:
                guard let original = LocalText.read(gdmFile) else { throw Failure.notPossible("\(gdmFile) cannot be read.") }
                // Kept once: a second restart before the first sign-in must not save our own edit as the original.
                if access(state + "/daemon.conf.orig", F_OK) != 0 { try SystemFiles.write(original, to: state + "/daemon.conf.orig", mode: 0o600) }
                try SystemFiles.write(AutoLogin.gdmConfiguration(original, user: user), to: gdmFile, mode: 0o644)
            case .lightdm:
                try SystemFiles.makeFolders(root + "/etc/lightdm/lightdm.conf.d", mode: 0o755)
                try SystemFiles.write(AutoLogin.lightdmDropIn(user: user), to: lightdmDropIn, mode: 0o644)
            }
            try SystemFiles.write(manager.rawValue + "\n", to: state + "/display-manager", mode: 0o600)
            try SystemFiles.write(pathUnitText(uid: uid, user: user), to: units + "/" + Self.pathUnit, mode: 0o644)
            try SystemFiles.write(serviceUnitText(), to: units + "/" + Self.serviceUnit, mode: 0o644)
            try SystemFiles.makeFolders(units + "/multi-user.target.wants", mode: 0o755)
            let link = units + "/multi-user.target.wants/" + Self.pathUnit
            unlink(link)
            guard symlink("../" + Self.pathUnit, link) == 0 else { throw Failure.notPossible("\(link): \(String(cString: strerror(errno)))") }
            return manager
        } catch {
            restore()
            throw error as? Failure ?? .notPossible("\(error)")
        }
    }

    /// Puts the display manager's settings back and removes the units; what is already gone is skipped.
    public func restore() {
        if let original = LocalText.read(state + "/daemon.conf.orig") {
            do { try SystemFiles.write(original, to: gdmFile, mode: 0o644) } catch {
                StandardStreams.error("lifeline-applet: \(gdmFile) could not be put back: \(error)\n")
                return
            }
        }
        for path in [lightdmDropIn, units + "/multi-user.target.wants/" + Self.pathUnit, units + "/" + Self.pathUnit,
                     units + "/" + Self.serviceUnit, state + "/daemon.conf.orig", state + "/display-manager"] {
            unlink(path)
        }
        rmdir(state)
    }

    func pathUnitText(uid: uid_t, user: String) -> String {
        """
        [Unit]
        Description=Lifeline: undo the one-boot automatic sign-in once \(user) is signed in

        [Path]
        PathExists=/run/user/\(uid)
        Unit=\(Self.serviceUnit)

        [Install]
        WantedBy=multi-user.target

        """
    }

    func serviceUnitText() -> String {
        """
        [Unit]
        Description=Lifeline: undo the one-boot automatic sign-in

        [Service]
        Type=oneshot
        ExecStart=\(appletCopy.dropFirst(root.count)) --restore-autologin

        """
    }
}
