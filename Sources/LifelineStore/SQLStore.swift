import Foundation
import LifelineCore
import LifelineProtocol
import Logging

/// The store, written once for both databases: the SQLite file (the embedded default) and
/// PostgreSQL. Each repository method is SQL with `?` placeholders run through an `SQLDriver`.
public final class SQLStore: Store {
    let db: any SQLDriver
    /// Signals between gateway nodes sharing the database; nil for the SQLite file, which one
    /// gateway uses at a time.
    public let signals: (any ClusterSignals)?

    /// Opens (creating if needed) the database and applies pending migrations.
    public init(_ location: DatabaseLocation, logger: Logger) async throws(StoreError) {
        switch location {
        case .sqlite(let path):
            db = TimedSQLDriver(try SQLiteDriver(path: path, logger: logger))
            signals = nil
        case .postgres(let postgres):
            let driver = PostgresDriver(postgres, logger: logger)
            db = TimedSQLDriver(driver)
            signals = driver
        }
        do {
            let applied = try await db.migrate(db.dialect == .sqlite ? Migrations.all : PostgresSchema.all)
            if applied > 0 { logger.info("Applied database migrations", metadata: ["store.migrations": "\(applied)", "store.database": "\(location)"]) }
        } catch {
            await db.close()
            throw error
        }
    }

    /// The SQLite file at `path`.
    public convenience init(path: String, logger: Logger) async throws(StoreError) {
        try await self.init(.sqlite(path: path), logger: logger)
    }

    /// Ends the database's connections (PostgreSQL's pool); the store is not used after.
    public func close() async { await db.close() }

    // MARK: Organisations

    public func insertOrganisation(_ organisation: Organisation) async throws(StoreError) {
        _ = try await db.query("INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)",
                               [.text(organisation.id), .text(organisation.name), .date(organisation.createdAt)])
    }

    public func organisation(id: String) async throws(StoreError) -> Organisation? {
        try await db.query("SELECT * FROM organisations WHERE id = ?", [.text(id)]).first.map { row throws(StoreError) in
            Organisation(id: try row.text("id"), name: try row.text("name"), createdAt: try row.date("created_at"))
        }
    }

    public func organisationCount() async throws(StoreError) -> Int {
        Int(try await db.query("SELECT COUNT(*) AS n FROM organisations").first?["n"]?.int ?? 0)
    }

    // MARK: Groups

    public func insertGroup(_ group: TechnicianGroup) async throws(StoreError) {
        _ = try await db.query("INSERT INTO technician_groups (id, organisation_id, name, permissions, parent_id) VALUES (?, ?, ?, ?, ?)",
                               [.text(group.id), .text(group.organisationId), .text(group.name),
                                .text(group.permissions.sortedRawValues.joined(separator: ",")), .optionalText(group.parentId)])
    }

    public func updateGroup(_ group: TechnicianGroup) async throws(StoreError) {
        _ = try await db.query("UPDATE technician_groups SET name = ?, permissions = ?, parent_id = ? WHERE id = ?",
                               [.text(group.name), .text(group.permissions.sortedRawValues.joined(separator: ",")),
                                .optionalText(group.parentId), .text(group.id)])
    }

    /// Deleted technicians (kept for history) let go of the group first: only live members,
    /// subgroups and channels keep a group, and the caller checks those.
    public func deleteGroup(id: String) async throws(StoreError) {
        try await db.transaction([
            SQLStatement("UPDATE technicians SET group_id = NULL WHERE group_id = ? AND deleted_at IS NOT NULL", [.text(id)]),
            SQLStatement("DELETE FROM technician_groups WHERE id = ?", [.text(id)]),
        ])
    }

    public func group(id: String) async throws(StoreError) -> TechnicianGroup? {
        try await db.query("SELECT * FROM technician_groups WHERE id = ?", [.text(id)]).first.map(Self.group(from:))
    }

    public func groups(organisationId: String) async throws(StoreError) -> [TechnicianGroup] {
        try await db.query("SELECT * FROM technician_groups WHERE organisation_id = ? ORDER BY name", [.text(organisationId)])
            .map(Self.group(from:))
    }

