#if canImport(Glibc)
import Glibc
#endif

/// A small text file of this machine read whole (`/proc` and `/sys` files report a size of 0,
/// so they are read until the end rather than by their size).
enum LocalText {
    static func read(_ path: String, limit: Int = 16 << 20) -> String? {
        bytes(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A file's bytes, at most `limit`; nil when it cannot be opened.
    static func bytes(_ path: String, limit: Int = 16 << 20) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        let size = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        // A file's bytes read straight into the array (a megabyte status file is not copied twice);
        // one byte more than its size, to see it grew. A file of /proc says 0 and is read in pieces.
        var bytes = [UInt8](unsafeUninitializedCapacity: size > 0 ? min(limit, size + 1) : 0) { room, count in
            count = 0
            while count < room.count {
                let read = Glibc.read(descriptor, room.baseAddress! + count, room.count - count)
                if read < 0, errno == EINTR { continue }
                guard read > 0 else { break }
                count += read
            }
        }
        if size > 0, bytes.count < min(limit, size + 1) { return bytes } // the whole file
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<min(count, limit - bytes.count)]
        }
        return bytes
    }

    /// The last `bytes` of a file (a log), from its first whole line on.
    static func tail(_ path: String, bytes: Int) -> String? {
        window(path, endingAt: nil, bytes: bytes).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// At most `bytes` of a file ending at `end` (its end when nil), from the first whole line on,
    /// with the offset in the file where they start.
    static func window(_ path: String, endingAt end: Int?, bytes: Int) -> (bytes: ArraySlice<UInt8>, start: Int)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let size = Int(lseek(descriptor, 0, SEEK_END))
        guard size >= 0 else { return nil }
        let stop = min(size, max(0, end ?? size))
        let start = max(0, stop - bytes)
        var buffer = [UInt8](repeating: 0, count: stop - start)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(start)) }
        guard count >= 0 else { return nil }
        var kept = buffer[0..<count]
        // A window starting inside a line (not at the file's start, not just after a line end) drops that part.
        if start > 0, let newline = kept.firstIndex(of: 10) { kept = kept[(newline + 1)...] }
        return (kept, start + (count - kept.count))
    }
}
