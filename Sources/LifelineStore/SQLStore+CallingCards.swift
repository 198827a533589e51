import Foundation
import LifelineCore

/// Calling Cards (F3) in the SQLite store; the logo is kept as base64 text.
extension SQLStore {
    public func saveCallingCard(_ card: CallingCard) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO calling_cards (id, organisation_id, design, logo_base64, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET design = excluded.design, logo_base64 = excluded.logo_base64
            """,
            [.text(card.id), .text(card.organisationId), .json(card.design),
             .optionalText(card.logo.map { Data($0).base64EncodedString() }), .date(card.createdAt)])
    }

    public func deleteCallingCard(id: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM calling_cards WHERE id = ?", [.text(id)])
    }

    public func callingCard(id: String) async throws(StoreError) -> CallingCard? {
        try await db.query("SELECT * FROM calling_cards WHERE id = ?", [.text(id)]).first.map(Self.callingCard(from:))
    }

    public func callingCards(organisationId: String) async throws(StoreError) -> [CallingCard] {
        try await db.query("SELECT * FROM calling_cards WHERE organisation_id = ? ORDER BY created_at, id", [.text(organisationId)])
            .map(Self.callingCard(from:))
    }

    static func callingCard(from row: SQLRow) throws(StoreError) -> CallingCard {
        let design: CallingCardDesign? = try row.json("design")
        guard let design else { throw StoreError("A Calling Card row has no design.") }
        return CallingCard(id: try row.text("id"), organisationId: try row.text("organisation_id"), design: design,
                           logo: row["logo_base64"]?.string.flatMap { Data(base64Encoded: $0) }.map(Array.init),
                           createdAt: try row.date("created_at"))
    }
}
