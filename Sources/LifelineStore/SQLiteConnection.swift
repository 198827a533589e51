import CSQLite
import Foundation

/// A value bound to or read from an SQL statement.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var string: String? { if case .text(let s) = self { s } else { nil } }
    public var int: Int64? { if case .integer(let i) = self { i } else { nil } }
    public var double: Double? {
        switch self {
        case .real(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
}

public typealias SQLRow = [String: SQLValue]

public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// A UNIQUE constraint refused the row (duplicate email, PIN …).
    public var isConstraintViolation: Bool { message.contains("UNIQUE constraint failed") }
}

/// One SQLite database file. Every call runs on one serial queue, so the connection is never
/// used by two threads at once and async callers never block the cooperative thread pool.
public final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let queue = DispatchQueue(label: "lifeline.sqlite")

    public init(path: String) throws(StoreError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw StoreError("Cannot open the database at \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5_000)
        try executeNow("PRAGMA journal_mode = WAL")
        try executeNow("PRAGMA foreign_keys = ON")
        try executeNow("PRAGMA synchronous = NORMAL")
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs `sql` with `bindings` and returns the rows it produced.
    /// A script cut into its statements; a trigger's body (BEGIN … END) has semicolons of its own,
    /// so pieces are joined until SQLite says the statement is complete.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var pending = ""
        for piece in script.split(separator: ";", omittingEmptySubsequences: false) {
            pending += pending.isEmpty ? String(piece) : ";" + piece
            let candidate = pending.trimmingCharacters(in: .whitespacesAndNewlines)
            if candidate.isEmpty {
                pending = ""
            } else if sqlite3_complete(candidate + ";") != 0 {
                statements.append(candidate)
                pending = ""
            }
        }
        let rest = pending.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }

    public func query(_ sql: String, _ bindings: [SQLValue] = []) async throws(StoreError) -> [SQLRow] {
        let result: Result<[SQLRow], StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try self.run(sql, bindings)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs several statements as one transaction: all land or none.
    public func transaction(_ statements: [(String, [SQLValue])]) async throws(StoreError) {
        let result: Result<Void, StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(StoreError) {
                    try self.executeNow("BEGIN IMMEDIATE")
                    do throws(StoreError) {
                        for (sql, bindings) in statements { _ = try self.run(sql, bindings) }
                        try self.executeNow("COMMIT")
                        continuation.resume(returning: .success(()))
                    } catch {
                        try? self.executeNow("ROLLBACK")
                        continuation.resume(returning: .failure(error))
                    }
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }


    /// Runs a statement without bindings on the caller's thread; for set-up only.
    func executeNow(_ sql: String) throws(StoreError) {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw StoreError("SQL failed: \(message)")
        }
    }

    private func run(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> [SQLRow] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError("SQL could not be prepared: \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        // SQLITE_TRANSIENT: SQLite copies the bytes before we return.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, value) in bindings.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, position)
            case .integer(let i): sqlite3_bind_int64(statement, position, i)
            case .real(let d): sqlite3_bind_double(statement, position, d)
            case .text(let s): sqlite3_bind_text(statement, position, s, -1, transient)
            }
        }
        var rows: [SQLRow] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                throw StoreError("SQL failed: \(String(cString: sqlite3_errmsg(handle)))")
            }
            var row = SQLRow()
            for column in 0..<sqlite3_column_count(statement) {
                let name = String(cString: sqlite3_column_name(statement, column))
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: row[name] = .integer(sqlite3_column_int64(statement, column))
                case SQLITE_FLOAT: row[name] = .real(sqlite3_column_double(statement, column))
                case SQLITE_TEXT: row[name] = .text(String(cString: sqlite3_column_text(statement, column)))
                default: row[name] = .null
                }
            }
            rows.append(row)
        }
        return rows
    }
}