    private static func group(from row: SQLRow) throws(StoreError) -> TechnicianGroup {
        let names = try row.text("permissions").split(separator: ",").map(String.init)
        let permissions: PermissionSet
        do { permissions = try PermissionSet(rawValues: names) } catch { throw StoreError(error.description) }
        return TechnicianGroup(id: try row.text("id"), organisationId: try row.text("organisation_id"),
                               name: try row.text("name"), permissions: permissions, parentId: row["parent_id"]?.string)
    }

    // MARK: Technicians

    public func insertTechnician(_ t: Technician) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO technicians (id, organisation_id, group_id, email, name, password_hash, role, disabled, language, created_at, options,
                managed_group_ids, deleted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(t.id), .text(t.organisationId), .optionalText(t.groupId), .text(t.email), .text(t.name),
             .text(t.passwordHash), .text(t.role.rawValue), .bool(t.disabled), .text(t.language), .date(t.createdAt),
             .json(t.options), t.managedGroupIds.map(SQLValue.json) ?? .null, .optionalDate(t.deletedAt)])
    }

    public func updateTechnician(_ t: Technician) async throws(StoreError) {
        _ = try await db.query(
            """
            UPDATE technicians SET group_id = ?, email = ?, name = ?, password_hash = ?, role = ?, disabled = ?, language = ?,
                options = ?, managed_group_ids = ?, deleted_at = ?
            WHERE id = ?
            """,
            [.optionalText(t.groupId), .text(t.email), .text(t.name), .text(t.passwordHash), .text(t.role.rawValue),
             .bool(t.disabled), .text(t.language), .json(t.options), t.managedGroupIds.map(SQLValue.json) ?? .null,
             .optionalDate(t.deletedAt), .text(t.id)])
    }

    public func technician(id: String) async throws(StoreError) -> Technician? {
        try await db.query("SELECT * FROM technicians WHERE id = ?", [.text(id)]).first.map(Self.technician(from:))
    }

    public func technician(email: String) async throws(StoreError) -> Technician? {
        try await db.query("SELECT * FROM technicians WHERE lower(email) = lower(?)", [.text(email)]).first.map(Self.technician(from:))
    }

    public func technicians(organisationId: String) async throws(StoreError) -> [Technician] {
        try await db.query("SELECT * FROM technicians WHERE organisation_id = ? AND deleted_at IS NULL ORDER BY name", [.text(organisationId)])
            .map(Self.technician(from:))
    }

    private static func technician(from row: SQLRow) throws(StoreError) -> Technician {
        guard let role = AccountRole(rawValue: try row.text("role")) else { throw StoreError("Unknown account role in the store.") }
        return Technician(
            id: try row.text("id"), organisationId: try row.text("organisation_id"), groupId: row["group_id"]?.string,
            email: try row.text("email"), name: try row.text("name"), passwordHash: try row.text("password_hash"),
            role: role, disabled: row["disabled"]?.int == 1, language: try row.text("language"),
            createdAt: try row.date("created_at"), options: try row.json("options") ?? .standard,
            managedGroupIds: try row.json("managed_group_ids"), deletedAt: row.optionalDate("deleted_at"))
    }

    // MARK: Session log

    public func appendLog(sessionId: String, at: Date, kind: LogEntry.Kind, authorRole: LogEntry.AuthorRole,
                          author: String, text: String, state: SessionState?, event: SessionLogEvent?) async throws(StoreError) -> LogEntry {
        let rows = try await db.query(
            "INSERT INTO session_log (session_id, at, kind, author_role, author, text, state, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [.text(sessionId), .date(at), .text(kind.rawValue), .text(authorRole.rawValue), .text(author), .text(text),
             .optionalText(state?.rawValue), event.map { SQLValue.json($0) } ?? .null])
        guard let id = rows.first?["id"]?.int else { throw StoreError("The log line was not stored.") }
        return LogEntry(id: id, sessionId: sessionId, at: at, kind: kind, authorRole: authorRole, author: author,
                        text: text, state: state, event: event)
    }

    public func log(sessionId: String, afterId: Int64?) async throws(StoreError) -> [LogEntry] {
        try await db.query("SELECT * FROM session_log WHERE session_id = ? AND id > ? ORDER BY id",
                           [.text(sessionId), .integer(afterId ?? 0)]).map { row throws(StoreError) in
            guard let kind = LogEntry.Kind(rawValue: try row.text("kind")),
                  let role = LogEntry.AuthorRole(rawValue: try row.text("author_role"))
            else { throw StoreError("A log row holds an unknown kind.") }
            return LogEntry(id: row["id"]?.int ?? 0, sessionId: try row.text("session_id"), at: try row.date("at"),
                            kind: kind, authorRole: role, author: try row.text("author"), text: try row.text("text"),
                            state: row["state"]?.string.flatMap(SessionState.init(rawValue:)), event: try row.json("event"))
        }
    }

    // MARK: Auth tokens

    public func insertToken(_ token: AuthTokenRecord) async throws(StoreError) {
        _ = try await db.query("INSERT INTO auth_tokens (token_hash, technician_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                               [.text(token.tokenHash), .text(token.technicianId), .date(token.createdAt), .date(token.expiresAt)])
    }

    public func token(hash: String) async throws(StoreError) -> AuthTokenRecord? {
        try await db.query("SELECT * FROM auth_tokens WHERE token_hash = ?", [.text(hash)]).first.map { row throws(StoreError) in
            AuthTokenRecord(tokenHash: try row.text("token_hash"), technicianId: try row.text("technician_id"),
                            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"))
        }
    }

    public func deleteToken(hash: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM auth_tokens WHERE token_hash = ?", [.text(hash)])
    }

    public func deleteTokens(technicianId: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM auth_tokens WHERE technician_id = ?", [.text(technicianId)])
    }

    // MARK: Settings

    public func setting(_ key: String) async throws(StoreError) -> String? {
        try await db.query("SELECT value FROM settings WHERE key = ?", [.text(key)]).first?["value"]?.string
    }

    public func setSetting(_ key: String, _ value: String?) async throws(StoreError) {
        if let value {
            _ = try await db.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   [.text(key), .text(value)])
        } else {
            _ = try await db.query("DELETE FROM settings WHERE key = ?", [.text(key)])
        }
    }

    public func takeSetting(_ key: String, ifEquals value: String) async throws(StoreError) -> Bool {
        !(try await db.query("DELETE FROM settings WHERE key = ? AND value = ? RETURNING key", [.text(key), .text(value)]).isEmpty)
    }
}

