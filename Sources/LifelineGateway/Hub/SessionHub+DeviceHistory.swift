import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// History and notes (D6): the earlier sessions of the organisation with the same device (the
/// applet's hashed machine id), their notes and logs, for whoever may see the current session;
/// notes are written by the session's technician and read by colleagues next time.
extension SessionHub {
    static let deviceHistoryLimit = 50

    func deviceHistory(of id: String, for actor: Actor) async throws -> [DeviceHistoryEntry] {
        let record = try await visibleSession(id, by: actor)
        guard let deviceId = record.customer?.deviceId else { return [] }
        var entries: [DeviceHistoryEntry] = []
        for earlier in try await store.sessions(organisationId: record.organisationId, deviceId: deviceId, limit: Self.deviceHistoryLimit)
        where earlier.id != id {
            let notes = try await store.notes(sessionId: earlier.id)
            entries.append(DeviceHistoryEntry(sessionId: earlier.id, name: earlier.name, technicianName: await technicianName(earlier.technicianId),
                                              state: earlier.machine.state, createdAt: earlier.machine.createdAt, notes: notes?.text))
        }
        return entries
    }

    /// The log of an earlier session with the same device as one the actor may see.
    func deviceHistoryLog(of earlierId: String, through id: String, for actor: Actor) async throws -> [LogEntry] {
        let record = try await visibleSession(id, by: actor)
        let found = try await store.session(id: earlierId)
        guard let deviceId = record.customer?.deviceId, let earlier = found, earlier.organisationId == record.organisationId,
              earlier.customer?.deviceId == deviceId else {
            throw GatewayError(.earlierSessionNotFound, "This device has no earlier session with that id.")
        }
        return try await store.log(sessionId: earlierId)
    }

    func notes(of id: String, for actor: Actor) async throws -> SessionNotes? {
        _ = try await visibleSession(id, by: actor)
        return try await store.notes(sessionId: id)
    }

    /// Only the session's technician writes its notes, live or in history.
    func saveNotes(_ text: String, on id: String, by actor: Actor) async throws -> SessionNotes {
        let record = try await visibleSession(id, by: actor)
        guard record.technicianId == actor.id else { throw GatewayError.sessionNotFound }
        guard text.count <= SessionNotes.maximumLength else {
            throw GatewayError.badRequest("Notes are at most \(SessionNotes.maximumLength) characters.")
        }
        let notes = SessionNotes(sessionId: id, text: text, updatedBy: actor.technician.name, updatedAt: environment.now())
        try await store.saveNotes(notes)
        return notes
    }
}
