#if canImport(Glibc)
import Glibc
#endif

/// A program the applet starts (xdg-open, a terminal, sudo): posix_spawn with the arguments as a
/// list, never through a shell, the environment inherited, its output discarded or shared. Foundation's
/// Process would link all of Foundation, ICU's 34 MB of data included, into the applet customers
/// download (issue 16).
struct ChildProcess: Sendable {
    let pid: pid_t
    /// The write end of its standard input when it was asked for; otherwise it reads /dev/null.
    private let input: Int32?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `path`; with `pipedInput` the caller writes its standard input (`send`, `closeInput`);
    /// `sharedOutput` lets it write to the applet's own output (the elevated copy speaks to the customer).
    /// `newSession` detaches it from the applet's terminal and session (the agent outlives the applet).
    static func start(_ path: String, _ arguments: [String], pipedInput: Bool = false, sharedOutput: Bool = false,
                      newSession: Bool = false, outputFile: String? = nil) throws(Failure) -> ChildProcess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26), not exported by Swift's Glibc module.
        if newSession { posix_spawnattr_setflags(&attributes, 0x80) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let outputFile {
            // Its own log, started afresh: the agent's, for whoever looks into a problem.
            posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else if !sharedOutput {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        var ends: [Int32] = [-1, -1]
        if pipedInput {
            guard pipe(&ends) == 0 else { throw Failure(description: "no pipe: \(Self.lastError())") }
            // Neither end leaks into other programs the applet starts.
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            // dup2 onto 0 clears close-on-exec there only: the child keeps its end, nothing else.
            posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        if pipedInput { close(ends[0]) }
        guard result == 0 else {
            if pipedInput { close(ends[1]) }
            throw Failure(description: "\(path) could not be started: \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, input: pipedInput ? ends[1] : nil)
    }

    /// Runs `path` to its end and returns its standard output (at most `limit` bytes; the rest is
    /// read and dropped), nil when it could not start or failed (unless `evenOnFailure`: a tool that
    /// reports what it found and fails for what it did not). Blocking: call it off the pool.
    static func output(of path: String, _ arguments: [String], limit: Int = 32 << 20, evenOnFailure: Bool = false) -> String? {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let started = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(ends[1])
        defer { close(ends[0]) }
        guard started == 0 else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            if bytes.count < limit { bytes += buffer[0..<min(count, limit - bytes.count)] }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return exitCode(status) == 0 || evenOnFailure ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Writes `text` whole to its standard input; false when it cannot (no pipe, or it stopped reading).
    @discardableResult
    func send(_ text: String) -> Bool {
        guard let input else { return false }
        return StandardStreams.writeWhole(text, to: input)
    }

    /// The end of its input (sudo reads one password line, then waits for it).
    func closeInput() {
        if let input { close(input) }
    }

    /// Whether it still runs; reaps it once it has ended.
    func hasEnded() -> Int32? {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        guard reaped == pid else { return reaped < 0 ? -1 : nil }
        return Self.exitCode(status)
    }

    /// Waits for its end without holding a thread (it may run as long as the session) and returns
    /// its exit status; -1 when the waiting task is cancelled first (the child is left running).
    func exitStatus(every interval: Duration = .milliseconds(100)) async -> Int32 {
        while true {
            if let code = hasEnded() { return code }
            do {
                try await Task.sleep(for: interval)
            } catch {
                // Only cancellation ends a sleep early: stop polling rather than spin.
                return hasEnded() ?? -1
            }
        }
    }

    /// Started and left to itself: reaped in the background when it ends, so no zombie stays.
    func reapWhenDone() {
        Task { _ = await exitStatus(every: .milliseconds(500)) }
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
