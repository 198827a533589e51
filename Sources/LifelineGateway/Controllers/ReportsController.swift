import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// The sessions and technician performance reports (R3): sessions created in a date range of the
/// viewer's time zone, filtered by technician, group or channel, as JSON or CSV. An administrator
/// of some groups sees the sessions of those groups' technicians only.
struct ReportsController {
    let store: any Store
    let hub: SessionHub
    let environment: GatewayEnvironment

    struct SessionRow: Encodable {
        let sessionId: String
        let customer: String
        let technician: String
        let group: String
        let channel: String
        let method: String
        let created: String
        let pickedUp: String?
        let waitingSeconds: Int?
        let handlingSeconds: Int?
        let waiting: String
        let handling: String
        /// How it ended (closed, closed_by_customer, closed_by_customer_waiting, timed_out), or its state while open.
        let endState: String
    }

    struct PerformanceRow: Encodable {
        let technicianId: String
        let technician: String
        let group: String
        let sessions: Int
        let handled: Int
        let averagePickUpSeconds: Int?
        let averageHandlingSeconds: Int?
        let averagePickUp: String
        let averageHandling: String
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("reports/sessions", use: sessions)
        group.get("reports/technicians", use: technicians)
    }

    /// The sessions in the period that the actor may see and the filters keep, with their timing.
    private func measured(_ request: Request, _ context: GatewayRequestContext)
        async throws -> (ReportPeriod, [(SessionRecord, SessionTiming)], [String: Technician], [String: TechnicianGroup]) {
        let actor = try context.requireAdministrator()
        let period = try ReportRequest.period(of: request, now: environment.now())
        let query = request.uri.queryParameters
        let organisationId = actor.technician.organisationId
        let technicians = Dictionary(try await store.technicians(organisationId: organisationId).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let groups = Dictionary(try await store.groups(organisationId: organisationId).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let managed = try await AdminScope(store: store).managedGroupIds(of: actor)
        let technicianFilter = query["technicianId"].map(String.init)
        let groupFilter = query["groupId"].map(String.init)
        let channelFilter = query["channelId"].map(String.init)
        let changes = try await store.stateChanges(organisationId: organisationId, createdFrom: period.start, to: period.end)
        let now = environment.now()
        let rows = try await store.sessions(organisationId: organisationId, createdFrom: period.start, to: period.end).filter { session in
            let groupId = session.technicianId.flatMap { technicians[$0]?.groupId }
            if let managed, !(groupId.map(managed.contains) ?? false) { return false }
            if let technicianFilter, session.technicianId != technicianFilter { return false }
            if let groupFilter, groupId != groupFilter { return false }
            if let channelFilter, session.channelId != channelFilter { return false }
            return true
        }.map { ($0, SessionTiming.measure(changes[$0.id] ?? [], now: now)) }
        return (period, rows, technicians, groups)
    }

    @Sendable func sessions(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (period, measured, technicians, groups) = try await measured(request, context)
        var rows: [SessionRow] = []
        for (session, timing) in measured {
            let technician = session.technicianId.flatMap { technicians[$0] }
            rows.append(SessionRow(
                sessionId: session.id, customer: session.name, technician: await hub.technicianName(session.technicianId),
                group: technician?.groupId.flatMap { groups[$0]?.name } ?? "", channel: await hub.channel(session.channelId)?.name ?? "",
                method: session.method.rawValue, created: period.localText(session.machine.createdAt),
                pickedUp: timing.pickedUpAt.map(period.localText), waitingSeconds: timing.waiting.map { Int($0.rounded()) },
                handlingSeconds: timing.handling.map { Int($0.rounded()) }, waiting: DurationText.make(timing.waiting),
                handling: DurationText.make(timing.handling), endState: (timing.endState ?? session.machine.state).rawValue))
        }
        guard ReportRequest.wantsCSV(request) else { return try JSONResponse.make(rows) }
        return ReportRequest.csv(
            header: ["Session ID", "Customer", "Technician", "Group", "Channel", "Method", "Created", "Picked up", "Waiting time",
                     "Handling time", "State at end"],
            rows: rows.map { [$0.sessionId, $0.customer, $0.technician, $0.group, $0.channel, $0.method, $0.created, $0.pickedUp ?? "",
                              $0.waiting, $0.handling, $0.endState] },
            filename: "sessions.csv")
    }

    @Sendable func technicians(request: Request, context: GatewayRequestContext) async throws -> Response {
        let (_, measured, technicians, groups) = try await measured(request, context)
        let owned = measured.compactMap { session, timing in session.technicianId.map { (technicianId: $0, timing: timing) } }
        var rows: [PerformanceRow] = []
        for line in TechnicianPerformance.summarise(owned) {
            rows.append(PerformanceRow(
                technicianId: line.technicianId, technician: await hub.technicianName(line.technicianId),
                group: technicians[line.technicianId]?.groupId.flatMap { groups[$0]?.name } ?? "", sessions: line.sessions,
                handled: line.handled, averagePickUpSeconds: line.averagePickUp.map { Int($0.rounded()) },
                averageHandlingSeconds: line.averageHandling.map { Int($0.rounded()) },
                averagePickUp: DurationText.make(line.averagePickUp), averageHandling: DurationText.make(line.averageHandling)))
        }
        guard ReportRequest.wantsCSV(request) else { return try JSONResponse.make(rows) }
        return ReportRequest.csv(
            header: ["Technician", "Group", "Sessions", "Picked up", "Average pick-up time", "Average handling time"],
            rows: rows.map { [$0.technician, $0.group, String($0.sessions), String($0.handled), $0.averagePickUp, $0.averageHandling] },
            filename: "technician-performance.csv")
    }
}
