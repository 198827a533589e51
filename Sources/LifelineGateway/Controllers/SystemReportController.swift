import Crypto
import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import NIOCore

/// The whole system information as one HTML report attached to the session (L1–L8, issue 18):
/// the console reads every view, writes the report, and sends it here; the gateway keeps it with
/// the files received from the customer's computer (the session's Files and its history list it,
/// downloaded as an attachment, never shown at the gateway's origin) and the log says so.
struct SystemReportController: Sendable {
    let hub: SessionHub
    let vault: FileVault
    static let maximumBytes = 16 * 1024 * 1024

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/system-report", use: save)
    }

    @Sendable func save(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let sessionId = try SessionsController.id(context)
        // The lead, or a colleague collaborating with system information allowed; it joins the session's files.
        let record = try await hub.workedSession(sessionId, by: actor, permission: .systemInfo, activeOnly: "A system report can be saved",
                                                 leadStates: nil)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBytes)
        } catch {
            throw GatewayError(.fileTooLarge, "A system report is at most 16 MiB.")
        }
        let bytes = Data(body.readableBytesView)
        guard !bytes.isEmpty, String(data: bytes, encoding: .utf8) != nil else {
            throw GatewayError.badRequest("The report is an HTML document in UTF-8.")
        }
        let summary = FileTransferSummary(id: UUID().uuidString.lowercased(), sessionId: sessionId, direction: .fromCustomer,
                                          name: Self.fileName(at: hub.environment.now()), size: Int64(bytes.count), phase: .done,
                                          md5: Insecure.MD5.hash(data: bytes).hexString)
        do {
            // A handle left open by a failed write closes when it goes away.
            let file = try vault.create(summary.id)
            try file.write(contentsOf: bytes)
            try file.close()
        } catch {
            vault.remove(summary.id, logger: context.logger)
            throw GatewayError(.fileNotSaved, "The report could not be saved on the gateway.")
        }
        try await hub.save(summary)
        hub.publishFile(summary, to: record)
        await hub.note(.systemReportSaved(technician: actor.technician.name, name: summary.name, size: SessionHub.describeSize(summary.size)),
                       in: record)
        return try JSONResponse.make(summary, status: .created)
    }

    /// `system-report-2026-12-04-0915.html`, in UTC.
    static func fileName(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "system-report-\(parts.year!)-\(parts.month!.padded(to: 2))-\(parts.day!.padded(to: 2))-"
            + "\(parts.hour!.padded(to: 2))\(parts.minute!.padded(to: 2)).html"
    }
}
