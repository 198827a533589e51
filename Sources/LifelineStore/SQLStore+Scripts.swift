import Foundation
import LifelineCore

/// Script libraries (N1, R4); the resource file is kept as base64 text beside its row.
extension SQLStore {
    public func saveScript(_ script: LibraryScript, resource: ScriptResourceChange) async throws(StoreError) {
        var statements = [Self.upsert(script)]
        switch resource {
        case .keep: break
        case .replace(let bytes):
            statements.append(SQLStatement("UPDATE scripts SET resource_base64 = ? WHERE id = ?", [.text(bytes.base64EncodedString()), .text(script.id)]))
        case .remove:
            statements.append(SQLStatement("UPDATE scripts SET resource_base64 = NULL WHERE id = ?", [.text(script.id)]))
        }
        try await db.transaction(statements)
    }

    public func saveScripts(_ scripts: [(LibraryScript, Data?)]) async throws(StoreError) {
        try await db.transaction(scripts.flatMap { script, resource in
            [Self.upsert(script)] + (resource.map {
                [SQLStatement("UPDATE scripts SET resource_base64 = ? WHERE id = ?", [.text($0.base64EncodedString()), .text(script.id)])]
            } ?? [])
        })
    }

    public func setScriptPositions(_ positions: [(id: String, position: Int)]) async throws(StoreError) {
        try await db.transaction(positions.map { SQLStatement("UPDATE scripts SET position = ? WHERE id = ?", [.integer(Int64($0.position)), .text($0.id)]) })
    }

    public func deleteScript(id: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM scripts WHERE id = ?", [.text(id)])
    }

    public func script(id: String) async throws(StoreError) -> LibraryScript? {
        try await db.query("SELECT \(Self.scriptColumns) FROM scripts WHERE id = ?", [.text(id)]).first.map(Self.script(from:))
    }

    public func scripts(ownerId: String) async throws(StoreError) -> [LibraryScript] {
        try await db.query("SELECT \(Self.scriptColumns) FROM scripts WHERE owner_id = ? ORDER BY position, created_at, id", [.text(ownerId)])
            .map(Self.script(from:))
    }

    public func scripts(groupId: String) async throws(StoreError) -> [LibraryScript] {
        try await db.query("SELECT \(Self.scriptColumns) FROM scripts WHERE group_id = ? ORDER BY position, created_at, id", [.text(groupId)])
            .map(Self.script(from:))
    }

    public func scriptResource(id: String) async throws(StoreError) -> Data? {
        guard let text = try await db.query("SELECT resource_base64 FROM scripts WHERE id = ?", [.text(id)]).first?["resource_base64"]?.string else {
            return nil
        }
        guard let bytes = Data(base64Encoded: text) else { throw StoreError("A script's resource file is not base64.") }
        return bytes
    }

    /// Every column but the resource's bytes, which lists do not need.
    static let scriptColumns = "id, organisation_id, owner_id, group_id, position, favourite, definition, script_sha256, resource_sha256, "
        + "resource_size, created_at, updated_at"

    static func upsert(_ s: LibraryScript) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO scripts (id, organisation_id, owner_id, group_id, position, favourite, definition, script_sha256, resource_sha256,
                                 resource_size, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET position = excluded.position, favourite = excluded.favourite, definition = excluded.definition,
                script_sha256 = excluded.script_sha256, resource_sha256 = excluded.resource_sha256, resource_size = excluded.resource_size,
                updated_at = excluded.updated_at
            """,
            [.text(s.id), .text(s.organisationId), .optionalText(s.ownerId), .optionalText(s.groupId), .integer(Int64(s.position)),
             .bool(s.favourite), .json(s.definition), .text(s.scriptSha256), .optionalText(s.resourceSha256),
             s.resourceSize.map { .integer(Int64($0)) } ?? .null, .date(s.createdAt), .date(s.updatedAt)])
    }

    static func script(from row: SQLRow) throws(StoreError) -> LibraryScript {
        let definition: ScriptDefinition? = try row.json("definition")
        guard let definition, let position = row["position"]?.int else { throw StoreError("A script row has no definition or place.") }
        return LibraryScript(id: try row.text("id"), organisationId: try row.text("organisation_id"), ownerId: row["owner_id"]?.string,
                             groupId: row["group_id"]?.string, position: Int(position), favourite: row["favourite"]?.int == 1,
                             definition: definition, scriptSha256: try row.text("script_sha256"),
                             resourceSha256: row["resource_sha256"]?.string, resourceSize: row["resource_size"]?.int.map { Int($0) },
                             createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
