import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Script runs (N2), each passed to its session (`LiveSession+Scripts`).
extension SessionHub {
    /// The script must be the technician's own (`deploy_scripts`) or embedded for their group
    /// (`run_embedded_scripts`); anything else is "not found". The session's lead runs it, or a
    /// colleague collaborating in it with that permission allowed by the lead (I1). Refused in the
    /// usual order: someone else's session, then the script, then the permission, then the state.
    func runScript(_ message: ScriptRunRequestMessage, by actor: Actor) async throws {
        let record = try await visibleSession(message.sessionId, by: actor)
        guard registry.record(message.sessionId) != nil, record.technicianId == actor.id || record.collaborations[actor.id] != nil else {
            throw GatewayError.sessionNotFound
        }
        let found = try await store.script(id: message.scriptId)
        guard let script = found, let needed = ScriptLibrary.permission(toRun: script, by: actor) else { throw ScriptLibrary.notFound }
        try await liveSession(message.sessionId, for: actor).runScript(message, script: script, needing: needed, by: actor)
    }

    /// The scripts marked "run at applet start" for `technicianId`'s sessions, in the order they run:
    /// their own (while their group allows `deploy_scripts`), then those embedded for their group
    /// (the administrator chose to run them). Only scripts for Linux.
    func startScripts(of technicianId: String) async throws -> [LibraryScript] {
        let found = try await store.technician(id: technicianId)
        guard let technician = found else { return [] }
        var scripts: [LibraryScript] = []
        if let groupId = technician.groupId {
            let group = try await store.group(id: groupId)
            if technician.role.isAdministrator || group?.permissions.allows(.deployScripts) == true {
                scripts += try await store.scripts(ownerId: technicianId)
            }
            scripts += try await store.scripts(groupId: groupId)
        } else if technician.role.isAdministrator {
            scripts += try await store.scripts(ownerId: technicianId)
        }
        return scripts.filter { $0.definition.runAtStart && $0.definition.platforms.contains(.linux) }
    }

    func cancelScript(_ message: ScriptCancelMessage, by actor: Actor) async throws {
        guard let id = message.sessionId else { throw GatewayError.badRequest("script_cancel needs its sessionId.") }
        try await liveSession(id, for: actor).cancelScript(message, by: actor)
    }

    func scriptFile(runId: String, part: String, appletToken: String) async throws -> (name: String, bytes: Data) {
        try await sessionOfApplet(token: appletToken).scriptFile(runId: runId, part: part)
    }

    func appletScriptOutput(_ message: ScriptOutputMessage, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletScriptOutput(message, outletId: outletId)
    }

    func appletScriptFinished(_ message: ScriptFinishedMessage, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletScriptFinished(message, outletId: outletId)
    }
}
