import Foundation
import Logging

/// `lifeline-server migrate`: copies every row from one database into an empty one of the other
/// kind (SQLite → PostgreSQL, or back), table by table in the order their references need, so
/// sessions, logs and the audit chain arrive as they were (`audit verify` passes on the copy).
public enum DatabaseCopy {
    /// Tables in an order where every row's references are already there. Groups are copied
    /// parents first. Gateway nodes and session leases are not: they are the running gateways'
    /// state, which the gateways on the new database make again as they start.
    static let tables: [(name: String, order: String)] = [
        ("organisations", "id"), ("technician_groups", "parent_id IS NOT NULL, id"), ("technicians", "id"),
        ("auth_tokens", "token_hash"), ("channels", "id"), ("sessions", "created_at, id"),
        ("session_views", "session_id, technician_id"), ("session_log", "id"), ("session_notes", "session_id"),
        ("settings", "key"), ("file_transfers", "id"), ("recordings", "id"), ("replies", "id"),
        ("survey_settings", "scope, scope_id"), ("survey_responses", "id"), ("calling_cards", "id"), ("two_step", "technician_id"),
        ("external_collaborators", "id"), ("scripts", "id"), ("resume_tickets", "ticket_hash"), ("devices", "id"), ("device_enrolments", "token_hash"),
        ("audit_log", "sequence"),
    ]
    static let batch = 500

    public struct Report: Sendable {
        public var rows: [String: Int] = [:]
        public var total: Int { rows.values.reduce(0, +) }
    }

    /// Copies `source` into `destination`, which must hold no organisation yet.
    public static func copy(from source: DatabaseLocation, to destination: DatabaseLocation, logger: Logger) async throws(StoreError) -> Report {
        let from = try await SQLStore(source, logger: logger)
        let to: SQLStore
        do { to = try await SQLStore(destination, logger: logger) } catch {
            await from.close()
            throw error
        }
        do {
            let report = try await copy(from: from.db, to: to.db, logger: logger)
            await from.close()
            await to.close()
            return report
        } catch {
            await from.close()
            await to.close()
            throw error
        }
    }

    static func copy(from source: any SQLDriver, to destination: any SQLDriver, logger: Logger) async throws(StoreError) -> Report {
        guard try await destination.query("SELECT COUNT(*) AS n FROM organisations", []).first?["n"]?.int == 0 else {
            throw StoreError("The destination database already holds an organisation: copy only into an empty one.")
        }
        var report = Report()
        for table in tables {
            var offset = 0
            while true {
                let rows = try await source.query("SELECT * FROM \(table.name) ORDER BY \(table.order) LIMIT ? OFFSET ?",
                                                  [.integer(Int64(batch)), .integer(Int64(offset))])
                if rows.isEmpty { break }
                try await destination.transaction(rows.map { insert($0, into: table.name) })
                offset += rows.count
            }
            report.rows[table.name] = offset
            logger.info("Copied a table", metadata: ["table": "\(table.name)", "rows": "\(offset)"])
        }
        // The head followed the copied entries by trigger; the count of entries lost comes along.
        if let lost = try await source.query("SELECT lost FROM audit_head WHERE id = 1", []).first?["lost"]?.int, lost > 0 {
            _ = try await destination.query("UPDATE audit_head SET lost = ? WHERE id = 1", [.integer(lost)])
        }
        if destination.dialect == .postgres {
            // Log lines keep their numbers; new ones continue after the last.
            _ = try await destination.query("SELECT setval(pg_get_serial_sequence('session_log', 'id'), COALESCE((SELECT MAX(id) FROM session_log), 0) + 1, false)", [])
        }
        return report
    }

    /// A time column (named `at`, `…_at` or `held_since`) is bound as a time, whatever the source kept.
    static func insert(_ row: SQLRow, into table: String) -> SQLStatement {
        let columns = row.keys.sorted()
        let values = columns.map { column -> SQLValue in
            let value = row[column] ?? .null
            guard column == "at" || column.hasSuffix("_at") || column == "held_since", let seconds = value.double else { return value }
            return .timestamp(Date(timeIntervalSince1970: seconds))
        }
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        return SQLStatement(sql, values)
    }
}
