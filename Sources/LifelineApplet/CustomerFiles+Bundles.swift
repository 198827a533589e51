#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import NIOCore
import Synchronization

/// The disk side of bundles of small files (K3): their bytes travel one file after another in
/// one stream. Files are opened one at a time as the stream reaches them, never all at once (a
/// bundle holds up to 256 and several run together).
extension CustomerFiles {
    /// What a regular file at `path` is, read without following a link and without opening it.
    func statForReading(_ path: FileManagerPath) throws(FileManagerFailure) -> (size: Int64, mode: UInt32, modified: Double) {
        let (folder, name) = try openEntryParent(path)
        defer { close(folder) }
        var status = stat()
        guard Self.withCName(name, { fstatat(folder, $0, &status, AT_SYMLINK_NOFOLLOW) }) == 0 else {
            throw FileManagerFailure(errno: errno, doing: "Reading \(FileManagerPath.displayName(name))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw FileManagerFailure(code: "not_a_file", message: "\(FileManagerPath.displayName(name)) is not a plain file.")
        }
        return (Int64(status.st_size), UInt32(status.st_mode & 0o7777),
                Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1_000_000_000)
    }
}

/// The body of a `read_files`: each announced file's bytes in turn, exactly its announced size.
/// A file that cannot be opened any more, or changed size since it was announced, still fills
/// its place (with zeros) so the files after it stay where they are, and is reported failed.
final class BundleReader: Sendable {
    struct Slot: Sendable {
        let path: FileManagerPath
        let size: Int64
    }

    private struct State {
        var index = 0
        var descriptor: Int32 = -1
        var left: Int64 = 0
        var digest = CopyDigest()
        var problem: FileManagerFailure?
        var results: [FileManagerReply?]
    }

    private let files: CustomerFiles
    private let slots: [Slot]
    private let stop: StopFlag
    private let state: Mutex<State>
    static let chunk = 256 * 1024

    init(files: CustomerFiles, slots: [Slot], stop: StopFlag) {
        self.files = files
        self.slots = slots
        self.stop = stop
        state = Mutex(State(results: Array(repeating: nil, count: slots.count)))
    }

    var totalSize: Int64 { slots.reduce(0) { $0 + $1.size } }

    /// Per slot, `transferred` or `failed`, once the whole stream was read.
    var results: [FileManagerReply] {
        state.withLock { state in
            state.results.map { $0 ?? .failed(code: "interrupted", message: "The copy broke off before this file.") }
        }
    }

    /// The next piece of the stream (several small files share one), or nil at its end.
    func next() -> ByteBuffer? {
        guard !stop.isRaised else { return nil }
        return state.withLock { state -> ByteBuffer? in
            var buffer = ByteBufferAllocator().buffer(capacity: Self.chunk)
            while buffer.readableBytes < Self.chunk, state.index < slots.count {
                if state.descriptor < 0, state.problem == nil, state.left == 0 { open(&state) }
                let wanted = Int(min(Int64(Self.chunk - buffer.readableBytes), state.left))
                if wanted > 0 {
                    let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { space -> Int in
                        var count = 0
                        if state.problem == nil {
                            count = read(state.descriptor, space.baseAddress, wanted)
                            if count <= 0 {
                                state.problem = FileManagerFailure(code: "changed", message: "\(FileManagerPath.displayName(slots[state.index].path.names.last ?? [])) changed while it was being copied.")
                                count = 0
                            }
                        }
                        if count == 0 {
                            // Its place is filled all the same: the files after it keep theirs.
                            count = wanted
                            memset(space.baseAddress!, 0, count)
                        }
                        state.digest.update(bufferPointer: UnsafeRawBufferPointer(rebasing: space[..<count]))
                        return count
                    }
                    state.left -= Int64(got)
                }
                if state.left == 0 { finishSlot(&state) }
            }
            return buffer.readableBytes > 0 ? buffer : nil
        }
    }

    private func open(_ state: inout State) {
        let slot = slots[state.index]
        state.left = slot.size
        state.digest = CopyDigest()
        do throws(FileManagerFailure) {
            let opened = try files.openForReading(slot.path)
            state.descriptor = opened.descriptor
            if opened.size != slot.size {
                state.problem = FileManagerFailure(code: "changed", message: "\(FileManagerPath.displayName(slot.path.names.last ?? [])) changed while it was being copied.")
            }
        } catch {
            state.problem = error
        }
    }

    private func finishSlot(_ state: inout State) {
        if state.descriptor >= 0 { close(state.descriptor) }
        state.descriptor = -1
        if let problem = state.problem {
            state.results[state.index] = .failed(code: problem.code, message: problem.message)
        } else {
            let (sha256, blocks) = state.digest.finalize()
            state.results[state.index] = .transferred(size: slots[state.index].size, sha256: sha256, blocks: blocks)
        }
        state.problem = nil
        state.index += 1
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }
}
