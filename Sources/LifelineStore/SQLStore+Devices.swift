import Foundation
import LifelineCore

/// Unattended computers and their one-time enrolments (F5) in SQLite or PostgreSQL. An enrolment
/// token is used up by `DELETE … RETURNING`: of agents presenting it at once, exactly one enrols.
extension SQLStore {
    public func saveEnrolment(tokenHash: String, _ enrolment: DeviceEnrolment) async throws(StoreError) {
        _ = try await db.query("INSERT INTO device_enrolments (token_hash, session_id, technician_id, rules, expires_at) VALUES (?, ?, ?, ?, ?)",
                               [.text(tokenHash), .text(enrolment.sessionId), .text(enrolment.technicianId), .json(enrolment.rules),
                                .date(enrolment.expiresAt)])
    }

    public func useEnrolment(tokenHash: String, now: Date) async throws(StoreError) -> DeviceEnrolment? {
        let rows = try await db.query("DELETE FROM device_enrolments WHERE token_hash = ? RETURNING session_id, technician_id, rules, expires_at",
                                      [.text(tokenHash)])
        guard let row = rows.first, try row.date("expires_at") > now else { return nil }
        guard let rules: UnattendedRules = try row.json("rules") else { throw StoreError("An enrolment row has no rules.") }
        return DeviceEnrolment(sessionId: try row.text("session_id"), technicianId: try row.text("technician_id"), rules: rules,
                               expiresAt: try row.date("expires_at"))
    }

    public func dropEnrolments(sessionId: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM device_enrolments WHERE session_id = ?", [.text(sessionId)])
    }

    public func insertDevice(_ device: UnattendedDevice) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO devices (id, organisation_id, technician_id, group_id, name, hostname, public_key, rules, approved_at, last_seen_at, created_at,
                                 lan_subnets)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(device.id), .text(device.organisationId), .optionalText(device.technicianId), .optionalText(device.groupId),
             .text(device.name), .text(device.hostname), .text(device.publicKey), .json(device.rules), .date(device.approvedAt),
             .optionalDate(device.lastSeenAt), .date(device.createdAt), device.lanSubnets.map { .json($0) } ?? .null])
    }

    public func device(id: String) async throws(StoreError) -> UnattendedDevice? {
        try await db.query("SELECT * FROM devices WHERE id = ?", [.text(id)]).first.map(Self.device(from:))
    }

    /// The computers a technician may see: their own, and those shared with their group.
    public func devices(technicianId: String, groupId: String?) async throws(StoreError) -> [UnattendedDevice] {
        try await db.query("SELECT * FROM devices WHERE technician_id = ? OR (group_id IS NOT NULL AND group_id = ?) ORDER BY name, id",
                           [.text(technicianId), .optionalText(groupId)]).map(Self.device(from:))
    }

    /// True when the device was there to delete.
    public func deleteDevice(id: String) async throws(StoreError) -> Bool {
        !(try await db.query("DELETE FROM devices WHERE id = ? RETURNING id", [.text(id)]).isEmpty)
    }

    /// Makes the computer a LAN connector with these subnets (F4), or no longer one (nil); false
    /// when there is no such computer.
    public func setLanSubnets(deviceId: String, _ subnets: [String]?) async throws(StoreError) -> Bool {
        !(try await db.query("UPDATE devices SET lan_subnets = ? WHERE id = ? RETURNING id",
                             [subnets.map { .json($0) } ?? .null, .text(deviceId)]).isEmpty)
    }

    /// The organisation's LAN connectors, by name.
    public func lanConnectors(organisationId: String) async throws(StoreError) -> [UnattendedDevice] {
        try await db.query("SELECT * FROM devices WHERE organisation_id = ? AND lan_subnets IS NOT NULL ORDER BY name, id",
                           [.text(organisationId)]).map(Self.device(from:))
    }

    public func deviceSeen(id: String, at: Date) async throws(StoreError) {
        _ = try await db.query("UPDATE devices SET last_seen_at = ? WHERE id = ?", [.date(at), .text(id)])
    }

    static func device(from row: SQLRow) throws(StoreError) -> UnattendedDevice {
        guard let rules: UnattendedRules = try row.json("rules") else { throw StoreError("A device row has no rules.") }
        return UnattendedDevice(id: try row.text("id"), organisationId: try row.text("organisation_id"), technicianId: row["technician_id"]?.string,
                                groupId: row["group_id"]?.string, name: try row.text("name"), hostname: try row.text("hostname"),
                                publicKey: try row.text("public_key"), rules: rules, approvedAt: try row.date("approved_at"),
                                lastSeenAt: row.optionalDate("last_seen_at"), createdAt: try row.date("created_at"),
                                lanSubnets: try row.json("lan_subnets"))
    }
}
