#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol
import Synchronization

/// What a package database said, kept while its files stay as they were: the applications view is
/// asked again and again (Refresh), and dpkg's and rpm's databases change only when packages do —
/// then their files' times and sizes change too, and the next view reads them again.
final class RememberedPackages: Sendable {
    private struct Entry {
        var stamp: [Int64]
        var rows: [InstalledApplication]
    }

    private let entries = Mutex<[String: Entry]>([:])
    static let shared = RememberedPackages()

    /// `read()`'s rows, or the ones it gave last time for `key` when the `files` and the files of
    /// the `folders` are as they were then. Nothing is kept when one of them is missing.
    func rows(for key: String, files: [String], folders: [String] = [], read: () -> [InstalledApplication]) -> [InstalledApplication] {
        // Stamped before reading, so a change made during the read is seen by the next one.
        let stamp = Self.stamp(files: files, folders: folders)
        if let stamp, let entry = entries.withLock({ $0[key] }), entry.stamp == stamp { return entry.rows }
        let rows = read()
        // Two views read at once both store what they read from the same files: nothing is lost.
        if let stamp { entries.withLock { $0[key] = Entry(stamp: stamp, rows: rows) } }
        return rows
    }

    /// Each file's inode, size and modification time; a folder's own and each of its files' (but
    /// a SQLite database's `-shm`).
    static func stamp(files: [String], folders: [String]) -> [Int64]? {
        var found: [Int64] = []
        for path in files + folders {
            guard let one = fileStamp(path) else { return nil }
            found += one
        }
        for folder in folders {
            // SQLite's shared-memory index is written by readers too (rpm's own query): not a change.
            for name in SystemInfoReader.names(in: folder) where !name.hasSuffix("-shm") {
                guard let one = fileStamp("\(folder)/\(name)") else { return nil }
                found += one
            }
        }
        return found
    }

    private static func fileStamp(_ path: String) -> [Int64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [Int64(status.st_ino), Int64(status.st_size), Int64(status.st_mtim.tv_sec), Int64(status.st_mtim.tv_nsec)]
    }
}
