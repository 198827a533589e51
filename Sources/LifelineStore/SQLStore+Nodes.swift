import Foundation

/// A gateway process as the cluster knows it (issue 20): how the others reach it, and when it
/// last said it was alive — both on the database's clock, which every node shares.
public struct GatewayNode: Sendable, Equatable {
    public let id: String
    public let address: String
    public let startedAt: Date
    public let heartbeatAt: Date
}

/// Which node holds a live session, and the fencing token of that holding: it grows by one each
/// time the session changes hands, so a write made under an older holding can be refused. A lease
/// lasts as long as its node's heartbeat is fresh: one heartbeat renews them all.
public struct SessionLease: Sendable, Equatable {
    public let sessionId: String
    public let nodeId: String
    public let fencing: Int64
}

/// What a node's write of a session carries: its id and the token of its lease. The write lands
/// only while that is the session's lease (or the session has none).
public struct LeaseFence: Sendable, Equatable {
    public let nodeId: String
    public let fencing: Int64

    public init(nodeId: String, fencing: Int64) {
        self.nodeId = nodeId
        self.fencing = fencing
    }
}

extension SQLDialect {
    /// The database's own clock: nodes agree on lease times whatever their own clocks say.
    var now: String {
        switch self {
        case .sqlite: "((julianday('now') - 2440587.5) * 86400.0)"
        case .postgres: "clock_timestamp()"
        }
    }

    /// The database's clock less a number of seconds bound as `?`.
    var nowMinusSeconds: String {
        switch self {
        case .sqlite: "(\(now) - ?)"
        case .postgres: "(clock_timestamp() - make_interval(secs => ?))"
        }
    }
}

/// Nodes and leases, each change one statement: of many nodes taking the same free lease, or one
/// whose node went silent, exactly one gets it (`INSERT … ON CONFLICT … WHERE … RETURNING`).
extension SQLStore {
    /// Registers this node (or refreshes it after a restart with the same id).
    public func registerNode(id: String, address: String) async throws(StoreError) -> GatewayNode {
        let now = db.dialect.now
        let rows = try await db.query("""
            INSERT INTO gateway_nodes (id, address, started_at, heartbeat_at) VALUES (?, ?, \(now), \(now))
            ON CONFLICT (id) DO UPDATE SET address = excluded.address, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
            RETURNING id, address, started_at, heartbeat_at
            """, [.text(id), .text(address)])
        guard let row = rows.first else { throw StoreError("The node was not registered.") }
        return try Self.node(from: row)
    }

    /// Says the node is alive; nil when it is not registered (removed as dead by another node).
    public func heartbeat(nodeId: String) async throws(StoreError) -> Date? {
        let rows = try await db.query("UPDATE gateway_nodes SET heartbeat_at = \(db.dialect.now) WHERE id = ? RETURNING heartbeat_at",
                                      [.text(nodeId)])
        return try rows.first?.date("heartbeat_at")
    }

    /// The nodes heard from within `seconds`, oldest first.
    public func nodes(heardWithin seconds: Double) async throws(StoreError) -> [GatewayNode] {
        let rows = try await db.query("""
            SELECT id, address, started_at, heartbeat_at FROM gateway_nodes WHERE heartbeat_at >= \(db.dialect.nowMinusSeconds) ORDER BY started_at, id
            """,
                                      [.real(seconds)])
        var nodes: [GatewayNode] = []
        for row in rows { nodes.append(try Self.node(from: row)) }
        return nodes
    }

    public func removeNode(id: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM gateway_nodes WHERE id = ?", [.text(id)])
    }

    /// Takes the session's lease: granted when it is free, this node's already, or its holder has
    /// not beaten for `staleAfter` seconds (dead, or cut off from the database); the fencing token
    /// grows only when the holder changes. Nil while a live node holds it.
    public func takeLease(sessionId: String, nodeId: String, staleAfter: Double) async throws(StoreError) -> SessionLease? {
        try await takeLeases(sessionIds: [sessionId], nodeId: nodeId, staleAfter: staleAfter).first
    }

