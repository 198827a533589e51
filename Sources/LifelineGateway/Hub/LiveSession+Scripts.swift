import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Scripts run on the customer's machine (N2): the owner of an active session with
/// `deploy_scripts` (or `run_embedded_scripts` for a group's embedded script) asks; the gateway
/// checks the values, sends the applet the order with the script's hash, serves the files once,
/// passes the output to the technician and logs and audits how it ended. Holding, transferring or
/// ending the session stops what runs.
extension LiveSession {
    struct ScriptRunState: Sendable {
        let script: LibraryScript
        let requestId: String?
        let technicianId: String
        let technicianName: String
        let arguments: [String]
        let asRoot: Bool
        /// Output passed to the console so far: past the cap, nothing more goes.
        var forwardedBytes = 0
    }

    /// The "run at applet start" scripts of a session: looked up the first time it is active with
    /// its applet connected (the customer agreed to join), then run one after the other.
    struct StartScripts: Sendable {
        var lookedUp = false
        var waiting: [LibraryScript] = []
    }

    func runScript(_ message: ScriptRunRequestMessage, script: LibraryScript, needing permission: Permission, by actor: Actor) async throws {
        let record = try await hub.workedSession(id, by: actor, permission: permission, activeOnly: "A script runs")
        try Self.checkRequestId(message.requestId)
        guard script.definition.platforms.contains(.linux) else {
            throw GatewayError.badRequest("This script is not for Linux, the customer's system.")
        }
        let arguments: [String]
        do throws(ScriptRules.Problem) {
            arguments = try ScriptRules.arguments(for: script.definition.parameters, values: message.values)
        } catch {
            throw GatewayError.badRequest(ScriptRules.describe(error))
        }
        if message.asRoot && record.customer?.privileged != true {
            throw GatewayError.badRequest("Running as root needs the applet restarted with administrator rights first.")
        }
        _ = try hub.connectedApplet(of: id)
        // Checked and written with no await between: two requests cannot both start.
        guard scriptRuns.isEmpty else { throw GatewayError(.scriptRunning, "A script is running in this session; wait for it or stop it.") }
        await start(ScriptRunState(script: script, requestId: message.requestId, technicianId: actor.id, technicianName: actor.technician.name,
                                 arguments: arguments, asRoot: message.asRoot), in: record)
    }

