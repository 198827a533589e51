#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import CLinuxCalls
import LifelineCore
import LifelineProtocol

/// Why an operation on the customer's files failed, in words for the technician.
struct FileManagerFailure: Error, Equatable {
    let code: String
    let message: String

    static let badPath = FileManagerFailure(code: "bad_path", message: "That path cannot be used.")
    /// The customer closed the file manager (or the session moved on) while this ran.
    static let stopped = FileManagerFailure(code: "stopped", message: "Stopped: the file manager closed while this ran.")

    /// From errno, naming what was being done.
    init(errno number: Int32, doing what: String) {
        switch number {
        case ENOENT: self.init(code: "not_found", message: "\(what): it is no longer there.")
        case EACCES, EPERM: self.init(code: "permission_denied", message: "\(what): the customer's account may not do that.")
        case ENOTDIR: self.init(code: "not_a_folder", message: "\(what): a name on the way is not a folder.")
        case ELOOP: self.init(code: "symlink_refused", message: "\(what): a name on the way is a symbolic link, which is not followed.")
        case EEXIST: self.init(code: "exists", message: "\(what): something of that name is already there.")
        case ENOTEMPTY: self.init(code: "not_empty", message: "\(what): the folder is not empty.")
        case ENOSPC, EDQUOT: self.init(code: "no_space", message: "\(what): the customer's disk is full.")
        case EROFS: self.init(code: "read_only", message: "\(what): that volume is read-only.")
        case EXDEV: self.init(code: "other_volume", message: "\(what): that would cross to another volume.")
        default: self.init(code: "io_error", message: "\(what): \(String(cString: strerror(number))).")
        }
    }

    init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// The customer's side of the file manager (K1–K5). Every path arrives as a root id and names;
/// the walk from the root opens one name at a time with `openat(…, O_NOFOLLOW)`, so a `..`, a
/// symbolic link or a folder swapped for a link between listing and acting cannot lead out of
/// the root: the call fails instead. Entries are read with `fstatat(AT_SYMLINK_NOFOLLOW)`.
struct CustomerFiles: Sendable {
    /// The roots and the folders they stand for, fixed when the file manager opens.
    let roots: [FileManagerRoot]
    let rootFolders: [String: String]

    /// Entries per reply: a 100,000-entry folder arrives in pages the console shows as they come.
    static let pageSize = 500

    init(home: String = LocalPaths.home(), mountInfo: String? = Self.readMountInfo()) {
        var roots = [FileManagerRoot(id: "home", label: "Home (\(LocalPaths.accountName()))"),
                     FileManagerRoot(id: "system", label: "/ (the whole system)")]
        var folders = ["home": home, "system": "/"]
        for volume in MountTable.volumes(fromMountInfo: mountInfo ?? "") where volume.mountPoint != home {
            let id = "mount:" + volume.mountPoint
            roots.append(FileManagerRoot(id: id, label: volume.mountPoint))
            folders[id] = volume.mountPoint
        }
        self.roots = roots
        self.rootFolders = folders
    }

    static func readMountInfo() -> String? { LocalText.read("/proc/self/mountinfo") }

    var rootIds: Set<String> { Set(rootFolders.keys) }

    // MARK: Walking

    /// The folder at `path`, open for *at calls; the caller closes it.
    func openFolder(_ path: FileManagerPath) throws(FileManagerFailure) -> Int32 {
        try openFolder(root: path.root, names: path.names[...])
    }