    /// `takeLease` for many sessions, 500 to a statement (a gateway starting with thousands of
    /// live sessions, or thousands joining between two heartbeats); the leases granted.
    public func takeLeases(sessionIds: [String], nodeId: String, staleAfter: Double) async throws(StoreError) -> [SessionLease] {
        var granted: [SessionLease] = []
        for start in stride(from: 0, to: sessionIds.count, by: 500) {
            let batch = sessionIds[start..<min(start + 500, sessionIds.count)]
            let values = Array(repeating: "(?, ?, 1)", count: batch.count).joined(separator: ", ")
            let rows = try await db.query("""
                INSERT INTO session_leases (session_id, node_id, fencing) VALUES \(values)
                ON CONFLICT (session_id) DO UPDATE SET
                    fencing = CASE WHEN session_leases.node_id = excluded.node_id THEN session_leases.fencing ELSE session_leases.fencing + 1 END,
                    node_id = excluded.node_id
                WHERE session_leases.node_id = excluded.node_id OR NOT EXISTS (
                    SELECT 1 FROM gateway_nodes WHERE gateway_nodes.id = session_leases.node_id
                    AND gateway_nodes.heartbeat_at >= \(db.dialect.nowMinusSeconds))
                RETURNING session_id, node_id, fencing
                """, batch.flatMap { [SQLValue.text($0), .text(nodeId)] } + [.real(staleAfter)])
            for row in rows { granted.append(try Self.lease(from: row)) }
        }
        return granted
    }

    /// Takes the session's lease whoever holds it: its customer came back through this node, and a
    /// session is served where its customer is. The token grows when the holder changes, so the
    /// node that held it can no longer change the session.
    public func seizeLease(sessionId: String, nodeId: String) async throws(StoreError) -> SessionLease {
        let rows = try await db.query("""
            INSERT INTO session_leases (session_id, node_id, fencing) VALUES (?, ?, 1)
            ON CONFLICT (session_id) DO UPDATE SET
                fencing = CASE WHEN session_leases.node_id = excluded.node_id THEN session_leases.fencing ELSE session_leases.fencing + 1 END,
                node_id = excluded.node_id
            RETURNING session_id, node_id, fencing
            """, [.text(sessionId), .text(nodeId)])
        guard let row = rows.first else { throw StoreError("The session's lease was not taken.") }
        return try Self.lease(from: row)
    }

    /// The sessions the node holds now, with their tokens (one may have been taken over while it was cut off).
    public func leases(nodeId: String) async throws(StoreError) -> [String: Int64] {
        var held: [String: Int64] = [:]
        for row in try await db.query("SELECT session_id, node_id, fencing FROM session_leases WHERE node_id = ?", [.text(nodeId)]) {
            let lease = try Self.lease(from: row)
            held[lease.sessionId] = lease.fencing
        }
        return held
    }

    /// How many leases the node holds: a heartbeat reads the list only when this says it changed.
    public func leaseCount(nodeId: String) async throws(StoreError) -> Int {
        Int(try await db.query("SELECT COUNT(*) AS held FROM session_leases WHERE node_id = ?", [.text(nodeId)]).first?["held"]?.int ?? 0)
    }

    /// Gives up the node's leases of these sessions (they closed here), 500 to a statement.
    public func releaseLeases(nodeId: String, sessionIds: [String]) async throws(StoreError) {
        for start in stride(from: 0, to: sessionIds.count, by: 500) {
            let batch = sessionIds[start..<min(start + 500, sessionIds.count)]
            _ = try await db.query("DELETE FROM session_leases WHERE node_id = ? AND session_id IN (\(Array(repeating: "?", count: batch.count).joined(separator: ", ")))",
                                   [.text(nodeId)] + batch.map { SQLValue.text($0) })
        }
    }

    /// Gives up the node's leases (a graceful stop): other nodes may take the sessions at once.
    public func releaseLeases(nodeId: String) async throws(StoreError) -> Int {
        try await db.query("DELETE FROM session_leases WHERE node_id = ? RETURNING session_id", [.text(nodeId)]).count
    }

    /// Which node holds each leased session (a node catching up on the sessions other nodes serve).
    public func leaseHolders() async throws(StoreError) -> [String: String] {
        var holders: [String: String] = [:]
        for row in try await db.query("SELECT session_id, node_id, fencing FROM session_leases", []) {
            let lease = try Self.lease(from: row)
            holders[lease.sessionId] = lease.nodeId
        }
        return holders
    }

    public func lease(sessionId: String) async throws(StoreError) -> SessionLease? {
        try await db.query("SELECT session_id, node_id, fencing FROM session_leases WHERE session_id = ?", [.text(sessionId)])
            .first.map(Self.lease(from:))
    }

    static func node(from row: SQLRow) throws(StoreError) -> GatewayNode {
        GatewayNode(id: try row.text("id"), address: try row.text("address"), startedAt: try row.date("started_at"),
                    heartbeatAt: try row.date("heartbeat_at"))
    }

    static func lease(from row: SQLRow) throws(StoreError) -> SessionLease {
        guard let fencing = row["fencing"]?.int else { throw StoreError("Column fencing is missing or not a number.") }
        return SessionLease(sessionId: try row.text("session_id"), nodeId: try row.text("node_id"), fencing: fencing)
    }
}
