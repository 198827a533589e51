import Foundation
import LifelineCore

/// External collaborators (I2) in the SQLite store.
extension SQLStore {
    public func saveExternalCollaborator(_ collaborator: ExternalCollaborator) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO external_collaborators (id, session_id, organisation_id, invited_by, name, email, language, approved,
                link_token_hash, pin, token_hash, state, state_entered_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, link_token_hash = excluded.link_token_hash, pin = excluded.pin,
                token_hash = excluded.token_hash, state = excluded.state, state_entered_at = excluded.state_entered_at
            """,
            [.text(collaborator.id), .text(collaborator.sessionId), .text(collaborator.organisationId), .text(collaborator.invitedBy),
             .text(collaborator.name), .optionalText(collaborator.email), .text(collaborator.language), .bool(collaborator.approved),
             .optionalText(collaborator.linkTokenHash), .optionalText(collaborator.pin), .optionalText(collaborator.tokenHash),
             .text(collaborator.view.state.rawValue), .date(collaborator.view.stateEnteredAt), .date(collaborator.createdAt)])
    }

    /// Every collaborator still invited or collaborating, to reload after a restart.
    public func openExternalCollaborators() async throws(StoreError) -> [ExternalCollaborator] {
        let rows = try await db.query(
            "SELECT * FROM external_collaborators WHERE state NOT IN ('closed', 'closed_by_customer', 'closed_by_customer_waiting') ORDER BY created_at", [])
        var result: [ExternalCollaborator] = []
        for row in rows { result.append(try Self.externalCollaborator(from: row)) }
        return result
    }

    static func externalCollaborator(from row: SQLRow) throws(StoreError) -> ExternalCollaborator {
        guard let state = SessionState(rawValue: try row.text("state")) else { throw StoreError("unknown collaborator state") }
        let createdAt = try row.date("created_at")
        let view = SessionMachine(restoring: state, role: .collaborator, resumeState: nil, createdAt: createdAt,
                                  stateEnteredAt: try row.date("state_entered_at"), heldSince: nil, lastActivityAt: createdAt)
        return ExternalCollaborator(id: try row.text("id"), sessionId: try row.text("session_id"), organisationId: try row.text("organisation_id"),
                                    invitedBy: try row.text("invited_by"), name: try row.text("name"), email: row["email"]?.string,
                                    language: try row.text("language"), approved: row["approved"]?.int == 1,
                                    linkTokenHash: row["link_token_hash"]?.string, pin: row["pin"]?.string, tokenHash: row["token_hash"]?.string,
                                    view: view, createdAt: createdAt)
    }
}
