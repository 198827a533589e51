import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The screen recording (J14) running in one session: started while its remote desktop runs,
/// finished with it.
extension LiveSession {
    func startRecording(by actor: Actor) async throws -> Recording {
        let record = try await hub.ownedLiveSession(id, by: actor)
        try actor.require(.recordScreen)
        guard let state = remote else { throw SessionHub.gatewayError(.notRunning) }
        do throws(RemoteDesktopState.Refusal) {
            try state.checkTool(needsControl: false, permission: .recordScreen, permissions: actor.permissions, onCustomerSide: false)
        } catch {
            throw SessionHub.gatewayError(error)
        }
        guard recordingId == nil else {
            throw GatewayError(.alreadyRecording, "The screen of this session is already being recorded.")
        }
        let recording = Recording(id: UUID().uuidString.lowercased(), sessionId: id, technicianId: actor.id,
                                  format: hub.settings.recordingFormat.rawValue, startedAt: environment.now())
        // A recording the audit log cannot account for does not start (the customer is told only after).
        try await hub.audit.record(.recordingStarted, by: actor, objectType: "session", objectId: id,
                                   after: AuditTrail.json(["recording": recording.id, "format": recording.format,
                                                           "what": record.sessionType == .lens ? "camera_drawings_and_voices" : "screen"]))
        try await store.insertRecording(recording)
        recordingId = recording.id
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.recording(.init(active: true, technicianName: actor.technician.name))))
        try await hub.logEvent(.recordingStarted(technician: actor.technician.name), in: record)
        return recording
    }

    /// Ends the session's running recording, if any (the remote desktop ended).
    func finishRecording(reason: SessionLogEvent) async {
        guard let recordingId else { return }
        do {
            guard let recording = try await store.recording(id: recordingId) else { return }
            _ = await finishRecording(recording, reason: reason)
        } catch {
            logger.error("Could not read a recording to finish it", metadata: ["session.id": "\(id)", "recording.id": "\(recordingId)", "error": "\(error)"])
        }
    }

    func finishRecording(_ recording: Recording, reason: SessionLogEvent) async -> Recording {
        guard recording.endedAt == nil else { return recording }
        let finished = await hub.saveRecordingEnd(recording)
        if recordingId == recording.id { recordingId = nil }
        let name = await hub.technicianName(recording.technicianId)
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.recording(.init(active: false, technicianName: name))))
        if let record = liveRecord { await hub.note(reason, in: record) }
        return finished
    }
}
