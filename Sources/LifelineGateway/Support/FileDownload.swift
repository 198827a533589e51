import Foundation
import Hummingbird

/// A file kept on the gateway (a recording, a customer's file) sent as a download, streamed from
/// disk whatever its size.
enum FileDownload {
    static func response(path: String, name: String, contentType: String, missing: GatewayError,
                         context: GatewayRequestContext) async throws -> Response {
        let body: ResponseBody
        do {
            body = try await FileIO().loadFile(path: path, context: context)
        } catch {
            throw missing
        }
        return Response(status: .ok, headers: [.contentType: contentType, .contentDisposition: attachment(name), .cacheControl: "no-store"],
                        body: body)
    }

    /// A Content-Disposition naming the file safely (RFC 6266: an ASCII fallback and the UTF-8 name).
    static func attachment(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
