import Foundation
import GRDB
import Logging

/// The embedded default: one SQLite file through GRDB, in WAL mode with a pool of readers, so
/// reads never wait for a write and writes take turns on one connection.
final class SQLiteDriver: SQLDriver {
    let dialect = SQLDialect.sqlite
    private let pool: DatabasePool
    private let logger: Logger

    init(path: String, logger: Logger) throws(StoreError) {
        self.logger = logger
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError("Cannot open the database at \(path): \(Self.message(of: error))")
        }
    }

    func query(_ sql: String, _ bindings: [SQLValue]) async throws(StoreError) -> [SQLRow] {
        let arguments = Self.arguments(bindings)
        do {
            // A SELECT reads from the pool of readers; everything else goes through the one writer.
            if Self.isRead(sql) {
                return try await pool.read { db in try Self.rows(db, sql, arguments) }
            }
            return try await pool.write { db in try Self.rows(db, sql, arguments) }
        } catch {
            throw Self.storeError(error)
        }
    }

    func transaction(_ statements: [SQLStatement]) async throws(StoreError) {
        try await unitOfWork(reading: []) { _ in statements }
    }

    func transaction(reading reads: [SQLStatement], writes: @Sendable ([SQLRow]) throws -> [SQLStatement]) async throws(StoreError) {
        try await unitOfWork(reading: reads, writes)
    }

    private func unitOfWork(reading reads: [SQLStatement], _ writes: @Sendable ([SQLRow]) throws -> [SQLStatement]) async throws(StoreError) {
        do {
            try await pool.write { db in
                var rowsRead: [SQLRow] = []
                for read in reads { rowsRead = try Self.rows(db, read.sql, Self.arguments(read.bindings)) }
                for statement in try writes(rowsRead) {
                    let arguments = Self.arguments(statement.bindings)
                    if statement.mustChangeARow {
                        // Throwing inside the write rolls the whole unit back.
                        guard try !Row.fetchAll(db, sql: statement.sql, arguments: arguments).isEmpty else { throw SQLStatement.conflict }
                    } else {
                        try db.execute(sql: statement.sql, arguments: arguments)
                    }
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Rebuilding a table (SQLite's way to change a column) needs foreign keys off, which SQLite
    /// allows only outside a transaction; they are checked once every migration is in.
    func migrate(_ migrations: [String]) async throws(StoreError) -> Int {
        do {
            return try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                let current = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM schema_version") ?? 0
                guard current < migrations.count else { return 0 }
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                for (index, script) in migrations.enumerated() where index + 1 > current {
                    try db.inTransaction {
                        try db.execute(sql: script)
                        try db.execute(sql: "INSERT INTO schema_version (version) VALUES (?)", arguments: [index + 1])
                        return .commit
                    }
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                let broken = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
                guard broken.isEmpty else { throw StoreError("The migrated database has \(broken.count) broken references.") }
                return migrations.count - current
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    func close() async {
        do { try pool.close() } catch {
            // Closing only fails while statements are still running; the file stays consistent (WAL).
            logger.warning("Could not close the SQLite database", metadata: ["error": "\(error)"])
        }
    }

    private static func isRead(_ sql: String) -> Bool {
        let start = sql.drop { $0.isWhitespace }.prefix(6).uppercased()
        return start == "SELECT"
    }

    private static func arguments(_ bindings: [SQLValue]) -> StatementArguments {
        StatementArguments(bindings.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: nil
            case .integer(let i): i
            case .real(let d): d
            case .text(let s): s
            // The file has always kept times as REAL seconds since 1970.
            case .timestamp(let date): date.timeIntervalSince1970
            }
        })
    }

    private static func rows(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [SQLRow] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            var values = SQLRow()
            for (column, value) in row {
                switch value.storage {
                case .null: values[column] = .null
                case .int64(let i): values[column] = .integer(i)
                case .double(let d): values[column] = .real(d)
                case .string(let s): values[column] = .text(s)
                case .blob(let data): values[column] = .text(String(decoding: data, as: UTF8.self))
                }
            }
            return values
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else { return StoreError("SQLite: \(error)") }
        let kind: StoreError.Kind = switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: .uniqueViolation
        case .SQLITE_CONSTRAINT_FOREIGNKEY: .stillReferenced
        default: .other
        }
        return StoreError("SQL failed: \(message(of: error))", kind: kind)
    }

    static func message(of error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }
}