    private func openFolder(root: String, names: ArraySlice<[UInt8]>) throws(FileManagerFailure) -> Int32 {
        guard let folder = rootFolders[root] else { throw .badPath }
        var descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileManagerFailure(errno: errno, doing: "Opening \(folder)") }
        for name in names {
            let next = Self.withCName(name) { openat(descriptor, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            var error = errno
            // Linux answers ENOTDIR for a link opened with O_DIRECTORY | O_NOFOLLOW: say it is a link.
            if next < 0, error == ENOTDIR, Self.isLink(name, in: descriptor) { error = ELOOP }
            close(descriptor)
            guard next >= 0 else { throw FileManagerFailure(errno: error, doing: "Opening \(FileManagerPath.displayName(name))") }
            descriptor = next
        }
        return descriptor
    }

    /// The folder holding the last name, open, and that name; the root itself is refused.
    func openEntryParent(_ path: FileManagerPath) throws(FileManagerFailure) -> (folder: Int32, name: [UInt8]) {
        guard let name = path.names.last else { throw FileManagerFailure(code: "bad_path", message: "A root cannot be changed.") }
        return (try openFolder(root: path.root, names: path.names.dropLast()), name)
    }

    static func isLink(_ name: [UInt8], in folder: Int32) -> Bool {
        var status = stat()
        return withCName(name) { fstatat(folder, $0, &status, AT_SYMLINK_NOFOLLOW) } == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    static func withCName<Result>(_ name: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result {
        (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
        }
    }

    // MARK: Listing

    /// The folder's entries in pages of `pageSize`, the last page with `done`.
    func list(_ path: FileManagerPath, hidden: Bool, shouldStop: () -> Bool = { false },
              page: ([FileManagerEntry], Bool) -> Void) throws(FileManagerFailure) {
        let folder = try openFolder(path)
        let listed = dup(folder)
        close(folder)
        guard listed >= 0, let directory = fdopendir(listed) else {
            let error = errno
            if listed >= 0 { close(listed) }
            throw FileManagerFailure(errno: error, doing: "Reading the folder")
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var owners: [uid_t: String] = [:]
        var entries: [FileManagerEntry] = []
        while let record = readdir(directory) {
            let name = Self.name(of: record)
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            if !hidden, name.first == 0x2E { continue }
            if entries.isEmpty, shouldStop() { throw .stopped }
            guard let entry = Self.entry(named: name, in: descriptor, owners: &owners) else { continue }
            entries.append(entry)
            if entries.count == Self.pageSize {
                page(entries, false)
                entries.removeAll(keepingCapacity: true)
            }
        }
        page(entries, true)
    }

    static func name(of record: UnsafeMutablePointer<dirent>) -> [UInt8] {
        withUnsafePointer(to: &record.pointee.d_name) { tuple in
            tuple.withMemoryRebound(to: UInt8.self, capacity: 256) { bytes in
                Array(UnsafeBufferPointer(start: bytes, count: strlen(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self))))
            }
        }
    }

    /// One entry as lstat sees it; nil when it vanished meanwhile.
    static func entry(named name: [UInt8], in folder: Int32, owners: inout [uid_t: String]) -> FileManagerEntry? {
        var status = stat()
        guard withCName(name, { fstatat(folder, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 else { return nil }
        let kind: FileManagerEntry.Kind = switch status.st_mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .folder
        case S_IFLNK: .symlink
        default: .other
        }
        var target: WireFileName?
        if kind == .symlink {
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
            let length = withCName(name) { cName in
                buffer.withUnsafeMutableBufferPointer { readlinkat(folder, cName, UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) }
            }
            if length >= 0 { target = WireFileName(Array(buffer[0..<length])) }
        }
        let owner = owners[status.st_uid] ?? {
            let found = accountName(of: status.st_uid)
            owners[status.st_uid] = found
            return found
        }()
        let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1_000_000_000
        return FileManagerEntry(name: WireFileName(name), kind: kind, size: Int64(status.st_size), mode: UInt32(status.st_mode & 0o7777),
                                owner: owner, modified: modified, target: target)
    }

    static func accountName(of uid: uid_t) -> String {
        var record = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4_096)
        guard getpwuid_r(uid, &record, &buffer, buffer.count, &found) == 0, found != nil, let name = record.pw_name else { return String(uid) }
        return String(cString: name)
    }

    // MARK: Changes

    func makeFolder(_ path: FileManagerPath) throws(FileManagerFailure) {
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        guard Self.withCName(name, { mkdirat(folder, $0, 0o777) }) == 0 else {
            throw FileManagerFailure(errno: errno, doing: "Making \(FileManagerPath.displayName(name))")
        }
    }

    /// A new name in the same folder; an existing entry of that name is never replaced.
    func rename(_ path: FileManagerPath, to newName: [UInt8]) throws(FileManagerFailure) {
        do { try FileManagerPath.check(newName) } catch { throw FileManagerFailure(code: "bad_name", message: FileManagerPath.describe(error)) }
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        let result = Self.withCName(name) { old in Self.withCName(newName) { new in lifeline_renameat_noreplace(folder, old, folder, new) } }
        guard result == 0 else { throw FileManagerFailure(errno: errno, doing: "Renaming \(FileManagerPath.displayName(name))") }
    }

    typealias Removed = FileManagerReply.Removed

    /// A file or link, or a folder with all it holds; links are removed, never followed.
    /// `shouldStop` is asked before each entry: the customer's red X stops a long delete between
    /// two files, and the answer says what was removed until then.
    func delete(_ path: FileManagerPath, shouldStop: () -> Bool = { false }) throws(FileManagerFailure) -> Removed {
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        var removed = Removed()
        do {
            try Self.remove(name, in: folder, removed: &removed, shouldStop: shouldStop)
        } catch where error == .stopped {
            throw FileManagerFailure(code: "stopped", message: "Stopped after removing \(removed.files) files and \(removed.folders) folders: the file manager closed.")
        }
        return removed
    }

    static func remove(_ name: [UInt8], in folder: Int32, removed: inout Removed, shouldStop: () -> Bool) throws(FileManagerFailure) {
        if shouldStop() { throw .stopped }
        var status = stat()
        guard withCName(name, { fstatat(folder, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 else {
            throw FileManagerFailure(errno: errno, doing: "Deleting \(FileManagerPath.displayName(name))")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            let inner = withCName(name) { openat(folder, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard inner >= 0, let directory = fdopendir(inner) else {
                let error = errno
                throw FileManagerFailure(errno: error, doing: "Deleting \(FileManagerPath.displayName(name))")
            }
            var children: [[UInt8]] = []
            while let record = readdir(directory) {
                let child = Self.name(of: record)
                if child != [0x2E], child != [0x2E, 0x2E] { children.append(child) }
            }
            var failure: FileManagerFailure?
            for child in children {
                do { try remove(child, in: dirfd(directory), removed: &removed, shouldStop: shouldStop) } catch { failure = error; break }
            }
            closedir(directory)
            if let failure { throw failure }
            guard withCName(name, { unlinkat(folder, $0, AT_REMOVEDIR) }) == 0 else {
                throw FileManagerFailure(errno: errno, doing: "Deleting \(FileManagerPath.displayName(name))")
            }
            removed.folders += 1
        } else {
            guard withCName(name, { unlinkat(folder, $0, 0) }) == 0 else {
                throw FileManagerFailure(errno: errno, doing: "Deleting \(FileManagerPath.displayName(name))")
            }
            removed.files += 1
            removed.bytes += Int64(status.st_size)
        }
    }
}
