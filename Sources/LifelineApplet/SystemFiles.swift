#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Files the applet leaves for a later boot (a restart's way back, safe mode, a one-boot sign-in):
/// folders made as needed, files written beside and renamed into place, never through a link, and
/// handed to the customer's account when root writes for them.
enum SystemFiles {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    typealias Owner = (uid: uid_t, gid: gid_t)

    /// Makes each missing folder of `path` with `mode`; the ones made below `ownedBelow` go to `owner`.
    static func makeFolders(_ path: String, mode: mode_t, owner: Owner? = nil, ownedBelow: String = "/") throws {
        var built = ""
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, mode) == 0 {
                try hand(built, mode: mode, to: built.hasPrefix(ownedBelow) ? owner : nil)
            } else if errno != EEXIST {
                throw Failure("\(built): \(String(cString: strerror(errno)))")
            }
        }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { throw Failure("\(path) is not a folder") }
    }

    static func write(_ text: String, to path: String, mode: mode_t, owner: Owner? = nil) throws {
        try write(Data(text.utf8), to: path, mode: mode, owner: owner)
    }

    static func write(_ data: Data, to path: String, mode: mode_t, owner: Owner? = nil) throws {
        let staged = path + ".lifeline-new"
        unlink(staged)
        let descriptor = open(staged, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure("\(staged) cannot be written: \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        do {
            guard written == data.count else { throw Failure("\(staged) could not be written whole") }
            try hand(staged, mode: mode, to: owner)
            guard rename(staged, path) == 0 else { throw Failure("\(path) cannot be written: \(String(cString: strerror(errno)))") }
        } catch {
            unlink(staged)
            throw error
        }
    }

    static func contents(of path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure("\(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        return data
    }

    /// A copy of the running applet at `path` (rename(2) replaces a copy that may be running).
    static func copyApplet(from source: String, to path: String, owner: Owner? = nil) throws {
        let staged = path + ".lifeline-new"
        unlink(staged)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: staged)
            try hand(staged, mode: 0o755, to: owner)
            guard rename(staged, path) == 0 else { throw Failure("The applet could not be copied to \(path).") }
        } catch {
            unlink(staged)
            throw error
        }
    }

    private static func hand(_ path: String, mode: mode_t, to owner: Owner?) throws {
        guard chmod(path, mode) == 0 else { throw Failure("\(path): \(String(cString: strerror(errno)))") }
        if let owner, chown(path, owner.uid, owner.gid) != 0 { throw Failure("\(path): \(String(cString: strerror(errno)))") }
    }
}
