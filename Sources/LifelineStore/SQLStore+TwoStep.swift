import Foundation
import LifelineCore

/// Two-step verification enrolments (A2) in the SQLite store.
extension SQLStore {
    public func saveTwoStep(_ enrolment: TwoStepEnrolment) async throws(StoreError) {
        _ = try await db.query(
            """
            INSERT INTO two_step (technician_id, sealed_secret, confirmed, last_used_counter, recovery_code_hashes, sms_phone, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(technician_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, confirmed = excluded.confirmed,
                last_used_counter = excluded.last_used_counter, recovery_code_hashes = excluded.recovery_code_hashes,
                sms_phone = excluded.sms_phone, created_at = excluded.created_at
            """,
            [.text(enrolment.technicianId), .text(enrolment.sealedSecret), .bool(enrolment.confirmed),
             enrolment.lastUsedCounter.map(SQLValue.integer) ?? .null, .json(enrolment.recoveryCodeHashes),
             .optionalText(enrolment.smsPhone), .date(enrolment.createdAt)])
    }

    public func twoStep(technicianId: String) async throws(StoreError) -> TwoStepEnrolment? {
        guard let row = try await db.query("SELECT * FROM two_step WHERE technician_id = ?", [.text(technicianId)]).first else { return nil }
        let hashes: [String]? = try row.json("recovery_code_hashes")
        return TwoStepEnrolment(technicianId: try row.text("technician_id"), sealedSecret: try row.text("sealed_secret"),
                                confirmed: row["confirmed"]?.int == 1, lastUsedCounter: row["last_used_counter"]?.int,
                                recoveryCodeHashes: hashes ?? [], smsPhone: row["sms_phone"]?.string,
                                createdAt: try row.date("created_at"))
    }

    public func deleteTwoStep(technicianId: String) async throws(StoreError) {
        _ = try await db.query("DELETE FROM two_step WHERE technician_id = ?", [.text(technicianId)])
    }
}