    /// The run takes the session's one slot before anything awaits; the log says it started before the applet can say it ended.
    private func start(_ run: ScriptRunState, in record: SessionRecord) async {
        let runId = UUID().uuidString.lowercased()
        scriptRuns[runId] = run
        let definition = run.script.definition
        var resource: ScriptFileInfo?
        if let name = definition.resourceName, let size = run.script.resourceSize, let sha256 = run.script.resourceSha256 {
            resource = ScriptFileInfo(name: name, size: size, sha256: sha256)
        }
        await hub.note(.scriptStarted(technician: run.technicianName, name: definition.name, sha256: run.script.scriptSha256), in: record)
        let order = ScriptRunOrder(
            runId: runId, technicianName: run.technicianName, name: definition.name, description: definition.description,
            script: ScriptFileInfo(name: definition.fileName, size: definition.content.utf8.count, sha256: run.script.scriptSha256),
            resource: resource,
            parameters: definition.parameters, arguments: run.arguments, timeLimitSeconds: definition.timeLimitSeconds,
            asRoot: run.asRoot, atStart: run.requestId == nil)
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.scriptRun(order)))
        sockets.sendToConsoles(of: run.technicianId, WireCodec.encode(GatewayToConsole.scriptStarted(.init(
            sessionId: id, requestId: run.requestId, runId: runId, scriptId: run.script.id, name: definition.name,
            sha256: run.script.scriptSha256, asRoot: run.asRoot))))
    }

    /// Called when the session may have become active with its applet: the first time it is, its
    /// start scripts are looked up and the first one sent.
    func runStartScriptsIfDue() async {
        guard !startScripts.lookedUp, let current = liveRecord, [.active, .collaboration].contains(current.machine.state),
              let technicianId = current.technicianId, sockets.applet(of: id) != nil, current.customer?.chatOnly != true else { return }
        // Marked before the lookup awaits: a second call meanwhile finds nothing to do.
        startScripts.lookedUp = true
        do {
            startScripts.waiting = try await hub.startScripts(of: technicianId)
        } catch {
            logger.error("The scripts to run at applet start could not be read; none runs", metadata: ["session.id": "\(id)", "error": "\(error)"])
            return
        }
        await startNextScript()
    }

    /// The next start script, when nothing runs and the session is still active with its technician.
    private func startNextScript() async {
        guard scriptRuns.isEmpty, !startScripts.waiting.isEmpty, let current = liveRecord,
              [.active, .collaboration].contains(current.machine.state), let technicianId = current.technicianId,
              sockets.applet(of: id) != nil else { return }
        let script = startScripts.waiting.removeFirst()
        let arguments: [String]
        do throws(ScriptRules.Problem) {
            // No one types values at start: the defaults are used; a required value without one cannot run.
            arguments = try ScriptRules.arguments(for: script.definition.parameters, values: [:])
        } catch {
            logger.warning("A start script needs a value and was skipped", metadata: ["session.id": "\(id)", "script.id": "\(script.id)"])
            return await startNextScript()
        }
        await start(ScriptRunState(script: script, requestId: nil, technicianId: technicianId,
                                   technicianName: await hub.technicianName(technicianId), arguments: arguments, asRoot: false), in: current)
    }

    /// The technician stops a run of theirs (lead or colleague).
    func cancelScript(_ message: ScriptCancelMessage, by actor: Actor) async throws {
        _ = try await hub.visibleSession(id, by: actor)
        guard worksOn(actor.id), let run = scriptRuns[message.runId], run.technicianId == actor.id else {
            throw GatewayError(.scriptNotFound, "No such script is running in this session.")
        }
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.scriptCancel(.init(
            sessionId: nil, runId: message.runId, reason: "\(actor.technician.name) stopped the script."))))
    }

    /// The session left Active or changed hands: every run is stopped (its end is still logged when the applet says).
    func stopScripts(reason: String) {
        startScripts.waiting = []
        for runId in scriptRuns.keys.sorted() {
            sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.scriptCancel(.init(sessionId: nil, runId: runId, reason: reason, sessionMovedOn: true))))
        }
    }

    /// The bytes the applet downloads for a run: the script or its resource file.
    func scriptFile(runId: String, part: String) async throws -> (name: String, bytes: Data) {
        guard let run = scriptRuns[runId] else { throw GatewayError(.scriptNotFound, "No such script is waiting for this applet.") }
        switch part {
        case "script":
            return (run.script.definition.fileName, Data(run.script.definition.content.utf8))
        case "resource":
            let found = try await store.scriptResource(id: run.script.id)
            guard let bytes = found, let name = run.script.definition.resourceName else {
                throw GatewayError(.fileNotFound, "This script has no resource file.")
            }
            return (name, bytes)
        default:
            throw GatewayError(.notFound, "A run has a script and a resource file only.")
        }
    }

    func appletScriptOutput(_ message: ScriptOutputMessage, outletId: UUID) {
        guard sockets.isApplet(outletId, of: id), var run = scriptRuns[message.runId] else { return }
        let bytes = message.chunks.reduce(0) { $0 + $1.text.utf8.count }
        guard run.forwardedBytes + bytes <= ScriptRules.maximumOutputBytes + ScriptOutputMessage.maximumTextBytes else { return }
        run.forwardedBytes += bytes
        scriptRuns[message.runId] = run
        guard worksOn(run.technicianId) else { return }
        sockets.sendToConsoles(of: run.technicianId, WireCodec.encode(GatewayToConsole.scriptOutput(.init(
            sessionId: id, runId: message.runId, chunks: message.chunks))))
    }

    /// How a run ended: told to the technician while they still work on the session, logged and audited whoever has it now.
    func appletScriptFinished(_ message: ScriptFinishedMessage, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), let run = scriptRuns.removeValue(forKey: message.runId) else { return }
        if worksOn(run.technicianId) {
            sockets.sendToConsoles(of: run.technicianId, WireCodec.encode(GatewayToConsole.scriptFinished(.init(
                sessionId: id, runId: message.runId, result: message.result))))
        }
        let result = message.result
        let outputSha256 = String(result.outputSha256.prefix(64))
        await hub.note(.scriptFinished(name: run.script.definition.name, result: result.summary, bytes: "\(result.outputBytes)",
                                       hash: outputSha256), in: record)
        let detail: [String: String] = [
            "script": run.script.id, "name": run.script.definition.name, "sha256": run.script.scriptSha256,
            "resourceSha256": run.script.resourceSha256 ?? "", "arguments": AuditTrail.json(run.arguments) ?? "[]",
            "asRoot": "\(run.asRoot)", "result": result.summary, "outputBytes": "\(result.outputBytes)", "outputSha256": outputSha256,
            "leftoverProcesses": "\(result.leftoverProcesses)",
        ]
        await auditCustomerChange(.scriptRun, objectType: "customer_system", technicianId: run.technicianId,
                                  technicianName: run.technicianName, after: AuditTrail.json(detail), in: record,
                                  what: "A script run on the customer's computer")
        await startNextScript()
    }
}
