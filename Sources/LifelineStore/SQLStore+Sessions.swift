import Foundation
import LifelineCore
import LifelineProtocol

/// Sessions: the owner's state machine on `sessions`, other technicians' views on `session_views`.
extension SQLStore {
    static let sessionColumns = [
        "id", "organisation_id", "technician_id", "name", "method", "pin", "link_token_hash", "applet_token_hash",
        "state", "role", "resume_state", "created_at", "state_entered_at", "held_since", "last_activity_at",
        "customer", "closed_at", "transfer_from", "transfer_to", "transfer_comment", "transfer_at", "transferred_by",
        "channel_id", "fields", "chat_disabled", "end_reason", "session_type", "platform",
    ]

    /// The columns a state machine is kept in, on `sessions` (the owner's view) and `session_views`.
    static func values(of m: SessionMachine) -> [SQLValue] {
        [.text(m.state.rawValue), .text(m.role.rawValue), .optionalText(m.resumeState?.rawValue),
         .date(m.createdAt), .date(m.stateEnteredAt), .optionalDate(m.heldSince), .date(m.lastActivityAt)]
    }

    static func machine(from row: SQLRow) throws(StoreError) -> SessionMachine {
        guard let state = SessionState(rawValue: try row.text("state")),
              let role = SessionMachine.Role(rawValue: try row.text("role"))
        else { throw StoreError("A session row holds an unknown state or role.") }
        return SessionMachine(
            restoring: state, role: role, resumeState: row["resume_state"]?.string.flatMap(SessionState.init(rawValue:)),
            createdAt: try row.date("created_at"), stateEnteredAt: try row.date("state_entered_at"),
            heldSince: row.optionalDate("held_since"), lastActivityAt: try row.date("last_activity_at"))
    }

    static func values(of s: SessionRecord) -> [SQLValue] {
        return [.text(s.id), .text(s.organisationId), .optionalText(s.technicianId), .text(s.name), .text(s.method.rawValue),
                .optionalText(s.pin), .optionalText(s.linkTokenHash), .optionalText(s.appletTokenHash)]
            + values(of: s.machine)
            + [s.customer.map(SQLValue.json) ?? .null, .optionalDate(s.closedAt), .optionalText(s.transfer?.fromTechnicianId),
               .optionalText(s.transfer?.to.storageValue), .optionalText(s.transfer?.comment),
               .optionalDate(s.transfer?.at), .optionalText(s.transferredBy), .optionalText(s.channelId),
               s.fields.isEmpty ? .null : .json(s.fields), .bool(s.chatDisabled), .optionalText(s.endReason?.rawValue),
               .text(s.sessionType.rawValue), .optionalText(s.platform?.rawValue)]
    }

