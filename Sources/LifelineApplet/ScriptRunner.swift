import CLinuxCalls
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore

/// The small process between the applet and a script (N2): `lifeline-applet --script-runner
/// [--directory D] [--as-user UID:GID] -- interpreter script arguments…`. It starts the script in a
/// process group of its own, is the "subreaper" of everything the script starts (a daemon that
/// forks away comes back to it, not to init), and when the script ends — or the applet asks with
/// SIGTERM — ends whatever is left: SIGTERM, then SIGKILL after the grace time. It writes how the
/// script ended on descriptor 3 (`exit=0`, `signal=9`, `leftover=2`, `error=…`, one per line) and
/// exits only once no process of the script remains. The script inherits its standard output and
/// error (the applet's pipes); no shell is involved anywhere.
public enum ScriptRunner {
    public static let flag = "--script-runner"
    static let statusDescriptor: Int32 = 3

    public static func main(_ arguments: [String]) -> Int32 {
        var rest = arguments[...]
        var directory: String?
        var account: (uid: uid_t, gid: gid_t)?
        while let option = rest.first, option != "--" {
            rest = rest.dropFirst()
            switch option {
            case "--directory": directory = rest.popFirst()
            case "--as-user":
                let ids = (rest.popFirst() ?? "").split(separator: ":").compactMap { UInt32($0) }
                guard ids.count == 2 else { return report(["error=--as-user takes UID:GID"]) }
                account = (ids[0], ids[1])
            default: return report(["error=unknown option \(option)"])
            }
        }
        let command = Array(rest.dropFirst())
        guard let program = command.first else { return report(["error=no command"]) }
        _ = fcntl(statusDescriptor, F_SETFD, FD_CLOEXEC)
        _ = lifeline_signal_when_parent_dies(SIGTERM)
        // The applet died before the line above: nobody would read the output.
        guard getppid() != 1 else { return report(["error=the applet is gone"]) }
        _ = lifeline_become_subreaper()
        var watched = sigset_t()
        sigemptyset(&watched)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&watched, signal) }
        sigprocmask(SIG_BLOCK, &watched, nil)
        if let directory, chdir(directory) != 0 { return report(["error=cannot enter \(directory): \(lastError())"]) }
        if let account {
            // Root (the elevated applet) running a script as the customer: groups, then group, then user.
            guard setgroups(0, nil) == 0, setgid(account.gid) == 0, setuid(account.uid) == 0 else {
                return report(["error=cannot run as user \(account.uid): \(lastError())"])
            }
        }
        let child: pid_t
        switch spawn(program, command) {
        case .success(let pid): child = pid
        case .failure(let message): return report(["error=\(message)"])
        }
        return report(supervise(child, watched: &watched))
    }

    private enum Spawned {
        case success(pid_t)
        case failure(String)
    }

    /// The script in a new process group, with every signal back to its default and none blocked.
    private static func spawn(_ program: String, _ command: [String]) -> Spawned {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, program, nil, &attributes, argv, environ)
        guard result == 0 else { return .failure("\(program) could not be started: \(String(cString: strerror(result)))") }
        return .success(pid)
    }

    /// Waits for the script, ends what it leaves behind, and says how it went.
    private static func supervise(_ child: pid_t, watched: inout sigset_t) -> [String] {
        var status: Int32?
        var stopping = false
        var killAt = Double.infinity
        var leftover: Int?
        while true {
            status = reapChildren(child) ?? status
            let remaining = descendants()
            if status != nil {
                if leftover == nil {
                    leftover = remaining.count
                    if !remaining.isEmpty && !stopping {
                        stopping = true
                        killAt = ScriptProcess.now() + ScriptRules.graceSeconds
                        signal(remaining, group: child, SIGTERM)
                    }
                }
                if remaining.isEmpty { break }
            }
            if ScriptProcess.now() >= killAt { signal(remaining, group: child, SIGKILL) }
            var information = siginfo_t()
            var timeout = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            let received = sigtimedwait(&watched, &information, &timeout)
            if [SIGTERM, SIGINT, SIGHUP].contains(received), !stopping {
                stopping = true
                killAt = ScriptProcess.now() + ScriptRules.graceSeconds
                signal(descendants(), group: child, SIGTERM)
            }
        }
        guard let status else { return ["error=the script was not waited for"] }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let ending = status & 0x7f == 0 ? "exit=\((status >> 8) & 0xff)" : "signal=\(status & 0x7f)"
        return [ending, "leftover=\(leftover ?? 0)"]
    }

    /// Reaps every ended child (orphans come here too); returns the script's wait status once it ended.
    private static func reapChildren(_ child: pid_t) -> Int32? {
        var scriptStatus: Int32?
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return scriptStatus }
            if pid == child { scriptStatus = status }
        }
    }

    private static func signal(_ pids: [pid_t], group: pid_t, _ signal: Int32) {
        _ = kill(-group, signal)
        for pid in pids { _ = kill(pid, signal) }
    }

    /// Every live process below this one, read from /proc (zombies are left to `reapChildren`).
    static func descendants(of root: pid_t = getpid()) -> [pid_t] {
        guard let folder = opendir("/proc") else { return [] }
        defer { closedir(folder) }
        var children: [pid_t: [pid_t]] = [:]
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name), let text = LocalText.read("/proc/\(pid)/stat", limit: 4096),
                  let stat = ProcReadings.processStat(text), stat.state != "Z" else { continue }
            children[stat.parent, default: []].append(pid)
        }
        var found: [pid_t] = []
        var next = children[root] ?? []
        while let pid = next.popLast() {
            found.append(pid)
            next += children[pid] ?? []
        }
        return found
    }

    private static func report(_ lines: [String]) -> Int32 {
        _ = StandardStreams.writeWhole(lines.map { $0.replacing("\n", with: " ") + "\n" }.joined(), to: statusDescriptor)
        return lines.first?.hasPrefix("error=") == true ? 127 : 0
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
