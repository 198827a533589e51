import Foundation
import Hummingbird
import NIOCore

/// The bytes of the file manager's copies (K3), through the gateway at the pace of the slower
/// side (`BytePipe`): for a read the applet posts the file and the technician's console fetches
/// it as it arrives; for a write the console puts it and the applet fetches it. Nothing is kept
/// on the gateway.
struct FileManagerController {
    let hub: SessionHub
    let stallLimit: Duration

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("customer/file-manager/{transfer}", use: appletUpload)
        group.get("customer/file-manager/{transfer}", use: appletDownload)
        group.get("sessions/{id}/file-manager/{transfer}", use: technicianDownload)
        group.put("sessions/{id}/file-manager/{transfer}", use: technicianUpload)
    }

    static func transferId(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("transfer") else { throw GatewayError(.fileNotFound, "There is no such transfer.") }
        return id
    }

    /// The applet's side of a read: the file's bytes, exactly the size it announced when it started sending.
    @Sendable func appletUpload(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = AuthenticationMiddleware.bearerToken(request) else { throw GatewayError.unknownAppletToken }
        let (pipe, size) = try await hub.fileManagerAppletPipe(try Self.transferId(context), toCustomer: false,
                                                               contentLength: request.headers[.contentLength].flatMap(Int64.init), appletToken: token)
        return try await pump(request, context: context, into: pipe, size: size, sender: "the customer's computer")
    }

    /// The applet's side of a write: the technician's bytes as they arrive.
    @Sendable func appletDownload(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = AuthenticationMiddleware.bearerToken(request) else { throw GatewayError.unknownAppletToken }
        let (pipe, size) = try await hub.fileManagerAppletPipe(try Self.transferId(context), toCustomer: true, appletToken: token)
        return Self.streaming(pipe, size: size)
    }

    /// The technician's side of a read: the bytes as they arrive; a short body when the copy broke off.
    @Sendable func technicianDownload(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let (pipe, size) = try await hub.fileManagerTechnicianPipe(try Self.transferId(context), toCustomer: false,
                                                                   of: try SessionsController.id(context), by: actor)
        return Self.streaming(pipe, size: size)
    }

    /// The technician's side of a write: the file's bytes from where the write request said, to its end.
    @Sendable func technicianUpload(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let (pipe, size) = try await hub.fileManagerTechnicianPipe(try Self.transferId(context), toCustomer: true,
                                                                   of: try SessionsController.id(context), by: actor)
        return try await pump(request, context: context, into: pipe, size: size, sender: "the technician's browser")
    }

    static func streaming(_ pipe: BytePipe, size: Int64?) -> Response {
        Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store"],
                 body: pipe.responseBody(contentLength: size.map(Int.init)))
    }

    /// One side's upload into the pipe: exactly `size` bytes, or the copy is called off with the reason.
    private func pump(_ request: Request, context: GatewayRequestContext, into pipe: BytePipe, size: Int64?, sender: String) async throws -> Response {
        guard let size, request.headers[.contentLength].flatMap(Int64.init) == size else {
            await pipe.abort("\(sender) sent a size other than announced.")
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
                : (error as? GatewayError)?.message ?? "\(sender) stopped sending after \(received) of \(size) bytes."
            await pipe.abort(reason)
            throw GatewayError(.fileInterrupted, "The file was not transferred: \(reason)")
        }
        await pipe.finish()
        return Response(status: .noContent)
    }
}
