import Foundation
import Testing
import LifelineCore
@testable import LifelineApplet

/// The safe-mode restart (M2) on a fixture root: the generator, run as systemd runs it, makes the
/// next boot multi-user with the applet's service only while the flag is there; the service is
/// valid (systemd-analyze) and removes the flag and the generator; disarming leaves nothing.
@Suite("Safe-mode restart on disk")
struct SafeModeBootTests {
    @Test("armed: the generator turns the flag into multi-user.target and the applet's service; without the flag, nothing")
    func generator() throws {
        let root = NSTemporaryDirectory() + "lifeline-safe-mode-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/rm", toPath: root + "/bin/rm")
        let binary = root + "-applet"
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: binary)
        let boot = SafeModeBoot(root: root)
        try boot.arm(.init(gateway: "https://support.example.com", ticket: "t", proxy: nil, remoteConsent: "accept"), runningBinary: binary)
        #expect(FileManager.default.isExecutableFile(atPath: root + "/var/lib/lifeline/lifeline-applet"))
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/lifeline/after-restart.json"))

        func generate() throws -> String {
            let out = NSTemporaryDirectory() + "lifeline-generated-\(UUID().uuidString)"
            for folder in ["normal", "early", "late"] { try FileManager.default.createDirectory(atPath: out + "/" + folder, withIntermediateDirectories: true) }
            let result = try OneBootAutoLoginTests.run(["LIFELINE_SAFE_MODE_FLAG=\(root)/etc/lifeline/safe-mode.flag", "sh",
                                                        root + "/etc/systemd/system-generators/lifeline-safe-mode", out + "/normal", out + "/early", out + "/late"])
            #expect(result.status == 0, "\(result.output)")
            return out + "/early"
        }
        let early = try generate()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: early + "/default.target") == "/lib/systemd/system/multi-user.target")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: early + "/multi-user.target.wants/lifeline-safe-mode-resume.service")
                == "/etc/systemd/system/lifeline-safe-mode-resume.service")
        let verified = try OneBootAutoLoginTests.run(["systemd-analyze", "verify", "--root=\(root)", "--recursive-errors=no",
                                                      "/etc/systemd/system/lifeline-safe-mode-resume.service"])
        #expect(verified.status == 0, "\(verified.output)")
        let service = try String(contentsOfFile: root + "/etc/systemd/system/lifeline-safe-mode-resume.service", encoding: .utf8)
        #expect(service.contains("ExecStartPre=/bin/rm -f /etc/lifeline/safe-mode.flag /etc/systemd/system-generators/lifeline-safe-mode\n"))

        // The boot after: no flag, so the generator adds nothing.
        unlink(root + "/etc/lifeline/safe-mode.flag")
        #expect(try FileManager.default.contentsOfDirectory(atPath: try generate()).isEmpty)

        boot.disarm()
        for gone in ["etc/systemd/system-generators/lifeline-safe-mode", "etc/systemd/system/lifeline-safe-mode-resume.service",
                     "var/lib/lifeline/after-restart.json"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + gone), "\(gone)")
        }
    }
}
