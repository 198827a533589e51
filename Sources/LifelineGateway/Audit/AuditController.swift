import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// The audit report (R3): the organisation's audit entries over a period, in the viewer's time
/// zone, as JSON or CSV; administrators only. The log itself cannot be changed through the API.
struct AuditController {
    let store: any Store
    let environment: GatewayEnvironment

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("admin/audit", use: report)
    }

    struct Row: Encodable {
        let sequence: Int64
        let at: String
        let actor: String
        let action: String
        let objectType: String?
        let objectId: String?
        let before: String?
        let after: String?
        let source: String?
        let hash: String
    }

    @Sendable func report(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let period = try ReportRequest.period(of: request, now: environment.now())
        let rows = try await store.auditEntries(organisationId: actor.technician.organisationId, from: period.start, to: period.end).map {
            Row(sequence: $0.sequence, at: period.localText($0.at), actor: $0.actorName, action: $0.action.rawValue, objectType: $0.objectType,
                objectId: $0.objectId, before: $0.before, after: $0.after, source: $0.source, hash: $0.hash)
        }
        guard ReportRequest.wantsCSV(request) else { return try JSONResponse.make(rows) }
        return ReportRequest.csv(
            header: ["Entry", "Time", "Who", "Action", "Object type", "Object", "Before", "After", "Source", "Hash"],
            rows: rows.map { [String($0.sequence), $0.at, $0.actor, $0.action, $0.objectType ?? "", $0.objectId ?? "", $0.before ?? "",
                              $0.after ?? "", $0.source ?? "", $0.hash] },
            filename: "audit.csv")
    }
}
