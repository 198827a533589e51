import Foundation
import LifelineCore

/// Channels in the SQLite store.
extension SQLStore {
    public func insertChannel(_ c: Channel) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO channels (id, organisation_id, name, public_token, group_ids, unavailable_message, when_unavailable,
                working_hours, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(c.id), .text(c.organisationId), .text(c.name), .text(c.publicToken), .json(c.groupIds),
             .text(c.unavailableMessage), .text(c.whenUnavailable.rawValue), c.workingHours.map(SQLValue.json) ?? .null,
             .date(c.createdAt)])
    }

    public func updateChannel(_ c: Channel) async throws(StoreError) {
        _ = try await db.query(
            """
            UPDATE channels SET name = ?, group_ids = ?, unavailable_message = ?, when_unavailable = ?, working_hours = ?
            WHERE id = ?
            """,
            [.text(c.name), .json(c.groupIds), .text(c.unavailableMessage), .text(c.whenUnavailable.rawValue),
             c.workingHours.map(SQLValue.json) ?? .null, .text(c.id)])
    }

    public func deleteChannel(id: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM channels WHERE id = ?", [.text(id)])
    }

    public func channels(organisationId: String) async throws(StoreError) -> [Channel] {
        try await db.query("SELECT * FROM channels WHERE organisation_id = ? ORDER BY created_at, id", [.text(organisationId)])
            .map(Self.channel(from:))
    }

    public func channel(id: String) async throws(StoreError) -> Channel? {
        try await db.query("SELECT * FROM channels WHERE id = ?", [.text(id)]).first.map(Self.channel(from:))
    }

    public func channel(publicToken: String) async throws(StoreError) -> Channel? {
        try await db.query("SELECT * FROM channels WHERE public_token = ?", [.text(publicToken)]).first.map(Self.channel(from:))
    }

    static func channel(from row: SQLRow) throws(StoreError) -> Channel {
        guard let whenUnavailable = ChannelRules.WhenUnavailable(rawValue: try row.text("when_unavailable")) else {
            throw StoreError("A channel row holds an unknown rule for unavailability.")
        }
        let groups: [String] = try row.json("group_ids") ?? []
        return Channel(
            id: try row.text("id"), organisationId: try row.text("organisation_id"), name: try row.text("name"),
            publicToken: try row.text("public_token"), groupIds: groups, unavailableMessage: try row.text("unavailable_message"),
            whenUnavailable: whenUnavailable, workingHours: try row.json("working_hours"), createdAt: try row.date("created_at"))
    }
}
