#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// The startup view (L7): the customer's XDG autostart entries (the system's folders under
/// `$XDG_CONFIG_DIRS`, the user's `~/.config/autostart` overriding them by name) and the systemd
/// services enabled to start. An autostart entry is turned off or on as the desktops do it: by
/// `Hidden` in a user-level copy, the system's file left untouched.
struct StartupReader: Sendable {
    var systemFolders: [String]
    var userFolder: String
    /// `$XDG_CURRENT_DESKTOP`'s names, for `OnlyShowIn` / `NotShowIn`.
    var desktops: [String]

    /// The folders and desktop of the session the applet runs in.
    static func forThisSession() -> StartupReader {
        func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        let configDirs = (environment("XDG_CONFIG_DIRS") ?? "/etc/xdg").split(separator: ":").map { "\($0)/autostart" }
        let home = environment("HOME") ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) } ?? "/"
        let configHome = environment("XDG_CONFIG_HOME") ?? "\(home)/.config"
        return StartupReader(systemFolders: configDirs, userFolder: "\(configHome)/autostart",
                             desktops: (environment("XDG_CURRENT_DESKTOP") ?? "").split(separator: ":").map(String.init))
    }

    func list() async -> SystemInfoReply {
        let autostart = autostartEntries()
        let services = await SystemdServices.enabledAtStartup()
        return .startup(autostart + services)
    }

    /// Every autostart entry by name, the user's copy winning over the system's.
    func autostartEntries() -> [StartupEntry] {
        var names = Set(SystemInfoReader.names(in: userFolder).filter(DesktopEntry.isAutostartName))
        for folder in systemFolders { names.formUnion(SystemInfoReader.names(in: folder).filter(DesktopEntry.isAutostartName)) }
        return names.sorted().compactMap { name in
            let user = LocalText.read("\(userFolder)/\(name)", limit: 1 << 16)
            guard let text = user ?? systemText(name) else { return nil }
            return entry(name, text: text, scope: user == nil ? .system : .user)
        }
    }

    private func systemText(_ name: String) -> String? {
        systemFolders.lazy.compactMap { LocalText.read("\($0)/\(name)", limit: 1 << 16) }.first
    }

    private func entry(_ name: String, text: String, scope: ServiceScope) -> StartupEntry {
        let parsed = DesktopEntry(text)
        let reason = parsed.reasonNotStarted(desktops: desktops)
        return StartupEntry(kind: .autostart, name: name, title: parsed.values["Name"] ?? name, command: parsed.values["Exec"] ?? "",
                            scope: scope, enabled: reason == nil, reason: reason)
    }

    /// Turns an autostart entry on or off for the customer: `Hidden` in their own copy.
    func setAutostart(_ name: String, enabled: Bool) -> SystemActionResult {
        let userPath = "\(userFolder)/\(name)"
        guard let base = LocalText.read(userPath, limit: 1 << 16) ?? systemText(name) else {
            return .failed(code: "no_such_entry", message: "There is no autostart entry \(name).")
        }
        let changed = DesktopEntry.settingHidden(!enabled, in: base)
        if enabled, let reason = DesktopEntry(changed).reasonNotStarted(desktops: desktops) {
            return .failed(code: "not_for_this_desktop", message: "It does not start on this desktop whatever is set (\(reason)).")
        }
        if let failure = Self.write(changed, to: userPath, folder: userFolder) { return failure }
        return .startupChanged(entry(name, text: changed, scope: .user))
    }

    /// Written beside, then renamed over: the desktop never reads half a file.
    static func write(_ text: String, to path: String, folder: String) -> SystemActionResult? {
        var prefix = ""
        for part in folder.split(separator: "/") {
            prefix += "/\(part)"
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                return .failed(code: "io_error", message: "\(prefix) cannot be made: \(String(cString: strerror(errno)))")
            }
        }
        let temporary = "\(path).lifeline-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .failed(code: "io_error", message: "\(path) cannot be written: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return .failed(code: "io_error", message: "\(path) cannot be written: \(reason)")
        }
        return nil
    }
}

extension SystemdServices {
    /// The services enabled to start (unit files in state `enabled`), the machine's and the
    /// customer's own, as startup entries.
    static func enabledAtStartup() async -> [StartupEntry] {
        await PosixThread.offThread {
            var entries: [StartupEntry] = []
            for scope in scopes {
                do throws(SystemdBus.Failure) {
                    let bus = try SystemdBus(user: scope == .user)
                    for unit in try units(on: bus, scope: scope) where unit.enablement == "enabled" {
                        entries.append(StartupEntry(kind: .service, name: unit.name, title: unit.description, command: unit.name,
                                                    scope: scope, enabled: true))
                    }
                } catch {
                    continue // no manager there: nothing of it starts
                }
            }
            return entries
        }
    }

    /// A service turned on or off at startup, as a startup entry after the change.
    func setStartup(_ name: String, scope: ServiceScope, enabled: Bool) async -> SystemActionResult {
        switch await perform(enabled ? .enable : .disable, on: name, scope: scope) {
        case .serviceChanged(let unit, _, _):
            .startupChanged(StartupEntry(kind: .service, name: name, title: unit.description, command: name, scope: scope,
                                         enabled: unit.enablement == "enabled"))
        case let other: other
        }
    }
}
