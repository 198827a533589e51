import Foundation
import Logging

/// Where the two databases' SQL differs, the store asks the dialect.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The text at `key` of a JSON object kept in a text column.
    func jsonText(_ column: String, _ key: String) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), '$.\(key)')"
        case .postgres: "((\(column))::jsonb ->> '\(key)')"
        }
    }
}

/// One database as the repositories use it: statements with `?` placeholders and values in, rows
/// out. Written once per database (GRDB for SQLite, postgres-nio for PostgreSQL); everything
/// above it, the repositories included, is written once for both.
public protocol SQLDriver: Sendable {
    var dialect: SQLDialect { get }
    func query(_ sql: String, _ bindings: [SQLValue]) async throws(StoreError) -> [SQLRow]
    /// Runs the statements as one unit of work: all land or none. A statement marked
    /// `mustChangeARow` (it ends with RETURNING) that changes nothing throws `.conflict`, and
    /// nothing lands: the row moved on since it was read.
    func transaction(_ statements: [SQLStatement]) async throws(StoreError)
    /// Runs the reads in turn, then the statements `writes` makes of the last read's rows, as one
    /// unit of work. On PostgreSQL a lock taken by a read (`pg_advisory_xact_lock`) holds until it
    /// ends, so units of work on other connections — other gateway nodes — wait their turn, and a
    /// read after the lock sees what they wrote; on SQLite the one writer does that.
    func transaction(reading reads: [SQLStatement], writes: @Sendable ([SQLRow]) throws -> [SQLStatement]) async throws(StoreError)
    /// Applies the schema migrations this database has not had yet; returns how many ran.
    func migrate(_ migrations: [String]) async throws(StoreError) -> Int
    func close() async
}

/// Where the store lives: `sqlite:PATH` (or a bare path) or `postgres://user:password@host:port/database`
/// (`?host=/socket/dir` for a Unix socket).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var socketDirectory: String?
        public var user: String
        public var password: String?
        public var database: String
    }

    public init(_ text: String) throws(StoreError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let url = URLComponents(string: text), let user = url.user, !user.isEmpty else {
                throw StoreError("The database URL \(Self.redacted(text)) is not postgres://user@host/database.")
            }
            let database = String(url.path.drop { $0 == "/" })
            guard !database.isEmpty else { throw StoreError("The database URL \(Self.redacted(text)) names no database.") }
            let socket = url.queryItems?.first { $0.name == "host" }?.value
            self = .postgres(PostgresLocation(host: url.host ?? "127.0.0.1", port: url.port ?? 5432, socketDirectory: socket,
                                              user: user, password: url.password, database: database))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.contains("://") {
            throw StoreError("Unknown database URL \(Self.redacted(text)): use sqlite:PATH or postgres://user@host/database.")
        } else {
            self = .sqlite(path: text)
        }
    }

    /// For logs and messages: never the password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let p): "postgres://\(p.user)@\(p.socketDirectory ?? "\(p.host):\(p.port)")/\(p.database)"
        }
    }

    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "the given URL"
    }
}

/// What an operator (or the test suite) does on a PostgreSQL server before Lifeline uses it.
public enum PostgresAdministration {
    /// Creates the database `name` on the server `server` connects to, unless it exists, and
    /// returns where it is. `name` is lowercase letters, digits and underscores.
    public static func createDatabase(_ name: String, on server: DatabaseLocation, logger: Logger) async throws(StoreError) -> DatabaseLocation {
        guard case .postgres(var location) = server else { throw StoreError("\(server) is not a PostgreSQL server.") }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw StoreError("A database name is lowercase letters, digits and underscores: \(name).")
        }
        let driver = PostgresDriver(location, logger: logger)
        do {
            if try await driver.query("SELECT 1 AS found FROM pg_database WHERE datname = ?", [.text(name)]).isEmpty {
                _ = try await driver.query("CREATE DATABASE \(name)", [])
            }
        } catch {
            await driver.close()
            throw error
        }
        await driver.close()
        location.database = name
        return .postgres(location)
    }
}

/// One statement of a unit of work.
public struct SQLStatement: Sendable {
    let sql: String
    let bindings: [SQLValue]
    let mustChangeARow: Bool

    init(_ sql: String, _ bindings: [SQLValue] = [], mustChangeARow: Bool = false) {
        self.sql = sql
        self.bindings = bindings
        self.mustChangeARow = mustChangeARow
    }

    static let conflict = StoreError("The row was changed by someone else since it was read.", kind: .conflict)
}

extension SQLDriver {
    func query(_ sql: String) async throws(StoreError) -> [SQLRow] { try await query(sql, []) }
}
