#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Paths and files on the customer's machine, with POSIX calls and plain string rules where
/// Foundation's NSString and FileManager attributes would link all of Foundation into the applet.
public enum LocalPaths {
    /// "/home/ann/report.pdf" → "report.pdf" (trailing slashes ignored).
    static func lastComponent(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.last.map(String.init) ?? (path.hasPrefix("/") ? "/" : "")
    }

    /// "/home/ann/report.pdf" → "/home/ann"; "report.pdf" → "."; "/report.pdf" → "/".
    static func parent(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { return path.hasPrefix("/") ? "/" : "." }
        parts.removeLast()
        if path.hasPrefix("/") { return "/" + parts.joined(separator: "/") }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// "report.final.pdf" → ("report.final", "pdf"); a leading dot is not an extension.
    static func splitExtension(_ name: String) -> (base: String, extension: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// "~" and "~/…" in the customer's home folder.
    static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return home() + path.dropFirst()
    }

    /// The customer who started this elevated applet through sudo (`SUDO_UID`), as the password
    /// database has them; nil when the applet is not root or was not started through sudo.
    static func sudoCustomer(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (name: String, uid: uid_t, gid: gid_t, home: String)? {
        guard geteuid() == 0, let uid = environment["SUDO_UID"].flatMap({ uid_t($0) }), let account = getpwuid(uid) else { return nil }
        return (String(cString: account.pointee.pw_name), uid, account.pointee.pw_gid, String(cString: account.pointee.pw_dir))
    }

    /// This running program's file, to copy it into place or delete it.
    public static func runningBinary() -> String {
        ApplicationsReader.link("/proc/self/exe") ?? CommandLine.arguments[0]
    }

    /// $HOME as the session sets it, like every desktop program; the password database otherwise.
    static func home() -> String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir { return String(cString: directory) }
        return "/"
    }

    /// The signed-in user's name as the session says it ($USER), else the account's.
    static func userName() -> String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        return accountName()
    }

    /// The name of the account this process runs as, from the password database (not the environment).
    static func accountName() -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "" }
        return String(cString: name)
    }

    /// Whether `path` is a folder this user may write into.
    static func isWritableFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR && access(path, W_OK) == 0
    }

    /// The size of a regular file (symbolic links followed); nil for anything else.
    static func regularFileSize(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(status.st_size)
    }
}
