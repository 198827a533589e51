#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A program a test runs (date, dpkg-query, python3 …), started with posix_spawn. Foundation's
/// `Process.run()` on this toolchain reads past a directory entry while it lists /proc/self/fd
/// (swift-corelibs-foundation #5472, fixed after 6.x's release here) and now and then crashed the
/// whole test run, which has many descriptors open.
public enum TestProgram {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `path` with `arguments` (no shell), `input` on its standard input, and returns its exit
    /// status and standard output (with its standard error when `withErrors`; else discarded).
    /// `environment`: the whole environment it gets; nil inherits this process's.
    public static func run(_ path: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil,
                           withErrors: Bool = false) throws -> (status: Int32, output: [UInt8]) {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw Failure(description: "pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        if withErrors { posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2) } else { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        for end in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, end) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environ = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            environ?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = environ.map { posix_spawn(&pid, path, &actions, nil, argv, $0) } ?? posix_spawn(&pid, path, &actions, nil, argv, Glibc.environ)
        close(toChild[0])
        close(fromChild[1])
        guard started == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw Failure(description: "\(path): \(String(cString: strerror(started)))")
        }
        // The input written beside the reading: a program that answers as it reads fills its pipe.
        // One that stops reading early makes the write fail (EPIPE), not kill the tests.
        signal(SIGPIPE, SIG_IGN)
        let written = DispatchSemaphore(value: 0)
        let writer = Thread { [input, descriptor = toChild[1]] in
            defer { written.signal() }
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let wrote = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if wrote < 0, errno == EINTR { continue }
                    guard wrote > 0 else { break }
                    offset += wrote
                }
            }
            close(descriptor)
        }
        writer.start()
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = buffer.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            output += buffer[..<got]
        }
        close(fromChild[0])
        written.wait()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // Exited: its code; killed by a signal: 128 and the signal, as a shell says.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
