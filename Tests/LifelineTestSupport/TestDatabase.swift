import Foundation
import LifelineStore
import Logging

/// The databases the tests run against: the SQLite file always, and PostgreSQL as well when
/// LIFELINE_TEST_POSTGRES names a server (`scripts/test.sh` starts a throw-away one).
public enum TestDatabase: String, Sendable {
    case sqlite
    case postgres


    /// The server from the environment, e.g. postgres://postgres@localhost:55432/postgres?host=/tmp/dir.
    public static var postgresServer: DatabaseLocation? {
        guard let text = ProcessInfo.processInfo.environment["LIFELINE_TEST_POSTGRES"], !text.isEmpty else { return nil }
        do { return try DatabaseLocation(text) } catch { fatalError("LIFELINE_TEST_POSTGRES: \(error)") }
    }

    /// Every database kind this run can reach.
    public static var available: [TestDatabase] { postgresServer == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// The kind the gateway suites use: PostgreSQL when a server is named, else SQLite.
    public static var preferred: TestDatabase { postgresServer == nil ? .sqlite : .postgres }

    /// The database of a gateway's data folder: its SQLite file, or a PostgreSQL database named after the folder.
    public func location(forDataDirectory folder: String) async throws -> DatabaseLocation {
        try await location(for: URL(fileURLWithPath: folder).lastPathComponent, in: folder)
    }

    /// A database of this kind for `key` (a folder for SQLite; the same key gives the same database,
    /// so a test can restart a gateway on it).
    public func location(for key: String, in folder: String) async throws -> DatabaseLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: "\(folder)/lifeline.sqlite")
        case .postgres:
            guard let server = Self.postgresServer else { throw StoreError("LIFELINE_TEST_POSTGRES is not set.") }
            let name = "t_" + key.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
            var logger = Logger(label: "lifeline-test-database")
            logger.logLevel = .warning
            return try await PostgresAdministration.createDatabase(String(name.prefix(63)), on: server, logger: logger)
        }
    }
}
