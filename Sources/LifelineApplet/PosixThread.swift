#if canImport(Glibc)
import Glibc
#endif

/// Threads and standard streams from the C library: Foundation's Thread and FileHandle would link
/// all of Foundation, ICU's data included, into the applet customers download (issue 16).
public enum PosixThread {
    /// Runs `body` on a thread of its own, for work that blocks (reading standard input, GTK's
    /// main loop); false when no thread could be made.
    @discardableResult
    public static func start(_ body: @escaping () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, run, box) == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    /// Blocking work (file I/O, sd-bus calls) awaited without holding one of the few threads of
    /// Swift's cooperative pool; on the caller's thread when no thread could be made.
    public static func offThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            if !start({ continuation.resume(returning: work()) }) {
                continuation.resume(returning: work())
            }
        }
    }

    private final class Body {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    private static let run: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { data in
        guard let data else { return nil }
        Unmanaged<Body>.fromOpaque(data).takeRetainedValue().work()
        return nil
    }
}

/// The terminal's output and error streams, written straight to their descriptors (unbuffered,
/// as FileHandle did: nothing is left behind on exit, and lines keep their order).
public enum StandardStreams {
    public static func output(_ text: String) { writeWhole(text, to: 1) }

    public static func error(_ text: String) { writeWhole(text, to: 2) }

    /// Writes all of `text` to `descriptor` (a short write goes on, an interrupted one again);
    /// false when the other end stopped reading.
    @discardableResult
    static func writeWhole(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
