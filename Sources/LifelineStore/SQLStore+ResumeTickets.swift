import Foundation

/// Resume tickets (M1–M3) in SQLite or PostgreSQL: `DELETE … RETURNING` uses a ticket up in one
/// statement, so two applets (or two gateways) presenting it at once cannot both win.
extension SQLStore {
    public func saveResumeTicket(hash: String, sessionId: String, expiresAt: Date) async throws(StoreError) {
        _ = try await db.query("INSERT INTO resume_tickets (ticket_hash, session_id, expires_at) VALUES (?, ?, ?)",
                               [.text(hash), .text(sessionId), .date(expiresAt)])
    }

    public func useResumeTicket(hash: String, now: Date) async throws(StoreError) -> String? {
        let rows = try await db.query("DELETE FROM resume_tickets WHERE ticket_hash = ? RETURNING session_id, expires_at", [.text(hash)])
        guard let row = rows.first, try row.date("expires_at") > now else { return nil }
        return try row.text("session_id")
    }

    public func dropResumeTickets(sessionId: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM resume_tickets WHERE session_id = ?", [.text(sessionId)])
    }
}