    /// The statements that replace a session's other views with `session.otherViews`.
    static func viewStatements(of session: SessionRecord) -> [SQLStatement] {
        [SQLStatement("DELETE FROM session_views WHERE session_id = ?", [.text(session.id)])]
            + session.otherViews.sorted { $0.key < $1.key }.map { technicianId, machine in
                SQLStatement("""
                INSERT INTO session_views (session_id, technician_id, state, role, resume_state, created_at,
                    state_entered_at, held_since, last_activity_at, invited_by, permissions, comment, lead_offered)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(session.id), .text(technicianId)] + values(of: machine) + values(of: session.collaborations[technicianId]))
            }
    }

    static func values(of terms: CollaborationTerms?) -> [SQLValue] {
        guard let terms else { return [.null, .null, .null, .bool(false)] }
        return [.text(terms.invitedBy), terms.permissions.map { .json($0.map(\.rawValue)) } ?? .null, .text(terms.comment),
                .bool(terms.leadOffered)]
    }

    static func terms(from row: SQLRow) throws(StoreError) -> CollaborationTerms? {
        guard let invitedBy = row["invited_by"]?.string else { return nil }
        let names: [String]? = try row.json("permissions")
        // A permission this version does not know (written by a newer one) is left out.
        return CollaborationTerms(invitedBy: invitedBy, permissions: names?.compactMap(Permission.init(rawValue:)),
                                  comment: row["comment"]?.string ?? "", leadOffered: row["lead_offered"]?.int == 1)
    }

    public func insertSession(_ session: SessionRecord) async throws(StoreError) {
        let columns = Self.sessionColumns
        try await db.transaction([SQLStatement(
            "INSERT INTO sessions (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
            Self.values(of: session))] + Self.viewStatements(of: session))
    }

    @discardableResult
    public func updateSession(_ session: SessionRecord, viewsChanged: Bool, fence: LeaseFence?) async throws(StoreError) -> Int64 {
        let columns = Self.sessionColumns.dropFirst()
        // Fenced (issue 20): a node whose lease another node has taken since cannot write.
        let fenced = fence == nil ? "" : """
             AND NOT EXISTS (SELECT 1 FROM session_leases WHERE session_leases.session_id = sessions.id
             AND (session_leases.node_id <> ? OR session_leases.fencing <> ?))
            """
        let update = SQLStatement(
            "UPDATE sessions SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")), version = version + 1 WHERE id = ? AND version = ?\(fenced) RETURNING version",
            Array(Self.values(of: session).dropFirst()) + [.text(session.id), .integer(session.version)]
                + (fence.map { [SQLValue.text($0.nodeId), .integer($0.fencing)] } ?? []), mustChangeARow: true)
        if viewsChanged {
            try await db.transaction([update] + Self.viewStatements(of: session))
        } else if try await db.query(update.sql, update.bindings).isEmpty {
            // Most changes (a join, a hello, a chat switch) leave the views alone: one round trip.
            throw SQLStatement.conflict
        }
        return session.version + 1
    }

    public func session(id: String) async throws(StoreError) -> SessionRecord? {
        try await sessions(where: "id = ?", [.text(id)]).first
    }

    public func session(pin: String) async throws(StoreError) -> SessionRecord? {
        try await sessions(where: "pin = ?", [.text(pin)]).first
    }

    public func session(linkTokenHash: String) async throws(StoreError) -> SessionRecord? {
        try await sessions(where: "link_token_hash = ?", [.text(linkTokenHash)]).first
    }

    public func session(appletTokenHash: String) async throws(StoreError) -> SessionRecord? {
        try await sessions(where: "applet_token_hash = ?", [.text(appletTokenHash)]).first
    }

    public func liveSessions() async throws(StoreError) -> [SessionRecord] {
        try await sessions(where: "closed_at IS NULL ORDER BY created_at, id", [])
    }

    public func closedSessions(technicianId: String, limit: Int) async throws(StoreError) -> [SessionRecord] {
        try await sessions(where: "technician_id = ? AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT ?",
                           [.text(technicianId), .integer(Int64(limit))])
    }


    public func sessions(organisationId: String, createdFrom from: Date, to: Date) async throws(StoreError) -> [SessionRecord] {
        try await sessions(where: "organisation_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id",
                           [.text(organisationId), .date(from), .date(to)])
    }

    public func stateChanges(organisationId: String, createdFrom from: Date, to: Date) async throws(StoreError) -> [String: [SessionTiming.Change]] {
        let rows = try await db.query(
            """
            SELECT l.session_id, l.at, l.state FROM session_log l JOIN sessions s ON s.id = l.session_id
            WHERE s.organisation_id = ? AND s.created_at >= ? AND s.created_at < ? AND l.kind = 'status' AND l.state IS NOT NULL
            ORDER BY l.id
            """, [.text(organisationId), .date(from), .date(to)])
        var changes: [String: [SessionTiming.Change]] = [:]
        for row in rows {
            guard let state = row["state"]?.string.flatMap(SessionState.init(rawValue:)) else { continue }
            changes[try row.text("session_id"), default: []].append(SessionTiming.Change(at: try row.date("at"), state: state))
        }
        return changes
    }

    public func sessions(organisationId: String, deviceId: String, limit: Int) async throws(StoreError) -> [SessionRecord] {
        try await sessions(where: "organisation_id = ? AND \(db.dialect.jsonText("customer", "deviceId")) = ? ORDER BY created_at DESC LIMIT ?",
                           [.text(organisationId), .text(deviceId), .integer(Int64(limit))])
    }

    public func notes(sessionId: String) async throws(StoreError) -> SessionNotes? {
        guard let row = try await db.query("SELECT * FROM session_notes WHERE session_id = ?", [.text(sessionId)]).first else { return nil }
        return SessionNotes(sessionId: try row.text("session_id"), text: try row.text("text"), updatedBy: try row.text("updated_by"),
                            updatedAt: try row.date("updated_at"))
    }

    public func saveNotes(_ notes: SessionNotes) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO session_notes (session_id, text, updated_by, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(session_id) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, [.text(notes.sessionId), .text(notes.text), .text(notes.updatedBy), .date(notes.updatedAt)])
    }

    /// The sessions and their views in two queries, however many sessions match.
    func sessions(where clause: String, _ bindings: [SQLValue]) async throws(StoreError) -> [SessionRecord] {
        var records = try await db.query("SELECT * FROM sessions WHERE \(clause)", bindings).map(Self.session(from:))
        guard !records.isEmpty else { return [] }
        let positions = Dictionary(uniqueKeysWithValues: records.indices.map { (records[$0].id, $0) })
        let views = try await db.query("SELECT * FROM session_views WHERE session_id IN (SELECT id FROM sessions WHERE \(clause))", bindings)
        for row in views {
            guard let index = positions[try row.text("session_id")] else { continue }
            let technicianId = try row.text("technician_id")
            records[index].otherViews[technicianId] = try Self.machine(from: row)
            if let terms = try Self.terms(from: row) { records[index].collaborations[technicianId] = terms }
        }
        return records
    }

    static func session(from row: SQLRow) throws(StoreError) -> SessionRecord {
        guard let method = ConnectionMethod(rawValue: try row.text("method")) else {
            throw StoreError("A session row holds an unknown connection method.")
        }
        let machine = try machine(from: row)
        var transfer: PendingTransfer?
        if let from = row["transfer_from"]?.string, let to = row["transfer_to"]?.string, let at = row.optionalDate("transfer_at") {
            transfer = PendingTransfer(fromTechnicianId: from, to: TransferTarget(storageValue: to),
                                       comment: row["transfer_comment"]?.string ?? "", at: at)
        }
        let customer: CustomerInfo? = try row.json("customer")
        var record = SessionRecord(
            id: try row.text("id"), organisationId: try row.text("organisation_id"),
            technicianId: row["technician_id"]?.string, name: try row.text("name"), method: method,
            pin: row["pin"]?.string, linkTokenHash: row["link_token_hash"]?.string,
            appletTokenHash: row["applet_token_hash"]?.string, machine: machine, customer: customer,
            closedAt: row.optionalDate("closed_at"), transfer: transfer, transferredBy: row["transferred_by"]?.string,
            channelId: row["channel_id"]?.string, fields: try row.json("fields") ?? [:], chatDisabled: row["chat_disabled"]?.int == 1)
        record.version = row["version"]?.int ?? 0
        record.endReason = row["end_reason"]?.string.flatMap(SessionEnd.init(rawValue:))
        guard let type = SessionType(rawValue: row["session_type"]?.string ?? SessionType.standard.rawValue) else {
            throw StoreError("A session row holds an unknown session type.")
        }
        record.sessionType = type
        record.platform = row["platform"]?.string.flatMap(CustomerPlatform.init(rawValue:))
        return record
    }
}
