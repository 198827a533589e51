import Foundation
import Metrics

/// Every statement's time, for the operator's dashboards (`lifeline_store_seconds`, by kind), through
/// swift-metrics: nothing is recorded until the server picks a metrics backend.
struct TimedSQLDriver: SQLDriver {
    let base: any SQLDriver
    private let queries = Metrics.Timer(label: "lifeline_store_seconds", dimensions: [("operation", "query")])
    private let transactions = Metrics.Timer(label: "lifeline_store_seconds", dimensions: [("operation", "transaction")])

    init(_ base: any SQLDriver) { self.base = base }

    var dialect: SQLDialect { base.dialect }

    func query(_ sql: String, _ bindings: [SQLValue]) async throws(StoreError) -> [SQLRow] {
        try await queries.measure { () async throws(StoreError) in try await base.query(sql, bindings) }
    }

    func transaction(_ statements: [SQLStatement]) async throws(StoreError) {
        try await transactions.measure { () async throws(StoreError) in try await base.transaction(statements) }
    }

    func transaction(reading reads: [SQLStatement], writes: @Sendable ([SQLRow]) throws -> [SQLStatement]) async throws(StoreError) {
        try await transactions.measure { () async throws(StoreError) in try await base.transaction(reading: reads, writes: writes) }
    }

    func migrate(_ migrations: [String]) async throws(StoreError) -> Int { try await base.migrate(migrations) }

    func close() async { await base.close() }
}
