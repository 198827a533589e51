import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Screen recording (J14): the technician's console records the screen it shows into WebM (the
/// admin's format) and uploads it piece by piece; the gateway checks the permission and the
/// remote desktop, tells the customer, and keeps the file with the session.
extension SessionHub {
    /// Pieces may still arrive this long after a recording stopped: the browser's recorder hands
    /// over its last piece after it is told to stop.
    static let recordingGrace: TimeInterval = 60
    /// One recording may grow to this size.
    static let maximumRecordingBytes = 4 * 1024 * 1024 * 1024

    func startRecording(on id: String, by actor: Actor) async throws -> Recording {
        let record = try await ownedLiveSession(id, by: actor)
        try actor.require(.recordScreen)
        guard let state = remotes[id] else { throw Self.gatewayError(.notRunning) }
        do throws(RemoteDesktopState.Refusal) {
            try state.checkTool(needsControl: false, permission: .recordScreen, permissions: actor.permissions)
        } catch {
            throw Self.gatewayError(error)
        }
        guard activeRecordings[id] == nil else {
            throw GatewayError(.alreadyRecording, "The screen of this session is already being recorded.")
        }
        let recording = Recording(id: UUID().uuidString.lowercased(), sessionId: id, technicianId: actor.id,
                                  format: settings.recordingFormat.rawValue, startedAt: environment.now())
        try await store.insertRecording(recording)
        activeRecordings[id] = recording.id
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.recording(active: true, technicianName: actor.technician.name)))
        try await logEvent(.recordingStarted(technician: actor.technician.name), in: record)
        return recording
    }

    /// Checks that `byteCount` more bytes may be added to a recording, and counts them.
    func reserveRecordingBytes(_ byteCount: Int, recordingId: String, sessionId: String, by actor: Actor) async throws -> Recording {
        guard var recording = try await store.recording(id: recordingId), recording.sessionId == sessionId,
              recording.technicianId == actor.id else {
            throw GatewayError(.recordingNotFound, "There is no such recording of yours in this session.")
        }
        if let ended = recording.endedAt, environment.now().timeIntervalSince(ended) > Self.recordingGrace {
            throw GatewayError(.recordingFinished, "This recording is finished; start a new one.")
        }
        guard recording.bytes + byteCount <= Self.maximumRecordingBytes else {
            throw GatewayError(.recordingTooLarge, "A recording may be at most 4 GiB; start a new one.")
        }
        recording.bytes += byteCount
        try await store.updateRecording(recording)
        return recording
    }

    func stopRecording(_ recordingId: String, sessionId: String, by actor: Actor) async throws -> Recording {
        guard let recording = try await store.recording(id: recordingId), recording.sessionId == sessionId,
              recording.technicianId == actor.id else {
            throw GatewayError(.recordingNotFound, "There is no such recording of yours in this session.")
        }
        return await finishRecording(recording, reason: .recordingStopped(technician: actor.technician.name))
    }

    /// Ends the session's running recording, if any (the remote desktop ended).
    func finishRecording(ofSession id: String, reason: SessionLogEvent) async {
        guard let recordingId = activeRecordings[id] else { return }
        do {
            guard let recording = try await store.recording(id: recordingId) else { return }
            _ = await finishRecording(recording, reason: reason)
        } catch {
            logger.error("Could not read a recording to finish it", metadata: ["session.id": "\(id)", "recording.id": "\(recordingId)", "error": "\(error)"])
        }
    }

    private func finishRecording(_ recording: Recording, reason: SessionLogEvent) async -> Recording {
        var finished = recording
        guard finished.endedAt == nil else { return finished }
        finished.endedAt = environment.now()
        do { try await store.updateRecording(finished) } catch {
            // The recording's bytes are kept; only its end time is missing from the list.
            logger.error("Could not save a recording's end", metadata: ["session.id": "\(recording.sessionId)", "recording.id": "\(recording.id)", "error": "\(error)"])
        }
        if activeRecordings[recording.sessionId] == recording.id { activeRecordings[recording.sessionId] = nil }
        let name = await technicianName(recording.technicianId)
        sockets.sendToApplet(of: recording.sessionId, WireCodec.encode(GatewayToApplet.recording(active: false, technicianName: name)))
        if let record = live[recording.sessionId] { await note(reason, in: record) }
        return finished
    }

    /// The recordings of a session its viewer may see (owner, or administrators through history).
    func recordings(of sessionId: String, for actor: Actor) async throws -> [Recording] {
        _ = try await visibleSession(sessionId, by: actor)
        return try await store.recordings(sessionId: sessionId)
    }

    func recording(_ recordingId: String, of sessionId: String, for actor: Actor) async throws -> Recording {
        _ = try await visibleSession(sessionId, by: actor)
        guard let recording = try await store.recording(id: recordingId), recording.sessionId == sessionId else {
            throw GatewayError(.recordingNotFound, "There is no such recording in this session.")
        }
        return recording
    }
}
