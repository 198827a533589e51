import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineApplet

/// Startup programs (L7) from fixture autostart folders: the user's copy overriding the system's,
/// OnlyShowIn and Hidden honoured; turning one off writes a user-level copy with Hidden=true and
/// leaves the system's file alone; turning it on again; refusals.
@Suite("Startup programs (L7)")
struct StartupReaderTests {
    static func fixture() throws -> (StartupReader, system: String, user: String) {
        let base = NSTemporaryDirectory() + "lifeline-startup-\(UUID().uuidString)"
        let system = base + "/etc/xdg/autostart"
        let user = base + "/home/.config/autostart"
        try FileManager.default.createDirectory(atPath: system, withIntermediateDirectories: true)
        let files: [String: String] = [
            "notes-sync.desktop": "[Desktop Entry]\nType=Application\nName=Notes sync\nExec=/usr/bin/notes-sync --background\n",
            "kde-only.desktop": "[Desktop Entry]\nName=KDE helper\nExec=kdehelper\nOnlyShowIn=KDE;\n",
            "tracker.desktop": "[Desktop Entry]\nName=Tracker\nExec=tracker daemon\nHidden=true\n",
            "README": "not an entry",
        ]
        for (name, text) in files { try text.write(toFile: "\(system)/\(name)", atomically: true, encoding: .utf8) }
        return (StartupReader(systemFolders: [system], userFolder: user, desktops: ["GNOME"]), system, user)
    }

    @Test("entries with why they do not start; turned off and on through a user-level copy; refusals")
    func entries() throws {
        let (reader, system, user) = try Self.fixture()
        let listed = reader.autostartEntries()
        #expect(listed.map(\.name) == ["kde-only.desktop", "notes-sync.desktop", "tracker.desktop"])
        #expect(listed[1] == StartupEntry(kind: .autostart, name: "notes-sync.desktop", title: "Notes sync", command: "/usr/bin/notes-sync --background",
                                          scope: .system, enabled: true))
        #expect(listed[0].reason == "only_show_in" && listed[2].reason == "hidden")

        let off = reader.setAutostart("notes-sync.desktop", enabled: false)
        #expect(off == .startupChanged(StartupEntry(kind: .autostart, name: "notes-sync.desktop", title: "Notes sync",
                                                    command: "/usr/bin/notes-sync --background", scope: .user, enabled: false, reason: "hidden")))
        #expect(try String(contentsOfFile: "\(user)/notes-sync.desktop", encoding: .utf8).hasSuffix("Exec=/usr/bin/notes-sync --background\nHidden=true\n"))
        #expect(!(try String(contentsOfFile: "\(system)/notes-sync.desktop", encoding: .utf8)).contains("Hidden"), "the system's file is left alone")
        #expect(reader.autostartEntries()[1].enabled == false && reader.autostartEntries()[1].scope == .user)

        guard case .startupChanged(let on) = reader.setAutostart("notes-sync.desktop", enabled: true) else { throw TestFailure("not changed") }
        #expect(on.enabled && on.scope == .user)
        // A hidden system entry comes back through the user's copy too.
        guard case .startupChanged(let tracker) = reader.setAutostart("tracker.desktop", enabled: true) else { throw TestFailure("not changed") }
        #expect(tracker.enabled && FileManager.default.fileExists(atPath: "\(user)/tracker.desktop"))

        guard case .failed(let code, _) = reader.setAutostart("kde-only.desktop", enabled: true) else { throw TestFailure("not refused") }
        #expect(code == "not_for_this_desktop" && !FileManager.default.fileExists(atPath: "\(user)/kde-only.desktop"))
        guard case .failed(let missing, _) = reader.setAutostart("nothing.desktop", enabled: false) else { throw TestFailure("not refused") }
        #expect(missing == "no_such_entry")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
