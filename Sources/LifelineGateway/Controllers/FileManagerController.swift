import Foundation
import Hummingbird
import NIOCore

/// The bytes of the file manager's copies (K3), through the gateway at the pace of the slower
/// side (`BytePipe`): the applet posts a file it was asked to read, the technician's console
/// fetches it as it arrives. Nothing is kept on the gateway.
struct FileManagerController {
    let hub: SessionHub
    let stallLimit: Duration

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("customer/file-manager/{transfer}", use: appletUpload)
        group.get("sessions/{id}/file-manager/{transfer}", use: technicianDownload)
    }

    static func transferId(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("transfer") else { throw GatewayError(.fileNotFound, "There is no such transfer.") }
        return id
    }

    /// The applet's side: the file's bytes, exactly the size it announced when it started sending.
    @Sendable func appletUpload(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = AuthenticationMiddleware.bearerToken(request) else { throw GatewayError.unknownAppletToken }
        let (pipe, size) = try await hub.fileManagerUploadPipe(try Self.transferId(context), appletToken: token)
        guard let size, request.headers[.contentLength].flatMap(Int64.init) == size else {
            await pipe.abort("the customer's computer sent a size other than it announced.")
            throw GatewayError(.lengthRequired, "Send the file's size in Content-Length, as announced.")
        }
        var received: Int64 = 0
        do {
            try await StallWatch.watching(context.channel, limit: stallLimit) { watch in
                for try await chunk in request.body {
                    received += Int64(chunk.readableBytes)
                    guard received <= size else { throw GatewayError.badRequest("The upload is larger than announced.") }
                    try await pipe.write(chunk)
                    watch.progressed()
                }
            }
            guard received == size else { throw GatewayError.badRequest("The upload stopped after \(received) of \(size) bytes.") }
        } catch {
            let reason = error is StallWatch.Stalled ? StallWatch.reason(stallLimit, after: received, of: size)
                : (error as? GatewayError)?.message ?? "the customer's computer stopped sending after \(received) of \(size) bytes."
            await pipe.abort(reason)
            throw GatewayError(.fileInterrupted, "The file was not transferred: \(reason)")
        }
        await pipe.finish()
        return Response(status: .noContent)
    }

    /// The technician's side: the bytes as they arrive; a short body when the copy broke off.
    @Sendable func technicianDownload(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let (pipe, size) = try await hub.fileManagerDownloadPipe(try Self.transferId(context), of: try SessionsController.id(context), by: actor)
        let body = pipe.responseBody(contentLength: size.map(Int.init))
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store"], body: body)
    }
}
