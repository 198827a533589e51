import Crypto
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

/// Scripts the technician runs on this computer (N2), one at a time: the applet checks the order
/// again (parameters, root only when elevated), downloads the script and its resource file into a
/// private temporary folder and refuses them unless their SHA-256 is the one the gateway announced,
/// tells the customer what runs, and runs it through `ScriptRunner` — no shell, its own process
/// group, a time limit — streaming the output. The technician, the customer (`/stop script`, the
/// window's button, the big X) or the end of the connection stops it.
actor ScriptRuns {
    private let gateway: URL
    private let token: String
    private let proxy: ProxySettings?
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    /// The run going on: its id, the runner once started, and why it is being stopped.
    private var current: (runId: String, runner: pid_t?, stop: ScriptResult.Outcome?)?

    init(gateway: URL, token: String, proxy: ProxySettings?, transcript: Transcript, outgoing: OutgoingMessages) {
        self.gateway = gateway
        self.token = token
        self.proxy = proxy
        self.transcript = transcript
        self.outgoing = outgoing
    }

    func received(_ order: ScriptRunOrder) async {
        guard current == nil else {
            return await finish(order, .refused(.busy, "Another script is running on this computer."))
        }
        current = (order.runId, nil, nil)
        let result = await run(order)
        current = nil
        await finish(order, result)
    }

    func technicianCancelled(_ runId: String) { stop(runId, as: .cancelledByTechnician) }

    func sessionStopped(_ runId: String) { stop(runId, as: .stopped) }

    /// The customer's `/stop script`, the window's button or the big X.
    func customerStopped() {
        guard let runId = current?.runId else { return }
        stop(runId, as: .cancelledByCustomer)
    }

    /// The connection is gone: nobody watches the output any more.
    func connectionLost() {
        guard let runId = current?.runId else { return }
        stop(runId, as: .stopped)
    }

    private func stop(_ runId: String, as outcome: ScriptResult.Outcome) {
        guard current?.runId == runId, current?.stop == nil else { return }
        current?.stop = outcome
        if let runner = current?.runner { _ = kill(runner, SIGTERM) }
    }

    private func finish(_ order: ScriptRunOrder, _ result: ScriptResult) async {
        transcript.scriptFinished(order.name, result: result)
        await outgoing.send(.scriptFinished(.init(sessionId: nil, runId: order.runId, result: result)))
    }

    private func run(_ order: ScriptRunOrder) async -> ScriptResult {
        // The gateway checked the values; they are checked here again against the same rules.
        let values = Dictionary(zip(order.parameters.map(\.name), order.arguments), uniquingKeysWith: { first, _ in first })
        do throws(ScriptRules.Problem) {
            guard order.arguments.count == order.parameters.count,
                  try ScriptRules.arguments(for: order.parameters, values: values) == order.arguments else {
                return .refused(.badParameters, "The values do not match the script's parameters.")
            }
        } catch {
            return .refused(.badParameters, ScriptRules.describe(error))
        }
        guard ScriptRules.isFileName(order.script.name), order.resource.map({ ScriptRules.isFileName($0.name) && $0.name != order.script.name }) ?? true else {
            return .refused(.badParameters, "A file name of the script is not one file name.")
        }
        let account: (uid: uid_t, gid: gid_t)?
        switch (order.asRoot, geteuid() == 0) {
        case (true, false): return .refused(.notElevated, "Running as root needs the applet restarted with administrator rights.")
        case (true, true), (false, false): account = nil
        case (false, true):
            // The elevated copy (started through sudo) runs a script as the customer unless the
            // technician asked for root; an applet the customer started as root runs it as root.
            let uid = getenv("SUDO_UID").flatMap { UInt32(String(cString: $0)) }
            let gid = getenv("SUDO_GID").flatMap { UInt32(String(cString: $0)) }
            account = uid.flatMap { uid in gid.map { (uid, $0) } }
        }
        guard let folder = ScriptFolder.make(owner: account) else { return .refused(.cannotStart, "No private temporary folder could be made.") }
        defer { folder.remove() }
        for (part, file) in [("script", order.script), ("resource", order.resource)] {
            guard let file else { continue }
            if let refusal = await download(order.runId, part: part, file: file, into: folder) { return refusal }
        }
        guard current?.stop == nil else { return ScriptResult(outcome: current?.stop ?? .stopped) }
        return await execute(order, in: folder, account: account)
    }

    /// One file of the run into the folder; a refusal when it cannot be had whole or is not the one announced.
    private func download(_ runId: String, part: String, file: ScriptFileInfo, into folder: ScriptFolder) async -> ScriptResult? {
        let descriptor = open(folder.path + "/" + file.name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .refused(.downloadFailed, "\(file.name) could not be written: \(String(cString: strerror(errno))).") }
        defer { close(descriptor) }
        if let owner = folder.owner, fchown(descriptor, owner.uid, owner.gid) != 0 {
            return .refused(.downloadFailed, "\(file.name) could not be given to the customer's account: \(String(cString: strerror(errno))).")
        }
        let url = gateway.appendingPathComponent("api/v1/customer/scripts/\(runId)/\(part)")
        do {
            let digest = try await HTTPDownload.fetch(url, bearer: token, into: descriptor, expected: Int64(file.size), digest: SHA256(),
                                                      proxy: proxy) { _ in }
            let sha256 = digest.finalize().hexString
            guard sha256 == file.sha256.lowercased() else {
                return .refused(.hashMismatch, "\(file.name) is not the file announced: its SHA-256 is \(sha256), not \(file.sha256).")
            }
            return nil
        } catch {
            return .refused(.downloadFailed, "\(file.name) could not be downloaded: \(error).")
        }
    }

    private func execute(_ order: ScriptRunOrder, in folder: ScriptFolder, account: (uid: uid_t, gid: gid_t)?) async -> ScriptResult {
        let scriptPath = folder.path + "/" + order.script.name
        guard let content = LocalText.read(scriptPath, limit: ScriptRules.maximumScriptBytes + 1) else {
            return .refused(.cannotStart, "The script could not be read back from its folder.")
        }
        let command: [String]
        do throws(ScriptRules.Problem) {
            command = try ScriptRules.commandLine(content: content, scriptPath: scriptPath, arguments: order.arguments)
        } catch {
            return .refused(.cannotStart, ScriptRules.describe(error))
        }
        var environment = ScriptFolder.environment(of: order, folder: folder, account: account)
        let runner: ScriptProcess
        do {
            runner = try ScriptProcess.start(directory: folder.path, account: account, command: command, environment: &environment)
        } catch {
            return .refused(.cannotStart, error.description)
        }
        current?.runner = runner.pid
        transcript.scriptStarted(order.name, description: order.description, technician: order.technicianName, atStart: order.atStart)
        // Stopped while it started: the runner ends it at once.
        if current?.stop != nil { _ = kill(runner.pid, SIGTERM) }
        let started = ScriptProcess.now()
        var pump = ScriptOutputPump()
        var pending: [ScriptOutputChunk] = []
        var lastSent = started
        var (outputOpen, errorOpen) = (true, true)
        var timedOut = false
        while outputOpen || errorOpen {
            let (output, error, wasOutputOpen, wasErrorOpen) = (runner.output, runner.error, outputOpen, errorOpen)
            let batch = await PosixThread.offThread {
                ScriptOutputPump.read(output: output, error: error, outputOpen: wasOutputOpen, errorOpen: wasErrorOpen, wait: ScriptOutputMessage.flushSeconds)
            }
            let seconds = ScriptProcess.now() - started
            pending += pump.take(batch.output, from: .stdout, at: seconds) + pump.take(batch.error, from: .stderr, at: seconds)
            (outputOpen, errorOpen) = (!batch.outputEnded, !batch.errorEnded)
            if !pending.isEmpty, ScriptProcess.now() - lastSent >= ScriptOutputMessage.flushSeconds || !(outputOpen || errorOpen) {
                await send(pending, of: order.runId)
                pending = []
                lastSent = ScriptProcess.now()
            }
            if !timedOut, current?.stop == nil, seconds > Double(order.timeLimitSeconds) {
                timedOut = true
                _ = kill(runner.pid, SIGTERM)
            }
        }
        if !pending.isEmpty { await send(pending, of: order.runId) }
        let ending = await PosixThread.offThread { runner.finish() }
        let seconds = ScriptProcess.now() - started
        let outcome: ScriptResult.Outcome = timedOut ? .timedOut : current?.stop ?? (ending.signal == nil ? .exited : .signalled)
        if let failure = ending.error { return ScriptResult(outcome: .refused, refusal: .cannotStart, message: failure, seconds: seconds) }
        return ScriptResult(outcome: outcome, exitCode: ending.exitCode, signal: ending.signal, outputBytes: pump.totalBytes, outputSha256: pump.sha256,
                            outputTruncated: pump.truncated, leftoverProcesses: ending.leftover, seconds: seconds)
    }

    /// Chunks grouped into messages of at most `maximumTextBytes` of text each.
    private func send(_ chunks: [ScriptOutputChunk], of runId: String) async {
        var group: [ScriptOutputChunk] = []
        var bytes = 0
        for chunk in chunks {
            if bytes + chunk.text.utf8.count > ScriptOutputMessage.maximumTextBytes, !group.isEmpty {
                await outgoing.send(.scriptOutput(.init(sessionId: nil, runId: runId, chunks: group)))
                group = []
                bytes = 0
            }
            group.append(chunk)
            bytes += chunk.text.utf8.count
        }
        if !group.isEmpty { await outgoing.send(.scriptOutput(.init(sessionId: nil, runId: runId, chunks: group))) }
    }
}
