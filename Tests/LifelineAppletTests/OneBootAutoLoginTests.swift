import Foundation
import Testing
import LifelineCore
@testable import LifelineApplet
import LifelineTestSupport

/// The one-boot automatic sign-in (M4) written into a fixture root: GDM's file changed and kept,
/// LightDM's drop-in, the restore units (checked by systemd-analyze), everything put back after;
/// an unknown display manager changes nothing.
@Suite("One-boot automatic sign-in on disk")
struct OneBootAutoLoginTests {
    static let gdmFile = "# GDM configuration storage\n[daemon]\n#WaylandEnable=false\n\n[security]\n"

    func fixtureRoot(_ files: [String: String]) throws -> (root: String, binary: String) {
        let root = NSTemporaryDirectory() + "lifeline-autologin-\(UUID().uuidString)"
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root + "/etc/systemd/system", withIntermediateDirectories: true)
        let binary = root + "-applet"
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: binary)
        return (root, binary)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let (status, output) = try TestProgram.run("/usr/bin/env", arguments, withErrors: true)
        return (status, String(decoding: output, as: UTF8.self))
    }

    @Test("GDM: the customer signed in by itself, the original kept once, the units valid and enabled; restored whole")
    func gdm() throws {
        let (root, binary) = try fixtureRoot(["etc/X11/default-display-manager": "/usr/sbin/gdm3\n", "etc/gdm3/daemon.conf": Self.gdmFile])
        let setter = OneBootAutoLogin(root: root)
        #expect(try setter.enable(user: "ann", uid: 1000, runningBinary: binary) == .gdm)
        // A second restart before the sign-in keeps the true original.
        _ = try setter.enable(user: "ann", uid: 1000, runningBinary: binary)
        let changed = try String(contentsOfFile: root + "/etc/gdm3/daemon.conf", encoding: .utf8)
        #expect(changed.hasPrefix("# GDM configuration storage\n[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=ann\n"), "\(changed)")
        #expect(try String(contentsOfFile: root + "/var/lib/lifeline/autologin/daemon.conf.orig", encoding: .utf8) == Self.gdmFile)
        let path = try String(contentsOfFile: root + "/etc/systemd/system/lifeline-autologin-restore.path", encoding: .utf8)
        #expect(path.contains("PathExists=/run/user/1000\n"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/systemd/system/multi-user.target.wants/lifeline-autologin-restore.path")
                == "../lifeline-autologin-restore.path")
        let verified = try Self.run(["systemd-analyze", "verify", "--root=\(root)", "--recursive-errors=no",
                                     "/etc/systemd/system/lifeline-autologin-restore.path", "/etc/systemd/system/lifeline-autologin-restore.service"])
        #expect(verified.status == 0, "\(verified.output)")

        setter.restore()
        #expect(try String(contentsOfFile: root + "/etc/gdm3/daemon.conf", encoding: .utf8) == Self.gdmFile)
        for gone in ["etc/systemd/system/lifeline-autologin-restore.path", "etc/systemd/system/lifeline-autologin-restore.service",
                     "etc/systemd/system/multi-user.target.wants/lifeline-autologin-restore.path", "var/lib/lifeline/autologin"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + gone), "\(gone)")
        }
    }

    @Test("LightDM: a drop-in, removed again; an unknown sign-in screen or account name changes nothing")
    func lightdmAndUnknown() throws {
        let (root, binary) = try fixtureRoot([:])
        try FileManager.default.createSymbolicLink(atPath: root + "/etc/systemd/system/display-manager.service",
                                                   withDestinationPath: "/lib/systemd/system/lightdm.service")
        let setter = OneBootAutoLogin(root: root)
        #expect(try setter.enable(user: "ann", uid: 1000, runningBinary: binary) == .lightdm)
        let dropIn = root + "/etc/lightdm/lightdm.conf.d/90-lifeline-autologin.conf"
        #expect(try String(contentsOfFile: dropIn, encoding: .utf8).contains("autologin-user=ann\n"))
        setter.restore()
        #expect(!FileManager.default.fileExists(atPath: dropIn))

        #expect(throws: OneBootAutoLogin.Failure.self) { try setter.enable(user: "ann;reboot", uid: 1000, runningBinary: binary) }
        let (bare, bareBinary) = try fixtureRoot(["etc/X11/default-display-manager": "/usr/bin/sddm\n"])
        #expect(throws: OneBootAutoLogin.Failure.self) { try OneBootAutoLogin(root: bare).enable(user: "ann", uid: 1000, runningBinary: bareBinary) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: bare + "/etc/systemd/system").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: bare + "/var/lib/lifeline"))
    }
}
