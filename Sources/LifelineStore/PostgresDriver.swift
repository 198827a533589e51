import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// PostgreSQL through postgres-nio's pooled client. The pool runs for as long as the driver does
/// (`close()` ends it); statements keep the repositories' `?` placeholders, numbered here.
final class PostgresDriver: SQLDriver {
    let dialect = SQLDialect.postgres
    let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger: Logger

    init(_ location: DatabaseLocation.PostgresLocation, logger: Logger) {
        var configuration: PostgresClient.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: "\(directory)/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
        } else {
            let loopback = ["127.0.0.1", "localhost", "::1"].contains(location.host)
            configuration = .init(host: location.host, port: location.port, username: location.user, password: location.password,
                                  database: location.database, tls: loopback ? .disable : .prefer(.makeClientConfiguration()))
        }
        configuration.options.maximumConnections = 20
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // The pool's connections live inside run(); the driver owns it and close() ends it.
        running = Task { await client.run() }
    }

    func query(_ sql: String, _ bindings: [SQLValue]) async throws(StoreError) -> [SQLRow] {
        do {
            let rows = try await client.query(try Self.query(sql, bindings), logger: logger)
            var result: [SQLRow] = []
            for try await row in rows { result.append(try Self.values(of: row)) }
            return result
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
            let logger = self.logger
            try await client.withTransaction(logger: logger) { connection in
                var rowsRead: [SQLRow] = []
                for read in reads {
                    rowsRead = []
                    for try await row in try await connection.query(try Self.query(read.sql, read.bindings), logger: logger) {
                        rowsRead.append(try Self.values(of: row))
                    }
                }
                for statement in try writes(rowsRead) {
                    let rows = try await connection.query(try Self.query(statement.sql, statement.bindings), logger: logger)
                    var changed = 0
                    for try await _ in rows { changed += 1 }
                    // Throwing inside the transaction rolls the whole unit back.
                    if statement.mustChangeARow && changed == 0 { throw SQLStatement.conflict }
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// One transaction per migration; PostgreSQL changes tables inside transactions.
    func migrate(_ migrations: [String]) async throws(StoreError) -> Int {
        _ = try await query("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)", [])
        let current = Int(try await query("SELECT MAX(version) AS v FROM schema_version", []).first?["v"]?.int ?? 0)
        guard current < migrations.count else { return 0 }
        for (index, script) in migrations.enumerated() where index + 1 > current {
            try await transaction(PostgresSchema.statements(of: script).map { SQLStatement($0) }
                                  + [SQLStatement("INSERT INTO schema_version (version) VALUES (?)", [.integer(Int64(index + 1))])])
        }
        return migrations.count - current
    }

    func close() async {
        running.cancel()
        await running.value
    }

    /// `?` → `$1`, `$2` … outside quoted text.
    static func numbered(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func query(_ sql: String, _ bindings: [SQLValue]) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: bindings.count)
        for value in bindings {
            switch value {
            case .null: binds.appendNull()
            case .integer(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .timestamp(let date): binds.append(date)
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: binds)
    }

    private static func values(of row: PostgresRow) throws -> SQLRow {
        var values = SQLRow()
        for cell in row {
            guard cell.bytes != nil else {
                values[cell.columnName] = .null
                continue
            }
            switch cell.dataType {
            case .int2, .int4, .int8: values[cell.columnName] = .integer(try cell.decode(Int64.self))
            case .float4, .float8, .numeric: values[cell.columnName] = .real(try cell.decode(Double.self))
            case .bool: values[cell.columnName] = .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .timestamptz, .timestamp: values[cell.columnName] = .real(try cell.decode(Date.self).timeIntervalSince1970)
            default: values[cell.columnName] = .text(try cell.decode(String.self))
            }
        }
        return values
    }

    static func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        // A failed unit of work: what went wrong inside it, or else at BEGIN or COMMIT.
        if let failed = error as? PostgresTransactionError,
           let cause = failed.closureError ?? failed.beginError ?? failed.commitError ?? failed.rollbackError {
            return storeError(cause)
        }
        guard let error = error as? PSQLError else { return StoreError("PostgreSQL: \(String(reflecting: error))") }
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        let kind: StoreError.Kind = switch error.serverInfo?[.sqlState] {
        case "23505": .uniqueViolation
        case "23503": .stillReferenced
        default: .other
        }
        return StoreError("SQL failed: \(message)", kind: kind)
    }
}
