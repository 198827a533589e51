import Crypto
import Foundation
import Testing
import LifelineCore
@testable import LifelineApplet

/// Where the unattended agent lives (F5), on fixture roots: its settings owner-only and read back
/// the same, the system service valid for systemd, the autostart entry quoting its paths; removal
/// leaves none of it.
@Suite("The unattended agent's installation on disk")
struct AgentInstallationTests {
    static func state() -> AgentState {
        AgentState(gateway: "https://support.example.com", deviceId: UUID().uuidString.lowercased(),
                   privateKey: Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString(),
                   gatewayKey: Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString(),
                   rules: UnattendedRules(credentials: .atEachConnection, period: .days(7), dailyStart: 540, dailyEnd: 1_020,
                                          timeZone: "Europe/Paris", clock: .customer),
                   approvedAt: Date(timeIntervalSince1970: 1_774_602_000), technician: "Ann", proxy: nil)
    }

    static func fixtureBinary() throws -> String {
        let binary = NSTemporaryDirectory() + "lifeline-agent-binary-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: binary)
        return binary
    }

    @Test("the system service: settings 0600 and read back the same, the applet's copy, a unit systemd-analyze accepts; removed, nothing left")
    func systemService() throws {
        let root = NSTemporaryDirectory() + "lifeline-agent-root-\(UUID().uuidString)"
        let installation = AgentInstallation.system(root: root)
        let state = Self.state()
        try installation.install(state, runningBinary: try Self.fixtureBinary())
        var status = stat()
        #expect(stat(root + "/var/lib/lifeline/agent.json", &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(try AgentState.load(from: root + "/var/lib/lifeline/agent.json") == state)
        #expect(FileManager.default.isExecutableFile(atPath: root + "/var/lib/lifeline/lifeline-applet"))
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/lifeline-agent.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=\"/var/lib/lifeline/lifeline-applet\" \"--agent\" \"/var/lib/lifeline/agent.json\"\n"), "\(unit)")
        #expect(unit.contains("WantedBy=multi-user.target"))
        let verified = try OneBootAutoLoginTests.run(["systemd-analyze", "verify", "--root=\(root)", "--recursive-errors=no",
                                                      "/etc/systemd/system/lifeline-agent.service"])
        #expect(verified.status == 0, "\(verified.output)")
        installation.removeFiles()
        for gone in ["var/lib/lifeline/agent.json", "etc/systemd/system/lifeline-agent.service"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + gone), "\(gone)")
        }
    }

    @Test("in the customer's account: an autostart entry whose Exec quotes paths with spaces and quotes")
    func userEntry() throws {
        let home = NSTemporaryDirectory() + "lifeline agent \"home\" \(UUID().uuidString)"
        let entry = home + "/.config/autostart/lifeline-agent.desktop"
        let installation = AgentInstallation(scope: .user(autostartEntry: entry), folder: home + "/.local/share/lifeline")
        try installation.install(Self.state(), runningBinary: try Self.fixtureBinary())
        let text = try String(contentsOfFile: entry, encoding: .utf8)
        let quotedHome = home.replacingOccurrences(of: "\"", with: "\\\"")
        #expect(text.contains("Exec=\"\(quotedHome)/.local/share/lifeline/lifeline-applet\" \"--agent\" \"\(quotedHome)/.local/share/lifeline/agent.json\"\n"), "\(text)")
        installation.removeFiles()
        #expect(!FileManager.default.fileExists(atPath: entry))
    }
}
