import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Files in a session (D4, G1). To the customer: the technician offers a file, the applet asks the
/// customer, and on yes the technician's upload streams through a pipe straight into the applet's
/// download (nothing kept on the gateway), hashed with MD5 on the way; the applet hashes what it
/// wrote, and both hashes go in the log. From the customer: the applet uploads to the gateway,
/// which keeps the file for the session's technician. One transfer at a time per session.
/// The pipe of one file to the customer, and which of its two ends are taken.
struct FileRelay {
    let pipe = BytePipe()
    var uploading = false
    var downloading = false
}

extension SessionHub {
    static func fileError(_ problem: FileTransferRules.Problem) -> GatewayError {
        switch problem {
        case .busy: GatewayError(.fileTransferRunning, FileTransferRules.describe(problem))
        case .tooLarge: GatewayError(.fileTooLarge, FileTransferRules.describe(problem))
        default: GatewayError.badRequest(FileTransferRules.describe(problem))
        }
    }

    // MARK: Each step, passed to its session (`LiveSession+Files`)

    func offerFile(name: String, size: Int64, on id: String, by actor: Actor) async throws -> FileTransferSummary {
        try await liveSession(id, for: actor).offerFile(name: name, size: size, by: actor)
    }

    func appletAnsweredFile(_ fileId: String, accepted: Bool, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletAnsweredFile(fileId, accepted: accepted, outletId: outletId)
    }

    func pipeForUpload(_ fileId: String, sessionId: String, by actor: Actor) async throws -> (BytePipe, FileTransferSummary) {
        try await liveSession(sessionId, for: actor).pipeForUpload(fileId, by: actor)
    }

    func pipeForDownload(_ fileId: String, appletToken: String) async throws -> (BytePipe, FileTransferSummary) {
        try await sessionOfApplet(token: appletToken).pipeForDownload(fileId)
    }

    func fileUploaded(_ fileId: String, sessionId: String, md5: String) async {
        await registry.session(sessionId)?.fileUploaded(fileId, md5: md5)
    }

    func appletFileResult(_ fileId: String, md5: String?, error: String?, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletFileResult(fileId, md5: md5, error: error, outletId: outletId)
    }

    /// A transfer broke off: its session tells both sides; a session already closed only has it
    /// marked failed.
    func failFile(_ fileId: String, sessionId: String, reason: String, tellApplet: Bool) async {
        if let session = registry.session(sessionId) {
            await session.failFile(fileId, reason: reason, tellApplet: tellApplet)
        } else {
            _ = await markFileFailed(fileId, in: sessionId, reason: reason)
        }
    }

    /// Marks a file still offered or on its way as failed; nil when it was not.
    func markFileFailed(_ fileId: String, in sessionId: String, reason: String) async -> FileTransferSummary? {
        guard var summary = await storedFileSummary(fileId, in: sessionId), summary.phase == .offered || summary.phase == .sending else { return nil }
        summary.phase = .failed
        summary.reason = reason
        await saveLogged(summary)
        return summary
    }

    func receiveCustomerFile(name: String, size: Int64, appletToken: String) async throws -> FileTransferSummary {
        try await sessionOfApplet(token: appletToken).receiveCustomerFile(name: name, size: size)
    }

    func customerFileReceived(_ fileId: String, sessionId: String, md5: String) async {
        await registry.session(sessionId)?.customerFileReceived(fileId, md5: md5)
    }

    // MARK: Reading

    func customerFile(_ fileId: String, of sessionId: String, for actor: Actor) async throws -> FileTransferSummary {
        let record = try await visibleSession(sessionId, by: actor)
        guard record.technicianId == actor.id, let summary = try await fileSummary(fileId, in: sessionId),
              summary.direction == .fromCustomer, summary.phase == .done else {
            throw GatewayError(.fileNotFound, "There is no such file from the customer in this session.")
        }
        return summary
    }

    func files(of sessionId: String, for actor: Actor) async throws -> [FileTransferSummary] {
        _ = try await visibleSession(sessionId, by: actor)
        return try await store.fileTransfers(sessionId: sessionId).compactMap(Self.summary(of:))
    }

    // MARK: Helpers

    func sessionOfApplet(token: String) throws -> LiveSession {
        guard let (session, _) = registry.session(withAppletTokenHash: Secrets.hash(token)) else { throw GatewayError.unknownAppletToken }
        return session
    }

    func fileSummary(_ id: String, in sessionId: String) async throws -> FileTransferSummary? {
        guard let row = try await store.fileTransfer(id: id), row.sessionId == sessionId else { return nil }
        return Self.summary(of: row)
    }

    static func summary(of row: FileTransferRecord) -> FileTransferSummary? {
        guard let direction = FileDirection(rawValue: row.direction), let phase = FilePhase(rawValue: row.phase) else { return nil }
        return FileTransferSummary(id: row.id, sessionId: row.sessionId, direction: direction, name: row.name, size: row.size, phase: phase,
                                   md5: row.md5, receivedMD5: row.receivedMD5, reason: row.reason)
    }

    /// A file's row for a step the customer's applet reports: a store failure is logged, and the
    /// step is ignored as for an unknown file.
    func storedFileSummary(_ id: String, in sessionId: String) async -> FileTransferSummary? {
        do { return try await fileSummary(id, in: sessionId) } catch {
            logger.error("Could not read a file transfer", metadata: ["session.id": "\(sessionId)", "file.id": "\(id)", "error": "\(error)"])
            return nil
        }
    }

    /// Saves a step that already happened (the bytes arrived, the transfer failed): a store
    /// failure is logged with the session and file.
    func saveLogged(_ summary: FileTransferSummary) async {
        do { try await save(summary) } catch {
            logger.error("Could not save a file transfer", metadata: ["session.id": "\(summary.sessionId)", "file.id": "\(summary.id)",
                                                                   "file.phase": "\(summary.phase.rawValue)", "error": "\(error)"])
        }
    }

    func save(_ s: FileTransferSummary) async throws {
        let existing = try await store.fileTransfer(id: s.id)
        try await store.saveFileTransfer(FileTransferRecord(
            id: s.id, sessionId: s.sessionId, direction: s.direction.rawValue, name: s.name, size: s.size, phase: s.phase.rawValue,
            md5: s.md5, receivedMD5: s.receivedMD5, reason: s.reason, createdAt: existing?.createdAt ?? environment.now()))
    }

    func publishFile(_ summary: FileTransferSummary, to record: SessionRecord) {
        guard let technicianId = record.technicianId else { return }
        let message = WireCodec.encode(GatewayToConsole.file(summary))
        sockets.sendToConsoles(of: technicianId, message)
    }

    static func describeSize(_ bytes: Int64) -> String {
        bytes < 1_024 ? "\(bytes) bytes" : bytes < 1_048_576 ? String(format: "%.1f KB", Double(bytes) / 1_024)
            : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
