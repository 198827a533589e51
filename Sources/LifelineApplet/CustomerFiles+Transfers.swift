#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import CLinuxCalls
import Crypto
import LifelineCore
import LifelineProtocol

/// The disk side of copies to and from the customer's computer (K3): files opened for reading
/// without following a link; arriving files written under a part name beside their place, kept
/// for a resume, then put in place with their mode and time by one rename, per the conflict rule.
extension CustomerFiles {
    struct OpenedFile {
        let descriptor: Int32
        let size: Int64
        let mode: UInt32
        let modified: Double
    }

    /// A regular file, for reading; a link, a folder or a device is refused.
    func openForReading(_ path: FileManagerPath) throws(FileManagerFailure) -> OpenedFile {
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        let descriptor = Self.withCName(name) { openat(folder, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        guard descriptor >= 0 else { throw FileManagerFailure(errno: errno, doing: "Reading \(FileManagerPath.displayName(name))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw FileManagerFailure(code: "not_a_file", message: "\(FileManagerPath.displayName(name)) is not a plain file.")
        }
        // Opened without blocking (a FIFO would otherwise hang the open); reads block again.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return OpenedFile(descriptor: descriptor, size: Int64(status.st_size), mode: UInt32(status.st_mode & 0o7777),
                          modified: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1_000_000_000)
    }

    /// Where an arriving file is written until it is whole.
    struct PartFile {
        let folder: Int32
        let name: [UInt8]
        let partName: [UInt8]
        let descriptor: Int32
        /// Bytes already there from an earlier, interrupted copy (0 when not resuming).
        let existing: Int64
    }

    /// The part name of `name`: fixed length, so any name fits in NAME_MAX, and the same for the
    /// same name, so a later copy finds what an interrupted one left.
    static func partName(for name: [UInt8]) -> [UInt8] {
        Array(".lifeline-part-".utf8) + Array(SHA256.hash(data: name).prefix(8).hexString.utf8)
    }

    /// Opens (or, to resume, reopens) the part file beside `path`; the caller writes from `existing`.
    func openPart(_ path: FileManagerPath, resume: Bool) throws(FileManagerFailure) -> PartFile {
        let (folder, name) = try openEntryParent(path)
        let partName = Self.partName(for: name)
        let flags = O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (resume ? 0 : O_TRUNC)
        let descriptor = Self.withCName(partName) { openat(folder, $0, flags, 0o600) }
        guard descriptor >= 0 else {
            let error = errno
            close(folder)
            throw FileManagerFailure(errno: error, doing: "Writing \(FileManagerPath.displayName(name))")
        }
        var status = stat()
        let existing = fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
        return PartFile(folder: folder, name: name, partName: partName, descriptor: descriptor, existing: existing)
    }

    /// The whole file arrived: its mode and time are set and it is made durable (unless `sealed`:
    /// the caller did both, syncing many files at once), then one rename puts it in place, as the
    /// conflict rule says. Returns the name it took, or nil when it was skipped (the part removed).
    func finish(_ part: PartFile, mode: UInt32, modified: Double, conflict: FileConflict, sealed: Bool = false) throws(FileManagerFailure) -> [UInt8]? {
        defer {
            close(part.descriptor)
            close(part.folder)
        }
        do throws(FileManagerFailure) {
            if !sealed { try seal(part, mode: mode, modified: modified, sync: true) }
            return try placePart(part, mode: mode, modified: modified, conflict: conflict)
        } catch {
            // A whole file that cannot be put in place is not worth resuming.
            Self.withCName(part.partName) { _ = unlinkat(part.folder, $0, 0) }
            throw error
        }
    }

    /// The part's mode and time set, and with `sync` its bytes made durable.
    func seal(_ part: PartFile, mode: UInt32, modified: Double, sync: Bool) throws(FileManagerFailure) {
        _ = fchmod(part.descriptor, mode_t(mode & 0o7777))
        let seconds = modified.rounded(.down)
        let times = [timespec(tv_sec: Int(seconds), tv_nsec: Int((modified - seconds) * 1_000_000_000)),
                     timespec(tv_sec: Int(seconds), tv_nsec: Int((modified - seconds) * 1_000_000_000))]
        guard futimens(part.descriptor, times) == 0, !sync || fsync(part.descriptor) == 0 else {
            throw FileManagerFailure(errno: errno, doing: "Finishing \(FileManagerPath.displayName(part.name))")
        }
    }

    /// Everything written to the file systems these parts are on made durable: one `syncfs` per file
    /// system instead of one `fsync` per file (each a journal commit).
    static func syncFileSystems(of parts: [PartFile]) throws(FileManagerFailure) {
        var synced: Set<UInt64> = []
        for part in parts {
            var status = stat()
            guard fstat(part.descriptor, &status) == 0 else { throw FileManagerFailure(errno: errno, doing: "Finishing the copy") }
            guard synced.insert(UInt64(status.st_dev)).inserted else { continue }
            guard lifeline_syncfs(part.descriptor) == 0 else { throw FileManagerFailure(errno: errno, doing: "Finishing the copy") }
        }
    }

    private func placePart(_ part: PartFile, mode: UInt32, modified: Double, conflict: FileConflict) throws(FileManagerFailure) -> [UInt8]? {
        let shown = FileManagerPath.displayName(part.name)
        var existing = stat()
        let taken = Self.withCName(part.name) { fstatat(part.folder, $0, &existing, AT_SYMLINK_NOFOLLOW) } == 0
        let existingModified = Double(existing.st_mtim.tv_sec) + Double(existing.st_mtim.tv_nsec) / 1_000_000_000
        switch conflict {
        case .ask where taken:
            // The name was free when the copy started; something took it since.
            throw FileManagerFailure(code: "exists", message: "\(shown) appeared on the customer's computer during the copy.")
        case .skip where taken, .keepNewer where taken && existingModified >= modified:
            Self.withCName(part.partName) { _ = unlinkat(part.folder, $0, 0) }
            return nil
        case .rename where taken:
            for copy in 2...9_999 {
                let candidate = Self.numbered(part.name, copy)
                let result = Self.withCName(part.partName) { old in Self.withCName(candidate) { new in
                    lifeline_renameat_noreplace(part.folder, old, part.folder, new)
                } }
                if result == 0 { return candidate }
                guard errno == EEXIST else { throw FileManagerFailure(errno: errno, doing: "Saving \(shown)") }
            }
            throw FileManagerFailure(code: "exists", message: "\(shown): too many copies of that name already.")
        default:
            // Nothing there, or replace what is: one atomic rename either way (never onto a folder).
            if taken, existing.st_mode & S_IFMT == S_IFDIR {
                throw FileManagerFailure(code: "exists", message: "\(shown): a folder of that name is there.")
            }
            let result = Self.withCName(part.partName) { old in Self.withCName(part.name) { new in renameat(part.folder, old, part.folder, new) } }
            guard result == 0 else { throw FileManagerFailure(errno: errno, doing: "Saving \(shown)") }
            return part.name
        }
    }

    enum PreparedWrite {
        /// The name is taken and the technician is to be asked (conflict `ask`).
        case taken(FileManagerEntry)
        /// The name is taken and the rule says leave it (skip, or keep the newer one that is there).
        case notWanted
        /// The part file, positioned where the bytes start, and the hash of what it already holds.
        case ready(PartFile, prefix: CopyDigest)
    }

    /// Before any byte moves: the conflict rule against what is there, then the part file, cut
    /// to `from` (the bytes the technician's side matched) with those bytes hashed.
    func prepareWrite(_ path: FileManagerPath, copy: IncomingCopy) throws(FileManagerFailure) -> PreparedWrite {
        if let answer = try conflictAnswer(path, conflict: copy.conflict, modified: copy.modified) { return answer }
        let name = path.names.last ?? []
        let part = try openPart(path, resume: copy.from > 0)
        guard part.existing >= copy.from else {
            discard(part, keepForResume: false)
            throw FileManagerFailure(code: "part_changed", message: "What an earlier copy left is no longer there; copy again from the start.")
        }
        var prefix = CopyDigest()
        do throws(FileManagerFailure) {
            try Self.hash(part.descriptor, upTo: copy.from, into: &prefix)
        } catch {
            discard(part, keepForResume: false)
            throw error
        }
        guard ftruncate(part.descriptor, off_t(copy.from)) == 0, lseek(part.descriptor, off_t(copy.from), SEEK_SET) == off_t(copy.from) else {
            let failure = FileManagerFailure(errno: errno, doing: "Writing \(FileManagerPath.displayName(name))")
            discard(part, keepForResume: false)
            throw failure
        }
        return .ready(part, prefix: prefix)
    }

    /// The conflict rule against what is at `path`: nil when the bytes are wanted (the name is
    /// free, or what is there is to be replaced or kept beside), else the answer without them.
    func conflictAnswer(_ path: FileManagerPath, conflict: FileConflict, modified: Double) throws(FileManagerFailure) -> PreparedWrite? {
        let (folder, name) = try openEntryParent(path)
        var owners: [uid_t: String] = [:]
        let existing = Self.entry(named: name, in: folder, owners: &owners)
        close(folder)
        guard let existing else { return nil }
        if existing.kind == .folder, conflict != .rename {
            throw FileManagerFailure(code: "exists", message: "\(FileManagerPath.displayName(name)): a folder of that name is there.")
        }
        switch conflict {
        case .ask: return .taken(existing)
        case .skip: return .notWanted
        case .keepNewer where existing.modified >= modified: return .notWanted
        case .keepNewer, .overwrite, .rename: return nil
        }
    }

    /// What an interrupted copy to `path` left: its size and digests (0 and the empty hashes when nothing).
    func partial(_ path: FileManagerPath) throws(FileManagerFailure) -> (size: Int64, digest: CopyDigest) {
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        let descriptor = Self.withCName(Self.partName(for: name)) { openat(folder, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        var digest = CopyDigest()
        guard descriptor >= 0 else { return (0, digest) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return (0, digest) }
        try Self.hash(descriptor, upTo: Int64(status.st_size), into: &digest)
        return (Int64(status.st_size), digest)
    }

    /// A plain file's size and digests, read without following a link.
    func hash(_ path: FileManagerPath) throws(FileManagerFailure) -> (size: Int64, digest: CopyDigest) {
        let opened = try openForReading(path)
        defer { close(opened.descriptor) }
        var digest = CopyDigest()
        try Self.hash(opened.descriptor, upTo: opened.size, into: &digest)
        return (opened.size, digest)
    }

    /// The part an interrupted copy to `path` left, removed (nothing there is no error).
    func discardPart(_ path: FileManagerPath) throws(FileManagerFailure) {
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        Self.withCName(Self.partName(for: name)) { _ = unlinkat(folder, $0, 0) }
    }

    /// The first `count` bytes of an open file into `digest`, read from its start.
    static func hash(_ descriptor: Int32, upTo count: Int64, into digest: inout some IncrementalHash) throws(FileManagerFailure) {
        // Sized to what is read: every new file of a bundle comes here with nothing to read, and
        // zeroing a megabyte each time was a tenth of the applet's work on a tree of small files.
        guard count > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: Int(min(count, 1 << 20)))
        var offset: Int64 = 0
        while offset < count {
            let wanted = Int(min(Int64(buffer.count), count - offset))
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw FileManagerFailure(code: "part_changed", message: "What an earlier copy left could not be read back.") }
            buffer.withUnsafeBytes { digest.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<got])) }
            offset += Int64(got)
        }
    }

    /// A copy given up: the part file goes, unless it is kept for a resume.
    func discard(_ part: PartFile, keepForResume: Bool) {
        close(part.descriptor)
        if !keepForResume { Self.withCName(part.partName) { _ = unlinkat(part.folder, $0, 0) } }
        close(part.folder)
    }

    /// A symbolic link copied as a link (its target as stored, never followed).
    func makeLink(_ path: FileManagerPath, target: [UInt8]) throws(FileManagerFailure) {
        guard !target.isEmpty, !target.contains(0), target.count < Int(PATH_MAX) else {
            throw FileManagerFailure(code: "bad_name", message: "That link's target cannot be used.")
        }
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        let result = Self.withCName(target) { targetName in Self.withCName(name) { symlinkat(targetName, folder, $0) } }
        guard result == 0 else { throw FileManagerFailure(errno: errno, doing: "Making the link \(FileManagerPath.displayName(name))") }
    }

    /// "report.pdf" → "report (2).pdf"; "archive" → "archive (2)"; a leading dot is no extension.
    static func numbered(_ name: [UInt8], _ copy: Int) -> [UInt8] {
        let suffix = Array(" (\(copy))".utf8)
        if let dot = name.lastIndex(of: 0x2E), dot > 0, dot < name.count - 1 {
            return Array(name[..<dot]) + suffix + Array(name[dot...])
        }
        return name + suffix
    }
}