extension SQLValue {
    static func date(_ date: Date) -> SQLValue { .timestamp(date) }
    static func optionalDate(_ date: Date?) -> SQLValue { date.map(SQLValue.date) ?? .null }
    static func optionalText(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
    /// Small structured values (customer information, console options) are kept as JSON text.
    static func json(_ value: some Encodable) -> SQLValue {
        // Encoding our own plain value types cannot fail.
        .text(String(decoding: try! JSONEncoder().encode(value), as: UTF8.self))
    }
}

extension Dictionary where Key == String, Value == SQLValue {
    func text(_ column: String) throws(StoreError) -> String {
        guard let value = self[column]?.string else { throw StoreError("Column \(column) is missing or not text.") }
        return value
    }

    func date(_ column: String) throws(StoreError) -> Date {
        guard let value = self[column]?.double else { throw StoreError("Column \(column) is missing or not a time.") }
        return Date(timeIntervalSince1970: value)
    }

    func json<T: Decodable>(_ column: String) throws(StoreError) -> T? {
        guard let text = self[column]?.string else { return nil }
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw StoreError("Column \(column) holds unreadable JSON.")
        }
    }

    func optionalDate(_ column: String) -> Date? {
        self[column]?.double.map(Date.init(timeIntervalSince1970:))
    }
}
