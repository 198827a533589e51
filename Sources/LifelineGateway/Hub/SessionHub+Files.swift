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

    private func checkedFile(name: String, size: Int64, sessionId: String) throws -> String {
        do {
            let safe = try FileTransferRules.safeName(name)
            try FileTransferRules.check(size: size, limitBytes: settings.maxFileBytes, transferRunning: runningFiles[sessionId] != nil)
            return safe
        } catch let problem as FileTransferRules.Problem {
            throw Self.fileError(problem)
        }
    }

    // MARK: To the customer

    func offerFile(name: String, size: Int64, on id: String, by actor: Actor) async throws -> FileTransferSummary {
        let record = try await ownedActiveSession(id, by: actor, permission: .sendFiles, activeOnly: "Files can be sent")
        let applet = try connectedApplet(of: id)
        let safe = try checkedFile(name: name, size: size, sessionId: id)
        let summary = FileTransferSummary(id: UUID().uuidString.lowercased(), sessionId: id, direction: .toCustomer, name: safe,
                                          size: size, phase: .offered)
        try await save(summary)
        runningFiles[id] = summary.id
        applet.send(WireCodec.encode(GatewayToApplet.fileOffer(FileOffer(id: summary.id, name: safe, size: size,
                                                                           technicianName: actor.technician.name))))
        publishFile(summary, to: record)
        try await logEvent(.fileOffered(technician: actor.technician.name, name: safe, size: Self.describeSize(size)), in: record)
        return summary
    }

    func appletAnsweredFile(_ fileId: String, accepted: Bool, sessionId: String, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: sessionId), let record = live[sessionId],
              var summary = await storedFileSummary(fileId, in: sessionId), summary.direction == .toCustomer, summary.phase == .offered
        else { return }
        var accepted = accepted
        if accepted {
            do { try await auditConsent(.consentGiven, to: "file", in: record, detail: AuditTrail.json(["file": summary.name])) } catch {
                // No file reaches the customer without their consent on the record.
                accepted = false
                sockets.sendToApplet(of: sessionId, WireCodec.encode(GatewayToApplet.fileCancelled(id: fileId, reason: error.message)))
            }
        } else {
            await auditRefusal(.consentRefused, to: "file", in: record, detail: AuditTrail.json(["file": summary.name]))
        }
        if accepted {
            summary.phase = .sending
            fileRelays[fileId] = FileRelay()
        } else {
            summary.phase = .declined
            runningFiles[sessionId] = nil
        }
        await saveLogged(summary)
        publishFile(summary, to: record)
        await note((accepted ? .fileAccepted(name: summary.name) : .fileDeclined(name: summary.name)), in: record)
    }

    /// The technician's upload may start: the pipe the applet reads from.
    func pipeForUpload(_ fileId: String, sessionId: String, by actor: Actor) async throws -> (BytePipe, FileTransferSummary) {
        _ = try await ownedActiveSession(sessionId, by: actor, activeOnly: "Files can be sent")
        guard let summary = try await fileSummary(fileId, in: sessionId), summary.direction == .toCustomer else {
            throw GatewayError(.fileNotFound, "There is no such file in this session.")
        }
        guard summary.phase == .sending, var relay = fileRelays[fileId], !relay.uploading else {
            throw GatewayError(.fileNotAccepted, "The customer has not accepted this file (or it is already on its way).")
        }
        relay.uploading = true
        fileRelays[fileId] = relay
        return (relay.pipe, summary)
    }

    /// The applet's download: the pipe of a file it accepted.
    func pipeForDownload(_ fileId: String, appletToken: String) async throws -> (BytePipe, FileTransferSummary) {
        let record = try sessionOfApplet(token: appletToken)
        // The applet's yes travels on its socket, its download on another connection: give the
        // answer up to five seconds to arrive (the actor handles it meanwhile).
        for _ in 0..<100 {
            let pending = try await fileSummary(fileId, in: record.id)
            guard pending?.phase == .offered else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let summary = try await fileSummary(fileId, in: record.id), summary.direction == .toCustomer, summary.phase == .sending,
              var relay = fileRelays[fileId], !relay.downloading else {
            throw GatewayError(.fileNotFound, "There is no such file waiting for this applet.")
        }
        relay.downloading = true
        fileRelays[fileId] = relay
        return (relay.pipe, summary)
    }

    /// Every byte went into the pipe (a small file may be there before the applet reads it): its
    /// MD5 is the technician's side of the check.
    func fileUploaded(_ fileId: String, sessionId: String, md5: String) async {
        fileChecks[fileId, default: (nil, nil)].sent = md5
        await concludeWhenBothSidesAreIn(fileId, sessionId: sessionId)
    }

    func appletFileResult(_ fileId: String, md5: String?, error: String?, sessionId: String, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: sessionId), live[sessionId] != nil,
              let summary = await storedFileSummary(fileId, in: sessionId), summary.phase == .sending else { return }
        if let error {
            await failFile(fileId, sessionId: sessionId, reason: String(error.prefix(200)), tellApplet: false)
            return
        }
        fileChecks[fileId, default: (nil, nil)].received = md5 ?? ""
        await concludeWhenBothSidesAreIn(fileId, sessionId: sessionId)
    }

    /// The applet may report the saved file before the upload's last write has told the hub its
    /// MD5 (it used to be judged against none: "does not match"). Whichever side comes second
    /// decides; taking the pair out of memory before any await makes it decide once.
    private func concludeWhenBothSidesAreIn(_ fileId: String, sessionId: String) async {
        guard let check = fileChecks[fileId], let sent = check.sent, let received = check.received else { return }
        fileChecks[fileId] = nil
        await serialised(sessionId) {
            guard let record = live[sessionId], var summary = await storedFileSummary(fileId, in: sessionId),
                  summary.phase == .sending else { return }
            fileRelays[fileId] = nil
            summary.md5 = sent
            summary.receivedMD5 = received
            let matches = sent == received
            summary.phase = matches ? .done : .failed
            summary.reason = matches ? nil : "The MD5 of the saved file does not match what was sent."
            if runningFiles[sessionId] == fileId { runningFiles[sessionId] = nil }
            await saveLogged(summary)
            publishFile(summary, to: record)
            await note(matches
                ? .fileSaved(name: summary.name, size: Self.describeSize(summary.size), md5: received)
                : .fileDamaged(name: summary.name, sent: sent, received: received),
                in: record)
        }
    }

    /// A transfer broke off: nothing partial is kept; both sides are told.
    func failFile(_ fileId: String, sessionId: String, reason: String, tellApplet: Bool) async {
        fileChecks[fileId] = nil
        if let relay = fileRelays.removeValue(forKey: fileId) { await relay.pipe.abort(reason) }
        guard var summary = await storedFileSummary(fileId, in: sessionId), summary.phase == .offered || summary.phase == .sending else { return }
        summary.phase = .failed
        summary.reason = reason
        if runningFiles[sessionId] == fileId { runningFiles[sessionId] = nil }
        await saveLogged(summary)
        if tellApplet { sockets.sendToApplet(of: sessionId, WireCodec.encode(GatewayToApplet.fileCancelled(id: fileId, reason: reason))) }
        if let record = live[sessionId] {
            publishFile(summary, to: record)
            await note(.fileFailed(name: summary.name, reason: reason), in: record)
        }
    }

    // MARK: From the customer

    /// The applet announces a file it is about to upload; the gateway keeps it for the technician.
    func receiveCustomerFile(name: String, size: Int64, appletToken: String) async throws -> FileTransferSummary {
        let record = try sessionOfApplet(token: appletToken)
        guard record.machine.state == .active || record.machine.state == .collaboration else {
            throw GatewayError(.sessionNotActive, "Files can be sent in an active session only.")
        }
        let safe = try checkedFile(name: name, size: size, sessionId: record.id)
        let summary = FileTransferSummary(id: UUID().uuidString.lowercased(), sessionId: record.id, direction: .fromCustomer,
                                          name: safe, size: size, phase: .sending)
        try await save(summary)
        runningFiles[record.id] = summary.id
        publishFile(summary, to: record)
        return summary
    }

    func customerFileReceived(_ fileId: String, sessionId: String, md5: String) async {
        guard var summary = await storedFileSummary(fileId, in: sessionId), let record = live[sessionId] else { return }
        summary.phase = .done
        summary.md5 = md5
        summary.receivedMD5 = md5
        runningFiles[sessionId] = nil
        await saveLogged(summary)
        publishFile(summary, to: record)
        await note(.fileReceived(name: summary.name, size: Self.describeSize(summary.size), md5: md5), in: record)
    }

    /// A file the customer sent, for the session's technician to download.
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

    func sessionOfApplet(token: String) throws -> SessionRecord {
        let hash = Secrets.hash(token)
        guard let record = live.withAppletTokenHash(hash) else { throw GatewayError.unknownAppletToken }
        return record
    }

    private func fileSummary(_ id: String, in sessionId: String) async throws -> FileTransferSummary? {
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
    private func storedFileSummary(_ id: String, in sessionId: String) async -> FileTransferSummary? {
        do { return try await fileSummary(id, in: sessionId) } catch {
            logger.error("Could not read a file transfer", metadata: ["session.id": "\(sessionId)", "file.id": "\(id)", "error": "\(error)"])
            return nil
        }
    }

    /// Saves a step that already happened (the bytes arrived, the transfer failed): a store
    /// failure is logged with the session and file.
    private func saveLogged(_ summary: FileTransferSummary) async {
        do { try await save(summary) } catch {
            logger.error("Could not save a file transfer", metadata: ["session.id": "\(summary.sessionId)", "file.id": "\(summary.id)",
                                                                   "file.phase": "\(summary.phase.rawValue)", "error": "\(error)"])
        }
    }

    private func save(_ s: FileTransferSummary) async throws {
        let existing = try await store.fileTransfer(id: s.id)
        try await store.saveFileTransfer(FileTransferRecord(
            id: s.id, sessionId: s.sessionId, direction: s.direction.rawValue, name: s.name, size: s.size, phase: s.phase.rawValue,
            md5: s.md5, receivedMD5: s.receivedMD5, reason: s.reason, createdAt: existing?.createdAt ?? environment.now()))
    }

    private func publishFile(_ summary: FileTransferSummary, to record: SessionRecord) {
        guard let technicianId = record.technicianId else { return }
        let message = WireCodec.encode(GatewayToConsole.file(summary))
        sockets.sendToConsoles(of: technicianId, message)
    }

    static func describeSize(_ bytes: Int64) -> String {
        bytes < 1_024 ? "\(bytes) bytes" : bytes < 1_048_576 ? String(format: "%.1f KB", Double(bytes) / 1_024)
            : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
