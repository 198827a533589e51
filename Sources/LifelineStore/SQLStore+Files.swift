import Foundation

/// File transfers in the SQLite store.
extension SQLStore {
    public func saveFileTransfer(_ f: FileTransferRecord) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO file_transfers (id, session_id, direction, name, size, phase, md5, received_md5, reason, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET phase = excluded.phase, md5 = excluded.md5, received_md5 = excluded.received_md5,
                reason = excluded.reason
            """,
            [.text(f.id), .text(f.sessionId), .text(f.direction), .text(f.name), .integer(f.size), .text(f.phase),
             .optionalText(f.md5), .optionalText(f.receivedMD5), .optionalText(f.reason), .date(f.createdAt)])
    }

    public func fileTransfer(id: String) async throws(StoreError) -> FileTransferRecord? {
        try await db.query("SELECT * FROM file_transfers WHERE id = ?", [.text(id)]).first.map(Self.fileTransfer(from:))
    }

    public func fileTransfers(sessionId: String) async throws(StoreError) -> [FileTransferRecord] {
        try await db.query("SELECT * FROM file_transfers WHERE session_id = ? ORDER BY created_at, id", [.text(sessionId)])
            .map(Self.fileTransfer(from:))
    }

    static func fileTransfer(from row: SQLRow) throws(StoreError) -> FileTransferRecord {
        guard let size = row["size"]?.int else { throw StoreError("Column size is missing or not a number.") }
        return FileTransferRecord(id: try row.text("id"), sessionId: try row.text("session_id"), direction: try row.text("direction"),
                                  name: try row.text("name"), size: size, phase: try row.text("phase"), md5: row["md5"]?.string,
                                  receivedMD5: row["received_md5"]?.string, reason: row["reason"]?.string,
                                  createdAt: try row.date("created_at"))
    }
}
