import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// What the file manager and the System info tab share: request ids checked the same way, and a
/// change on the customer's computer audited in the name of the technician who asked.
extension LiveSession {
    static func checkRequestId(_ requestId: String) throws(GatewayError) {
        guard !requestId.isEmpty, requestId.utf8.count <= 64 else { throw GatewayError.badRequest("requestId must be 1 to 64 characters.") }
    }

    /// The change has happened on the customer's side whatever the store says: a store failure is
    /// logged with `what` changed, never dropped.
    func auditCustomerChange(_ action: AuditAction, objectType: String, technicianId: String, technicianName: String, after: String?,
                             in record: SessionRecord, what: String) async {
        do {
            try await hub.audit.record(action, organisationId: record.organisationId, actorId: technicianId, actorName: technicianName,
                                       objectType: objectType, objectId: record.id, after: after)
        } catch {
            logger.error("\(what) stands without its audit entry", metadata: ["session.id": "\(id)", "error": "\(error)"])
        }
    }
}
