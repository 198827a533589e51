import Foundation

/// Screen recordings in the SQLite store.
extension SQLStore {
    public func insertRecording(_ r: Recording) async throws(StoreError) {
        _ = try await db.query(
            "INSERT INTO recordings (id, session_id, technician_id, format, started_at, ended_at, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [.text(r.id), .text(r.sessionId), .text(r.technicianId), .text(r.format), .date(r.startedAt), .optionalDate(r.endedAt),
             .integer(Int64(r.bytes))])
    }

    public func updateRecording(_ r: Recording) async throws(StoreError) {
        _ = try await db.query("UPDATE recordings SET ended_at = ?, bytes = ? WHERE id = ?",
                               [.optionalDate(r.endedAt), .integer(Int64(r.bytes)), .text(r.id)])
    }

    public func recording(id: String) async throws(StoreError) -> Recording? {
        try await db.query("SELECT * FROM recordings WHERE id = ?", [.text(id)]).first.map(Self.recording(from:))
    }

    public func recordings(sessionId: String) async throws(StoreError) -> [Recording] {
        try await db.query("SELECT * FROM recordings WHERE session_id = ? ORDER BY started_at, id", [.text(sessionId)])
            .map(Self.recording(from:))
    }

    static func recording(from row: SQLRow) throws(StoreError) -> Recording {
        guard let bytes = row["bytes"]?.int else { throw StoreError("Column bytes is missing or not a number.") }
        return Recording(id: try row.text("id"), sessionId: try row.text("session_id"), technicianId: try row.text("technician_id"),
                         format: try row.text("format"), startedAt: try row.date("started_at"), endedAt: row.optionalDate("ended_at"),
                         bytes: Int(bytes))
    }
}
