#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// The private folder a run lives in (N2): made with mode 0700 in the temporary folder, given to
/// the customer's account when the elevated applet runs the script as them, removed with all it
/// holds when the run ends.
struct ScriptFolder: Sendable {
    let path: String
    /// The customer's account, when root made the folder for them: the files in it are theirs too.
    let owner: (uid: uid_t, gid: gid_t)?

    static func make(owner: (uid: uid_t, gid: gid_t)?) -> ScriptFolder? {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array((base + "/lifeline-script-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) != nil else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if let owner, chown(path, owner.uid, owner.gid) != 0 {
            rmdir(path)
            return nil
        }
        return ScriptFolder(path: path, owner: owner)
    }

    /// Everything the run left in it, then the folder.
    func remove() {
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let parent = open(String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { return }
        defer { close(parent) }
        var removed = CustomerFiles.Removed()
        do throws(FileManagerFailure) {
            try CustomerFiles.remove(Array(path[path.index(after: slash)...].utf8), in: parent, removed: &removed, shouldStop: { false })
        } catch {
            StandardStreams.error("lifeline-applet: the script's folder \(path) was not removed: \(error.message)\n")
        }
    }

    /// The applet's environment, with what the script may use: its folder, its resource file, each
    /// parameter as `LIFELINE_PARAM_<NAME>`; a script run as the customer gets their home and name.
    static func environment(of order: ScriptRunOrder, folder: ScriptFolder, account: (uid: uid_t, gid: gid_t)?) -> [String] {
        var variables: [String: String] = ["LIFELINE_SCRIPT_DIR": folder.path]
        variables["LIFELINE_RESOURCE"] = order.resource.map { folder.path + "/" + $0.name }
        for (parameter, value) in zip(order.parameters, order.arguments) { variables["LIFELINE_PARAM_\(parameter.name.uppercased())"] = value }
        if let account, let user = getpwuid(account.uid) {
            variables["HOME"] = String(cString: user.pointee.pw_dir)
            variables["USER"] = String(cString: user.pointee.pw_name)
            variables["LOGNAME"] = String(cString: user.pointee.pw_name)
        }
        return environment(variables: variables)
    }

    /// The applet's own environment with `extra` set over it, as `NAME=value` strings.
    static func environment(variables extra: [String: String]) -> [String] {
        var variables: [String: String] = [:]
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { variables[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            index += 1
        }
        variables.merge(extra) { _, new in new }
        return variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}

/// The `ScriptRunner` process of one run: its pid, the read ends of the script's output and error,
/// and of the runner's status line.
struct ScriptProcess: Sendable {
    let pid: pid_t
    let output: Int32
    let error: Int32
    let status: Int32

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// How the script ended, as the runner wrote it.
    struct Ending: Sendable {
        var exitCode: Int32?
        var signal: Int32?
        var leftover = 0
        var error: String?
    }

    static func start(directory: String, account: (uid: uid_t, gid: gid_t)?, command: [String], environment: inout [String]) throws(Failure) -> ScriptProcess {
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                for pair in pipes { pair.forEach { close($0) } }
                throw Failure(description: "no pipe: \(String(cString: strerror(errno)))")
            }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            pipes.append(ends)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[0][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 2)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], ScriptRunner.statusDescriptor)
        let executable = "/proc/self/exe"
        var arguments = ["lifeline-applet", ScriptRunner.flag, "--directory", directory]
        if let account { arguments += ["--as-user", "\(account.uid):\(account.gid)"] }
        arguments += ["--"] + command
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        // The runner starts with no signal blocked, whatever this thread blocks.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for pair in pipes { close(pair[1]) }
        guard result == 0 else {
            for pair in pipes { close(pair[0]) }
            throw Failure(description: "the script runner could not be started: \(String(cString: strerror(result)))")
        }
        return ScriptProcess(pid: pid, output: pipes[0][0], error: pipes[1][0], status: pipes[2][0])
    }

    /// Everything it writes (the last 4 KiB of output and error together kept), then how it ended.
    /// Blocking: for a short command (a package manager), not a script.
    func collectAll() -> (output: String, status: Ending) {
        var kept: [UInt8] = []
        var (outputOpen, errorOpen) = (true, true)
        while outputOpen || errorOpen {
            let batch = ScriptOutputPump.read(output: output, error: error, outputOpen: outputOpen, errorOpen: errorOpen, wait: 1)
            kept = Array((kept + batch.output + batch.error).suffix(4_096))
            (outputOpen, errorOpen) = (!batch.outputEnded, !batch.errorEnded)
        }
        // A character cut at the start of what is kept shows as one replacement character.
        return (String(decoding: kept, as: UTF8.self), finish())
    }

    /// Reads the runner's status, waits for it and closes the pipes. Blocking.
    func finish() -> Ending {
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while text.count < 65_536 {
            let count = buffer.withUnsafeMutableBytes { read(status, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            text += buffer[0..<count]
        }
        var waited: Int32 = 0
        while waitpid(pid, &waited, 0) < 0 && errno == EINTR {}
        for descriptor in [output, error, status] { close(descriptor) }
        var ending = Ending()
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "exit": ending.exitCode = Int32(parts[1])
            case "signal": ending.signal = Int32(parts[1])
            case "leftover": ending.leftover = Int(parts[1]) ?? 0
            case "error": ending.error = parts[1]
            default: break
            }
        }
        if ending.exitCode == nil && ending.signal == nil && ending.error == nil { ending.error = "the script runner ended without saying how the script did" }
        return ending
    }

    /// Seconds on the monotonic clock (time limits, output times, the runner's grace).
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
