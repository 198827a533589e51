import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineApplet

/// What brings the applet back after a restart (M1–M3): the applet's copy, the ticket in a file only
/// its user reads, a one-shot autostart entry naming both; taken once, leaving nothing to start again.
@Suite("The applet's return after a restart")
struct RestartResumeTests {
    @Test("written for this user: the copy, a 0600 ticket file, an autostart entry that names them; taken once, both gone")
    func writeAndTake() throws {
        let home = NSTemporaryDirectory() + "lifeline-restart-\(UUID().uuidString)/home with space"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let resume = RestartResume.forThisCustomer(environment: ["HOME": home])
        let binary = NSTemporaryDirectory() + "lifeline-fake-applet-\(UUID().uuidString)"
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: binary))
        let saved = RestartResume.Saved(gateway: "https://support.example.com", ticket: "t1ck3t", proxy: ProxySettings(host: "proxy", port: 3128),
                                        remoteConsent: "ask")
        try resume.write(saved, runningBinary: binary)
        #expect(resume.binary == home + "/.local/share/lifeline/lifeline-applet")
        #expect(FileManager.default.contents(atPath: resume.binary) == Data("#!/bin/sh\n".utf8))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: resume.ticketFile)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let entry = try String(contentsOfFile: resume.autostartEntry, encoding: .utf8)
        #expect(entry.contains("Exec=\"\(home)/.local/share/lifeline/lifeline-applet\" --after-restart \"\(home)/.local/share/lifeline/after-restart.json\" --autostart-entry \"\(home)/.config/autostart/lifeline-after-restart.desktop\""), "\(entry)")
        #expect(!entry.contains("t1ck3t"), "the ticket stays out of the entry")

        #expect(try RestartResume.take(from: resume.ticketFile, entry: resume.autostartEntry) == saved)
        #expect(!FileManager.default.fileExists(atPath: resume.ticketFile) && !FileManager.default.fileExists(atPath: resume.autostartEntry))
        #expect(throws: (any Error).self) { try RestartResume.take(from: resume.ticketFile, entry: resume.autostartEntry) }
        #expect(FileManager.default.fileExists(atPath: resume.binary), "the copy stays for the next time")
    }

    @Test("an Exec argument is quoted as the desktop entry specification says", arguments: [
        ("/home/ann/x", #""/home/ann/x""#), (#"/home/a"b"#, #""/home/a\"b""#), ("/home/$USER`id`\\", #""/home/\$USER\`id\`\\""#),
    ])
    func quoting(argument: String, quoted: String) {
        #expect(RestartResume.quoted(argument) == quoted)
    }

    @Test("a restart is held off only by inhibitors that block a shutdown")
    func inhibitors() {
        let list = [RebootInhibitor(what: "shutdown:sleep", who: "Backup", why: "copying", mode: "block"),
                    RebootInhibitor(what: "shutdown", who: "NetworkManager", why: "saving", mode: "delay"),
                    RebootInhibitor(what: "sleep:idle", who: "Player", why: "playing", mode: "block")]
        #expect(RebootInhibitor.blocking(list).map(\.who) == ["Backup"])
    }
}
