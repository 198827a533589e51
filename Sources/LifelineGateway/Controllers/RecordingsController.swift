import Foundation
import Hummingbird
import LifelineCore
import LifelineStore
import NIOCore

/// Screen recordings (J14): start, upload pieces, stop, list and download. The hub checks every
/// step; the files are written here, beside the database, one per recording.
struct RecordingsController: Sendable {
    let hub: SessionHub
    let vault: RecordingVault
    /// One uploaded piece may be this large (the console sends one a second).
    static let maximumPieceBytes = 16 * 1024 * 1024

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/recordings", use: start)
        group.get("sessions/{id}/recordings", use: list)
        group.post("sessions/{id}/recordings/{recording}/pieces", use: append)
        group.post("sessions/{id}/recordings/{recording}/stop", use: stop)
        group.get("sessions/{id}/recordings/{recording}", use: download)
    }

    struct Started: Encodable {
        let recording: Recording
        /// What the console's MediaRecorder should produce.
        let mimeType: String
    }

    @Sendable func start(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let recording = try await hub.startRecording(on: try SessionsController.id(context), by: actor)
        try vault.create(recording)
        let format = RecordingFormat(rawValue: recording.format) ?? .webmVP8
        return try JSONResponse.make(Started(recording: recording, mimeType: format.mimeType), status: .created)
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.recordings(of: try SessionsController.id(context), for: actor))
    }

    @Sendable func append(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumPieceBytes)
        } catch {
            throw GatewayError(.pieceTooLarge, "A piece of a recording may be at most 16 MiB.")
        }
        guard body.readableBytes > 0 else { throw GatewayError.badRequest("The piece is empty.") }
        let recording = try await hub.reserveRecordingBytes(body.readableBytes, recordingId: try Self.recordingId(context),
                                                            sessionId: try SessionsController.id(context), by: actor)
        try vault.append(body, to: recording)
        return try JSONResponse.make(recording)
    }

    @Sendable func stop(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let recording = try await hub.stopRecording(try Self.recordingId(context), sessionId: try SessionsController.id(context), by: actor)
        return try JSONResponse.make(recording)
    }

    @Sendable func download(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let recording = try await hub.recording(try Self.recordingId(context), of: try SessionsController.id(context), for: actor)
        return try await FileDownload.response(
            path: vault.path(of: recording), name: "recording-\(recording.sessionId)-\(recording.id).webm", contentType: "video/webm",
            missing: GatewayError(.recordingNotFound, "The recording file is missing on the gateway."), context: context)
    }

    static func recordingId(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("recording") else {
            throw GatewayError(.recordingNotFound, "There is no such recording in this session.")
        }
        return id
    }
}

/// The recordings' files: `<data directory>/recordings/<id>.webm`. Ids are the gateway's own
/// UUIDs, never taken from a request without a store lookup first.
struct RecordingVault: Sendable {
    let directory: String

    init(dataDirectory: String) throws {
        directory = "\(dataDirectory)/recordings"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(of recording: Recording) -> String { "\(directory)/\(recording.id).webm" }

    func create(_ recording: Recording) throws {
        guard FileManager.default.createFile(atPath: path(of: recording), contents: nil) else {
            throw GatewayError(.recordingNotSaved, "The recording file could not be created on the gateway.")
        }
    }

    func append(_ piece: ByteBuffer, to recording: Recording) throws {
        guard let handle = FileHandle(forWritingAtPath: path(of: recording)) else {
            throw GatewayError(.recordingNotSaved, "The recording file is missing on the gateway.")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(piece.readableBytesView))
    }
}
