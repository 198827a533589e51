import Foundation
import LifelineCore

/// Each gateway node's part of a technician's presence (issue 20): the consoles open on it, the
/// Away chosen there, the last activity seen there. Nodes read the others' parts to show one status.
extension SQLStore {
    /// Saves this node's part unless a later one (a higher `version`) is saved already: two writes
    /// of one part that cross keep the later.
    public func savePresence(_ part: TechnicianPresence.Part, of technicianId: String, version: Int64) async throws(StoreError) {
        _ = try await db.query("""
            INSERT INTO technician_presence (technician_id, node_id, organisation_id, open_consoles, manually_away,
                away_changed_at, last_activity_at, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (technician_id, node_id) DO UPDATE SET organisation_id = excluded.organisation_id,
                open_consoles = excluded.open_consoles, manually_away = excluded.manually_away,
                away_changed_at = excluded.away_changed_at, last_activity_at = excluded.last_activity_at, version = excluded.version
            WHERE technician_presence.version < excluded.version
            """, [.text(technicianId), .text(part.nodeId), .text(part.organisationId), .integer(Int64(part.openConsoles)),
                  .integer(part.manuallyAway ? 1 : 0), part.awayChangedAt.map { .real($0.timeIntervalSince1970) } ?? .null,
                  .real(part.lastActivityAt.timeIntervalSince1970), .integer(version)])
    }

    /// The parts other nodes saved: of one technician, or of everyone.
    public func presenceParts(of technicianId: String? = nil, notFrom nodeId: String) async throws(StoreError) -> [(technicianId: String, part: TechnicianPresence.Part)] {
        let rows = try await db.query("""
            SELECT technician_id, node_id, organisation_id, open_consoles, manually_away, away_changed_at, last_activity_at
            FROM technician_presence WHERE node_id <> ?\(technicianId == nil ? "" : " AND technician_id = ?")
            ORDER BY technician_id, node_id
            """, [.text(nodeId)] + (technicianId.map { [.text($0)] } ?? []))
        var parts: [(technicianId: String, part: TechnicianPresence.Part)] = []
        for row in rows {
            guard let consoles = row["open_consoles"]?.int, let away = row["manually_away"]?.int,
                  let activity = row["last_activity_at"]?.double
            else { throw StoreError("A technician's presence row is missing a number.") }
            let part = TechnicianPresence.Part(
                nodeId: try row.text("node_id"), organisationId: try row.text("organisation_id"), openConsoles: Int(consoles),
                manuallyAway: away != 0, awayChangedAt: row["away_changed_at"]?.double.map { Date(timeIntervalSince1970: $0) },
                lastActivityAt: Date(timeIntervalSince1970: activity))
            parts.append((try row.text("technician_id"), part))
        }
        return parts
    }
}
