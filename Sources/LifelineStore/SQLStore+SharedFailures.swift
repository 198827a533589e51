import Foundation

/// A failure one gateway node counted and every node must count too (issue 20): a wrong PIN or
/// link, a failed sign-in, or a sign-in that cleared an account's failures. Its age is measured on
/// the database's clock, so nodes whose clocks differ place it alike.
public struct SharedFailure: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case wrongGuess = "wrong_guess"
        case signInFailed = "sign_in_failed"
        case signInSucceeded = "sign_in_succeeded"
    }

    public let id: Int64
    public let nodeId: String
    public let kind: Kind
    public let key: String
    /// Seconds since it was recorded.
    public let age: Double
}

/// Failures are written by the node that saw them and read by the others before they decide on an
/// attempt: limits hold for the cluster, not per node.
extension SQLStore {
    public func recordSharedFailure(nodeId: String, kind: SharedFailure.Kind, key: String) async throws(StoreError) {
        _ = try await db.query("INSERT INTO shared_failures (node_id, kind, key, at) VALUES (?, ?, ?, \(db.dialect.now))",
                               [.text(nodeId), .text(kind.rawValue), .text(key)])
    }

    /// The failures of these kinds other nodes recorded within the last `seconds`, oldest first.
    public func sharedFailures(of kinds: [SharedFailure.Kind], notFrom nodeId: String,
                               withinSeconds seconds: Double) async throws(StoreError) -> [SharedFailure] {
        let age = switch db.dialect {
        case .sqlite: "(\(db.dialect.now) - at)"
        case .postgres: "EXTRACT(EPOCH FROM (clock_timestamp() - at))::float8"
        }
        let rows = try await db.query("""
            SELECT id, node_id, kind, key, \(age) AS age FROM shared_failures
            WHERE at >= \(db.dialect.nowMinusSeconds) AND node_id <> ? AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))
            ORDER BY at, id
            """, [.real(seconds), .text(nodeId)] + kinds.map { .text($0.rawValue) })
        var failures: [SharedFailure] = []
        for row in rows {
            guard let id = row["id"]?.int else { throw StoreError("Column id is missing or not a number.") }
            let kindText = try row.text("kind")
            guard let kind = SharedFailure.Kind(rawValue: kindText) else { continue }  // written by a newer node
            guard let age = row["age"]?.double else { throw StoreError("Column age is missing or not a number.") }
            failures.append(SharedFailure(id: id, nodeId: try row.text("node_id"), kind: kind, key: try row.text("key"), age: age))
        }
        return failures
    }

    /// Forgets failures no limit looks back to any more.
    public func forgetSharedFailures(olderThanSeconds seconds: Double) async throws(StoreError) -> Int {
        try await db.query("DELETE FROM shared_failures WHERE at < \(db.dialect.nowMinusSeconds) RETURNING id", [.real(seconds)]).count
    }
}
