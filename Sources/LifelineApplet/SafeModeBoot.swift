#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// A restart into safe mode with networking (M2), the Linux way and without touching the boot
/// loader: a systemd generator, present only for this, sees a one-shot flag and makes the next
/// boot's default target `multi-user.target` (networking, no graphical session) with the applet
/// started as a system service; that service removes the flag and the generator first, so the boot
/// after is the usual one. Root only. `root` is "/" on the machine, a folder in tests.
public struct SafeModeBoot: Sendable {
    public var root: String

    public init(root: String = "") { self.root = root.hasSuffix("/") ? String(root.dropLast()) : root }

    static let flagPath = "/etc/lifeline/safe-mode.flag"
    static let generatorPath = "/etc/systemd/system-generators/lifeline-safe-mode"
    static let servicePath = "/etc/systemd/system/lifeline-safe-mode-resume.service"
    static let appletPath = "/var/lib/lifeline/lifeline-applet"
    static let ticketPath = "/var/lib/lifeline/after-restart.json"

    /// The resume entry for a safe-mode boot: the root-owned applet copy and ticket file.
    public var resume: RestartResume {
        RestartResume(home: "/root", configDirectory: root + "/etc/lifeline", dataDirectory: root + "/var/lib", owner: nil)
    }

    /// Writes the generator, the service and the flag; on failure nothing is left.
    public func arm(_ saved: RestartResume.Saved, runningBinary: String) throws {
        do {
            try resume.writeTicket(saved, runningBinary: runningBinary)
            try SystemFiles.makeFolders(root + "/etc/systemd/system-generators", mode: 0o755)
            try SystemFiles.makeFolders(root + "/etc/systemd/system", mode: 0o755)
            try SystemFiles.makeFolders(root + "/etc/lifeline", mode: 0o700)
            try SystemFiles.write(Self.serviceText, to: root + Self.servicePath, mode: 0o644)
            try SystemFiles.write(Self.generatorText, to: root + Self.generatorPath, mode: 0o755)
            try SystemFiles.write("Written by Lifeline: the next boot is in safe mode with networking.\n", to: root + Self.flagPath, mode: 0o600)
        } catch {
            disarm()
            throw error
        }
    }

    /// Removes everything `arm` wrote (a restart the system refused).
    public func disarm() {
        for path in [Self.flagPath, Self.generatorPath, Self.servicePath, Self.ticketPath] { unlink(root + path) }
    }

    /// A POSIX shell generator (generators run before /var may be mounted, so not the applet):
    /// without the flag it does nothing; with it, the default target and the applet's service go
    /// into the early folder, which overrides every other.
    static let generatorText = """
        #!/bin/sh
        # Written by Lifeline for one safe-mode restart the customer allowed (M2). Removed by
        # lifeline-safe-mode-resume.service when that boot starts it.
        flag="${LIFELINE_SAFE_MODE_FLAG:-\(flagPath)}"
        [ -f "$flag" ] || exit 0
        early="${2:-/run/systemd/generator.early}"
        mkdir -p "$early/multi-user.target.wants"
        ln -sf /lib/systemd/system/multi-user.target "$early/default.target"
        ln -sf \(servicePath) "$early/multi-user.target.wants/lifeline-safe-mode-resume.service"

        """

    static let serviceText = """
        [Unit]
        Description=Lifeline: reconnect the support session after a safe-mode restart
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type=simple
        ExecStartPre=/bin/rm -f \(flagPath) \(generatorPath)
        ExecStart=\(appletPath) --after-restart \(ticketPath) --non-interactive

        """
}
