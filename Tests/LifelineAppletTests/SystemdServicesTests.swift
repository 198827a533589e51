import Testing
import LifelineProtocol
@testable import LifelineApplet

/// The services list from systemd's two answers (loaded units, installed unit files): services
/// only, each once, with its unit file's state; installed ones not loaded shown as such; templates
/// left out. (The D-Bus path itself is driven against a real bus in e2e `test_system_services.py`.)
@Suite("The services list (L3)")
struct SystemdServicesTests {
    @Test("loaded services with their file's state, then installed ones not loaded; no devices, no templates")
    func merged() {
        let loaded = [
            SystemdServices.LoadedUnit(name: "ssh.service", description: "OpenBSD Secure Shell server", loadState: "loaded",
                                       activeState: "active", subState: "running"),
            .init(name: "getty@tty1.service", description: "Getty on tty1", loadState: "loaded", activeState: "active", subState: "running"),
            .init(name: "run-user-1000.mount", description: "/run/user/1000", loadState: "loaded", activeState: "active", subState: "mounted"),
            .init(name: "gone.service", description: "gone.service", loadState: "not-found", activeState: "inactive", subState: "dead"),
        ]
        let files: [(path: String, state: String)] = [
            ("/lib/systemd/system/ssh.service", "enabled"), ("/etc/systemd/system/ssh.service", "masked"),
            ("/lib/systemd/system/getty@.service", "enabled"), ("/lib/systemd/system/cups.service", "disabled"),
            ("/lib/systemd/system/timers.target", "static"),
        ]
        let units = SystemdServices.merged(loaded: loaded, files: files, scope: .system)
        #expect(units.map(\.name) == ["cups.service", "getty@tty1.service", "gone.service", "ssh.service"])
        #expect(units.last == ServiceUnit(name: "ssh.service", scope: .system, description: "OpenBSD Secure Shell server", loadState: "loaded",
                                          activeState: "active", subState: "running", enablement: "enabled"))
        #expect(units.first == ServiceUnit(name: "cups.service", scope: .system, description: "", loadState: "not-loaded",
                                           activeState: "inactive", subState: "dead", enablement: "disabled"))
        #expect(units[1].enablement == nil && units[2].enablement == nil)
    }

    @Test("systemd's errors as the console's codes")
    func codes() {
        let table: [(String, String)] = [
            ("", "no_systemd"), ("org.freedesktop.DBus.Error.ServiceUnknown", "no_systemd"),
            ("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "not_permitted"),
            ("org.freedesktop.DBus.Error.AccessDenied", "not_permitted"), ("org.freedesktop.systemd1.NoSuchUnit", "no_such_unit"),
            ("org.freedesktop.systemd1.UnitMasked", "systemd_error"),
        ]
        for (name, code) in table {
            #expect(SystemdServices.code(SystemdBus.Failure(name: name, description: "x")) == code, "\(name)")
        }
    }
}
