import Foundation
import LifelineCore

/// Predefined replies.
extension SQLStore {
    public func saveReply(_ r: Reply) async throws(StoreError) {
        try await saveReplies([r])
    }

    /// One statement per hundred replies (one round trip each, not one per reply), in one unit of work.
    public func saveReplies(_ replies: [Reply]) async throws(StoreError) {
        let statements = stride(from: 0, to: replies.count, by: 100).map { start in
            let chunk = replies[start..<min(start + 100, replies.count)]
            return SQLStatement(
                """
                INSERT INTO replies (id, organisation_id, kind, name, content, created_by, created_at)
                VALUES \(chunk.map { _ in "(?, ?, ?, ?, ?, ?, ?)" }.joined(separator: ", "))
                ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, content = excluded.content
                """,
                chunk.flatMap { r -> [SQLValue] in
                    [.text(r.id), .text(r.organisationId), .text(r.kind.rawValue), .text(r.name), .text(r.content), .text(r.createdBy),
                     .date(r.createdAt)]
                })
        }
        try await db.transaction(statements)
    }

    public func deleteReply(id: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM replies WHERE id = ?", [.text(id)])
    }

    public func reply(id: String) async throws(StoreError) -> Reply? {
        try await db.query("SELECT * FROM replies WHERE id = ?", [.text(id)]).first.map(Self.reply(from:))
    }

    public func replies(organisationId: String) async throws(StoreError) -> [Reply] {
        try await db.query("SELECT * FROM replies WHERE organisation_id = ? ORDER BY kind, lower(name), id", [.text(organisationId)])
            .map(Self.reply(from:))
    }

    static func reply(from row: SQLRow) throws(StoreError) -> Reply {
        guard let kind = ReplyRules.Kind(rawValue: try row.text("kind")) else { throw StoreError("A reply row holds an unknown kind.") }
        return Reply(id: try row.text("id"), organisationId: try row.text("organisation_id"), kind: kind, name: try row.text("name"),
                     content: try row.text("content"), createdBy: try row.text("created_by"), createdAt: try row.date("created_at"))
    }
}
