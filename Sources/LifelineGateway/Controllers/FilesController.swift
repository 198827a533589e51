import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LifelineCore
import LifelineProtocol
import NIOCore

/// Files in a session (D4, G1) over HTTP: the technician offers a file and, once the customer
/// accepted, uploads it; the applet downloads it from the same pipe. The customer's applet
/// uploads files for the technician, kept beside the database. Every step is checked by the hub.
struct FilesController: Sendable {
    let hub: SessionHub
    let vault: FileVault
    /// How long a transfer's bytes may stop moving before it is ended (and says so).
    let stallLimit: Duration

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/files", use: offer)
        group.get("sessions/{id}/files", use: list)
        group.put("sessions/{id}/files/{file}/content", use: upload)
        group.get("sessions/{id}/files/{file}", use: downloadFromCustomer)
        group.get("customer/files/{file}", use: appletDownload)
        group.post("customer/files", use: appletUpload)
        group.get("customer/scripts/{run}/{part}", use: appletScriptFile)
    }

    struct OfferRequest: Decodable {
        let name: String
        let size: Int64
    }

    @Sendable func offer(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: OfferRequest.self, context: context)
        return try JSONResponse.make(try await hub.offerFile(name: body.name, size: body.size, on: try SessionsController.id(context), by: actor),
                                     status: .created)
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.files(of: try SessionsController.id(context), for: actor))
    }

    /// The technician's bytes go straight into the pipe the applet reads, hashed on the way.
    @Sendable func upload(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let sessionId = try SessionsController.id(context)
        let fileId = try Self.fileId(context)
        let (pipe, summary) = try await hub.pipeForUpload(fileId, sessionId: sessionId, by: actor)
        var hash = Insecure.MD5()
        var received: Int64 = 0
        do {
            // Bytes stop moving when the technician's upload or the applet's download stalls.
            try await StallWatch.watching(context.channel, limit: stallLimit) { watch in
                for try await chunk in request.body {
                    received += Int64(chunk.readableBytes)
                    guard received <= summary.size else {
                        throw GatewayError.badRequest("The upload is larger than the \(summary.size) bytes announced.")
                    }
                    chunk.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
                    try await pipe.write(chunk)
                    watch.progressed()
                }
                guard received == summary.size else {
                    throw GatewayError.badRequest("The upload stopped after \(received) of \(summary.size) bytes.")
                }
            }
        } catch {
            let reason = switch error {
            case is StallWatch.Stalled: StallWatch.reason(stallLimit, after: received, of: summary.size)
            case BytePipe.Failure.readerGone: "the customer's applet stopped receiving after \(received) of \(summary.size) bytes."
            case let error as GatewayError: error.message
            default: "the technician's upload stopped after \(received) of \(summary.size) bytes."
            }
            await hub.failFile(fileId, sessionId: sessionId, reason: reason, tellApplet: true)
            throw GatewayError(.fileInterrupted, "The file was not transferred: \(reason)")
        }
        // The hash is recorded before the applet can see the end of the file and report its own.
        let md5 = hash.finalize().hexString
        await hub.fileUploaded(fileId, sessionId: sessionId, md5: md5)
        await pipe.finish()
        return try JSONResponse.make(["md5": md5])
    }

    @Sendable func downloadFromCustomer(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let summary = try await hub.customerFile(try Self.fileId(context), of: try SessionsController.id(context), for: actor)
        return try await FileDownload.response(
            path: vault.path(of: summary.id), name: summary.name, contentType: "application/octet-stream",
            missing: GatewayError(.fileNotFound, "The file is missing on the gateway."), context: context)
    }

    /// The applet reads the file it accepted from the pipe, as fast as it writes it to disk.
    @Sendable func appletDownload(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = AuthenticationMiddleware.bearerToken(request) else { throw GatewayError.unknownAppletToken }
        let (pipe, summary) = try await hub.pipeForDownload(try Self.fileId(context), appletToken: token)
        // A short body when it breaks off: the applet keeps nothing; the upload side is told.
        let body = pipe.responseBody(contentLength: Int(summary.size))
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store"], body: body)
    }

    /// The script of a run sent to this applet, or its resource file (N2); the applet checks its hash.
    @Sendable func appletScriptFile(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = AuthenticationMiddleware.bearerToken(request) else { throw GatewayError.unknownAppletToken }
        let file = try await hub.scriptFile(runId: context.parameters.get("run") ?? "", part: context.parameters.get("part") ?? "",
                                            appletToken: token)
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// The customer sends a file to the technician: name in `X-File-Name` (percent-encoded), size in Content-Length.
    @Sendable func appletUpload(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let token = AuthenticationMiddleware.bearerToken(request) else { throw GatewayError.unknownAppletToken }
        guard let rawName = request.headers[.fileName], let name = rawName.removingPercentEncoding else {
            throw GatewayError.badRequest("Name the file in the X-File-Name header (percent-encoded).")
        }
        guard let length = request.headers[.contentLength].flatMap(Int64.init) else {
            throw GatewayError(.lengthRequired, "Say the file's size in Content-Length.")
        }
        let summary = try await hub.receiveCustomerFile(name: name, size: length, appletToken: token)
        var hash = Insecure.MD5()
        var received: Int64 = 0
        do {
            let writer = try vault.create(summary.id)
            defer { try? writer.close() }
            try await StallWatch.watching(context.channel, limit: stallLimit) { watch in
                for try await chunk in request.body {
                    received += Int64(chunk.readableBytes)
                    guard received <= length else { throw GatewayError.badRequest("The upload is larger than announced.") }
                    chunk.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
                    try writer.write(contentsOf: Data(chunk.readableBytesView))
                    watch.progressed()
                }
                guard received == length else { throw GatewayError.badRequest("The upload stopped after \(received) of \(length) bytes.") }
            }
        } catch {
            vault.remove(summary.id, logger: context.logger)
            let reason = error is StallWatch.Stalled ? StallWatch.reason(stallLimit, after: received, of: length)
                : (error as? GatewayError)?.message ?? "the customer's upload stopped after \(received) of \(length) bytes."
            await hub.failFile(summary.id, sessionId: summary.sessionId, reason: reason, tellApplet: false)
            throw GatewayError(.fileInterrupted, "The file was not transferred: \(reason)")
        }
        let md5 = hash.finalize().hexString
        await hub.customerFileReceived(summary.id, sessionId: summary.sessionId, md5: md5)
        var done = summary
        done.phase = .done
        done.md5 = md5
        done.receivedMD5 = md5
        return try JSONResponse.make(done, status: .created)
    }

    static func fileId(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("file") else { throw GatewayError(.fileNotFound, "There is no such file.") }
        return id
    }
}

/// Files customers sent: `<data directory>/files/<id>`, ids the gateway's own.
struct FileVault: Sendable {
    let directory: String

    init(dataDirectory: String) throws {
        directory = "\(dataDirectory)/files"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(of id: String) -> String { "\(directory)/\(id)" }

    func create(_ id: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path(of: id), contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path(of: id)) else {
            throw GatewayError(.fileNotSaved, "The file could not be saved on the gateway.")
        }
        return handle
    }

    /// Removes a partial file; one already gone is not an error, anything else is logged.
    func remove(_ id: String, logger: Logger) {
        let path = path(of: id)
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            logger.error("Could not remove a partial file", metadata: ["file.id": "\(id)", "error": "\(error)"])
        }
    }
}

extension HTTPField.Name {
    static let fileName = HTTPField.Name("X-File-Name")!
}
