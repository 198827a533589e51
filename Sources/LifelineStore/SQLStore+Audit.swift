import Foundation
import Synchronization
import LifelineCore

/// The audit log in the SQLite store. Triggers refuse UPDATE and DELETE; the hash chain shows
/// whatever is changed around them (`lifeline-server audit verify`).
extension SQLStore {
    /// One INSERT: the head moves with it by trigger, in the same statement's transaction. Entries
    /// given up since the last one written are added to the head in the same transaction.
    public func appendAudit(_ e: AuditEntry, lostBefore lost: Int64) async throws(StoreError) {
        let statements = Self.auditStatements(e, lostBefore: lost)
        guard statements.count > 1 else {
            _ = try await db.query(statements[0].sql, statements[0].bindings)
            return
        }
        try await db.transaction(statements)
    }

    /// Appends the entry `next` makes of the chain's last one, read in the same unit of work after
    /// taking the chain's lock (PostgreSQL's transaction-level advisory lock, which an empty chain
    /// has too): gateway nodes sharing the database append one at a time, each after the entry
    /// really last, instead of colliding and trying again.
    public func appendNextAudit(lostBefore lost: Int64, _ next: @escaping @Sendable (AuditEntry?) -> AuditEntry) async throws(StoreError) -> AuditEntry {
        var reads = [SQLStatement("SELECT * FROM audit_log ORDER BY sequence DESC LIMIT 1")]
        if db.dialect == .postgres { reads.insert(SQLStatement("SELECT pg_advisory_xact_lock(?) IS NULL AS locked", [.integer(Self.auditChainLock)]), at: 0) }
        let appended = Mutex<AuditEntry?>(nil)
        try await db.transaction(reading: reads) { rows in
            let entry = next(try rows.first.map(Self.auditEntry(from:)))
            appended.withLock { $0 = entry }
            return Self.auditStatements(entry, lostBefore: lost)
        }
        guard let entry = appended.withLock({ $0 }) else { throw StoreError("The audit entry was not written.") }
        return entry
    }

    /// The advisory lock's key: "life" in ASCII, one key for the one chain.
    static let auditChainLock: Int64 = 0x6C69_6665

    private static func auditStatements(_ e: AuditEntry, lostBefore lost: Int64) -> [SQLStatement] {
        let insert = SQLStatement(
            """
            INSERT INTO audit_log (sequence, at_ms, organisation_id, actor_id, actor_name, action, object_type, object_id, before, after,
                source, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(e.sequence), .integer(e.atMilliseconds), .optionalText(e.organisationId), .optionalText(e.actorId),
             .text(e.actorName), .text(e.action.rawValue), .optionalText(e.objectType), .optionalText(e.objectId),
             .optionalText(e.before), .optionalText(e.after), .optionalText(e.source), .text(e.previousHash), .text(e.hash)])
        return lost > 0 ? [insert, SQLStatement("UPDATE audit_head SET lost = lost + ? WHERE id = 1", [.integer(lost)])] : [insert]
    }

    public func auditHead() async throws(StoreError) -> AuditHead? {
        guard let row = try await db.query("SELECT sequence, hash, lost FROM audit_head WHERE id = 1").first else { return nil }
        guard let sequence = row["sequence"]?.int, let lost = row["lost"]?.int else {
            throw StoreError("The audit log's head is incomplete.")
        }
        return AuditHead(sequence: sequence, hash: try row.text("hash"), lost: lost)
    }

    public func lastAuditEntry() async throws(StoreError) -> AuditEntry? {
        try await db.query("SELECT * FROM audit_log ORDER BY sequence DESC LIMIT 1").first.map(Self.auditEntry(from:))
    }

    public func allAuditEntries() async throws(StoreError) -> [AuditEntry] {
        try await db.query("SELECT * FROM audit_log ORDER BY sequence").map(Self.auditEntry(from:))
    }

    public func auditEntries(organisationId: String, from: Date, to: Date) async throws(StoreError) -> [AuditEntry] {
        try await db.query("SELECT * FROM audit_log WHERE organisation_id = ? AND at_ms >= ? AND at_ms < ? ORDER BY sequence",
                           [.text(organisationId), .integer(Int64(from.timeIntervalSince1970 * 1_000)),
                            .integer(Int64(to.timeIntervalSince1970 * 1_000))]).map(Self.auditEntry(from:))
    }

    static func auditEntry(from row: SQLRow) throws(StoreError) -> AuditEntry {
        guard let sequence = row["sequence"]?.int, let at = row["at_ms"]?.int,
              let action = AuditAction(rawValue: try row.text("action")) else {
            throw StoreError("An audit row is incomplete or holds an unknown action.")
        }
        return AuditEntry(sequence: sequence, atMilliseconds: at, organisationId: row["organisation_id"]?.string,
                          actorId: row["actor_id"]?.string, actorName: try row.text("actor_name"), action: action,
                          objectType: row["object_type"]?.string, objectId: row["object_id"]?.string, before: row["before"]?.string,
                          after: row["after"]?.string, source: row["source"]?.string, previousHash: try row.text("previous_hash"),
                          hash: try row.text("hash"))
    }
}
