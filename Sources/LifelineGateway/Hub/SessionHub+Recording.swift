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
        try await liveSession(id, for: actor).startRecording(by: actor)
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
        // Its session may have closed since (pieces arrive for a while): then only the store learns it.
        guard let session = registry.session(sessionId) else { return recording.endedAt == nil ? await saveRecordingEnd(recording) : recording }
        return await session.finishRecording(recording, reason: .recordingStopped(technician: actor.technician.name))
    }

    /// Its end in the store; the bytes are kept whatever happens.
    func saveRecordingEnd(_ recording: Recording) async -> Recording {
        var finished = recording
        finished.endedAt = environment.now()
        do { try await store.updateRecording(finished) } catch {
            // The recording's bytes are kept; only its end time is missing from the list.
            logger.error("Could not save a recording's end", metadata: ["session.id": "\(recording.sessionId)", "recording.id": "\(recording.id)", "error": "\(error)"])
        }
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
