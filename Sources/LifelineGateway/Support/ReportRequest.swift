import Foundation
import Hummingbird
import LifelineCore

/// What every report endpoint reads from its query (from, to, timeZone) and how it answers in CSV.
enum ReportRequest {
    static func period(of request: Request, now: Date) throws -> ReportPeriod {
        let query = request.uri.queryParameters
        do throws(ReportPeriod.Problem) {
            return try ReportPeriod.parse(from: query["from"].map(String.init), to: query["to"].map(String.init),
                                          timeZone: query["timeZone"].map(String.init), now: now)
        } catch {
            throw GatewayError.badRequest(ReportPeriod.describe(error))
        }
    }

    static func wantsCSV(_ request: Request) -> Bool {
        request.uri.queryParameters["format"] == "csv"
    }

    static func csv(header: [String], rows: [[String]], filename: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"",
        ], body: .init(byteBuffer: ByteBuffer(string: CSVText.make(header: header, rows: rows))))
    }
}
