#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// What brings the applet back after the machine restarts (M1–M3), in the customer's own account
/// (the elevated applet writes it for the user who started it): the applet copied under
/// ~/.local/share/lifeline, the gateway and the single-use ticket in a file only that user may
/// read, and a one-shot XDG autostart entry that starts it with the customer's desktop session. The
/// started applet removes the entry and the file before it uses the ticket, so it runs once.
public struct RestartResume: Sendable {
    public struct Saved: Codable, Equatable, Sendable {
        public var gateway: String
        public var ticket: String
        /// The proxy the applet went through (G3), if any.
        public var proxy: ProxySettings?
        public var remoteConsent: String
    }

    let home: String
    let configDirectory: String
    let dataDirectory: String
    /// The customer's account when the elevated applet writes for them (files handed to it).
    let owner: (uid: uid_t, gid: gid_t)?

    public var binary: String { dataDirectory + "/lifeline/lifeline-applet" }
    public var ticketFile: String { dataDirectory + "/lifeline/after-restart.json" }
    public var autostartEntry: String { configDirectory + "/autostart/lifeline-after-restart.desktop" }

    /// The account whose desktop session brings the applet back: the user who started the elevated
    /// applet (`SUDO_UID`), or this applet's own.
    public static func forThisCustomer(environment: [String: String] = ProcessInfo.processInfo.environment) -> RestartResume {
        if geteuid() == 0, let uid = environment["SUDO_UID"].flatMap({ uid_t($0) }), let account = getpwuid(uid) {
            let home = String(cString: account.pointee.pw_dir)
            return RestartResume(home: home, configDirectory: home + "/.config", dataDirectory: home + "/.local/share",
                                 owner: (uid, account.pointee.pw_gid))
        }
        let home = environment["HOME"] ?? LocalPaths.home()
        return RestartResume(home: home, configDirectory: environment["XDG_CONFIG_HOME"] ?? home + "/.config",
                             dataDirectory: environment["XDG_DATA_HOME"] ?? home + "/.local/share", owner: nil)
    }

    /// Writes all three; on failure nothing is left behind.
    public func write(_ saved: Saved, runningBinary: String) throws {
        do {
            try writeTicket(saved, runningBinary: runningBinary)
            try makeFolder(configDirectory + "/autostart")
            try writeFile(autostartEntry, Data(entry().utf8), mode: 0o644)
        } catch {
            remove()
            throw error
        }
    }

    /// The applet's copy and the ticket file (a safe-mode boot starts them from a system service).
    func writeTicket(_ saved: Saved, runningBinary: String) throws {
        do {
            try makeFolder(dataDirectory + "/lifeline")
            if URL(fileURLWithPath: runningBinary).standardizedFileURL.path != binary {
                let staged = binary + ".new"
                unlink(staged)
                try FileManager.default.copyItem(atPath: runningBinary, toPath: staged)
                try hand(staged, mode: 0o755)
                // rename(2) replaces a copy that may be running.
                guard rename(staged, binary) == 0 else { throw Failure("the applet could not be copied to \(binary)") }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try writeFile(ticketFile, try encoder.encode(saved), mode: 0o600)
        } catch {
            unlink(ticketFile)
            throw error
        }
    }

    /// The entry and the ticket go; the copied applet stays for the next time.
    public func remove() {
        unlink(autostartEntry)
        unlink(ticketFile)
    }

    /// Reads the saved ticket and removes it and the entry first: whatever happens next, the
    /// applet is not started again by the next login.
    public static func take(from file: String, entry: String?) throws -> Saved {
        let data = FileManager.default.contents(atPath: file)
        if let entry, entry.hasSuffix("/lifeline-after-restart.desktop") { unlink(entry) }
        unlink(file)
        guard let data else { throw Failure("\(file) cannot be read: the restart's ticket is gone.") }
        return try JSONDecoder().decode(Saved.self, from: data)
    }

    func entry() -> String {
        [
            "[Desktop Entry]", "Type=Application", "Name=Lifeline support (after restart)",
            "Comment=Reconnects the support session once, after the restart the technician asked for",
            "Exec=\(Self.quoted(binary)) --after-restart \(Self.quoted(ticketFile)) --autostart-entry \(Self.quoted(autostartEntry))",
            "Terminal=false", "X-GNOME-Autostart-enabled=true", "NoDisplay=true",
        ].joined(separator: "\n") + "\n"
    }

    /// An argument of a desktop entry's Exec line: in double quotes, with `"`, `` ` ``, `$` and `\` escaped.
    static func quoted(_ argument: String) -> String {
        var quoted = "\""
        for character in argument {
            if "\"`$\\".contains(character) { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private func makeFolder(_ path: String) throws {
        var built = ""
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o700) == 0, built.hasPrefix(home + "/") { try hand(built, mode: 0o700) }
        }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { throw Failure("\(path) cannot be made") }
    }

    private func writeFile(_ path: String, _ data: Data, mode: mode_t) throws {
        let staged = path + ".new"
        unlink(staged)
        let descriptor = open(staged, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure("\(staged) cannot be written: \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == data.count else { unlink(staged); throw Failure("\(staged) could not be written whole") }
        try hand(staged, mode: mode)
        guard rename(staged, path) == 0 else { unlink(staged); throw Failure("\(path) cannot be written") }
    }

    /// Its mode, and the customer's ownership when root writes for them.
    private func hand(_ path: String, mode: mode_t) throws {
        guard chmod(path, mode) == 0 else { throw Failure("\(path): \(String(cString: strerror(errno)))") }
        if let owner, chown(path, owner.uid, owner.gid) != 0 { throw Failure("\(path): \(String(cString: strerror(errno)))") }
    }
}
