import Logging
import PostgresNIO

/// Short signals between gateway nodes on one PostgreSQL (issue 20): `NOTIFY` on one channel, heard
/// by every node `LISTEN`ing on a connection of its own. For control only — a session changed, a
/// log line was written — never screen frames or input; a payload stays far below PostgreSQL's
/// 8,000 bytes. A signal sent while a node was not listening is lost to it: a node catches up from
/// the tables each time it starts listening (`ready`).
public protocol ClusterSignals: Sendable {
    func send(_ payload: String) async throws(StoreError)
    /// Listens until cancelled or the connection fails (it throws then): `ready` once listening,
    /// then `received` for each payload, one at a time, in the order they were sent.
    func listen(ready: @Sendable () async -> Void, received: @Sendable (String) async -> Void) async throws
}

extension PostgresDriver: ClusterSignals {
    static let signalChannel = "lifeline_cluster"

    func send(_ payload: String) async throws(StoreError) {
        _ = try await query("SELECT COUNT(*) AS sent FROM (SELECT pg_notify(?, ?)) AS signal", [.text(Self.signalChannel), .text(payload)])
    }

    func listen(ready: @Sendable () async -> Void, received: @Sendable (String) async -> Void) async throws {
        // A connection of the pool held for as long as the node listens: the pool's others stay for queries.
        try await client.withConnection { connection in
            try await connection.listen(on: Self.signalChannel) { notifications in
                await ready()
                for try await notification in notifications { await received(notification.payload) }
            }
        }
    }
}
