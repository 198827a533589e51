import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The file on its way to or from one session's customer (D4, G1), one at a time: offered,
/// answered, piped and checked in the session's actor.
extension LiveSession {
    private func checkedFile(name: String, size: Int64) throws -> String {
        do {
            let safe = try FileTransferRules.safeName(name)
            try FileTransferRules.check(size: size, limitBytes: hub.settings.maxFileBytes, transferRunning: runningFileId != nil)
            return safe
        } catch let problem as FileTransferRules.Problem {
            throw SessionHub.fileError(problem)
        }
    }

    // MARK: To the customer

    func offerFile(name: String, size: Int64, by actor: Actor) async throws -> FileTransferSummary {
        let record = try await hub.ownedActiveSession(id, by: actor, permission: .sendFiles, activeOnly: "Files can be sent")
        let applet = try hub.connectedApplet(of: id)
        let safe = try checkedFile(name: name, size: size)
        let summary = FileTransferSummary(id: UUID().uuidString.lowercased(), sessionId: id, direction: .toCustomer, name: safe,
                                          size: size, phase: .offered)
        // Taken before the store's await: a second offer meanwhile finds the transfer running.
        runningFileId = summary.id
        do { try await hub.save(summary) } catch {
            if runningFileId == summary.id { runningFileId = nil }
            throw error
        }
        applet.send(WireCodec.encode(GatewayToApplet.fileOffer(FileOffer(id: summary.id, name: safe, size: size,
                                                                           technicianName: actor.technician.name))))
        hub.publishFile(summary, to: record)
        try await hub.logEvent(.fileOffered(technician: actor.technician.name, name: safe, size: SessionHub.describeSize(size)), in: record)
        return summary
    }

    func appletAnsweredFile(_ fileId: String, accepted: Bool, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), let record = liveRecord,
              var summary = await hub.storedFileSummary(fileId, in: id), summary.direction == .toCustomer, summary.phase == .offered
        else { return }
        var accepted = accepted
        if accepted {
            do { try await hub.auditConsent(.consentGiven, to: "file", in: record, detail: AuditTrail.json(["file": summary.name])) } catch {
                // No file reaches the customer without their consent on the record.
                accepted = false
                sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.fileCancelled(.init(id: fileId, reason: error.message))))
            }
        } else {
            await hub.auditRefusal(.consentRefused, to: "file", in: record, detail: AuditTrail.json(["file": summary.name]))
        }
        if accepted {
            summary.phase = .sending
            fileRelays[fileId] = FileRelay()
        } else {
            summary.phase = .declined
            if runningFileId == fileId { runningFileId = nil }
        }
        await hub.saveLogged(summary)
        hub.publishFile(summary, to: record)
        await hub.note((accepted ? .fileAccepted(name: summary.name) : .fileDeclined(name: summary.name)), in: record)
    }

    /// The technician's upload may start: the pipe the applet reads from.
    func pipeForUpload(_ fileId: String, by actor: Actor) async throws -> (BytePipe, FileTransferSummary) {
        _ = try await hub.ownedActiveSession(id, by: actor, activeOnly: "Files can be sent")
        guard let summary = try await hub.fileSummary(fileId, in: id), summary.direction == .toCustomer else {
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
    func pipeForDownload(_ fileId: String) async throws -> (BytePipe, FileTransferSummary) {
        // The applet's yes travels on its socket, its download on another connection: give the
        // answer up to five seconds to arrive (the actor handles it meanwhile).
        for _ in 0..<100 {
            let pending = try await hub.fileSummary(fileId, in: id)
            guard pending?.phase == .offered else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let summary = try await hub.fileSummary(fileId, in: id), summary.direction == .toCustomer, summary.phase == .sending,
              var relay = fileRelays[fileId], !relay.downloading else {
            throw GatewayError(.fileNotFound, "There is no such file waiting for this applet.")
        }
        relay.downloading = true
        fileRelays[fileId] = relay
        return (relay.pipe, summary)
    }

    /// Every byte went into the pipe (a small file may be there before the applet reads it): its
    /// MD5 is the technician's side of the check.
    func fileUploaded(_ fileId: String, md5: String) async {
        fileChecks[fileId, default: (nil, nil)].sent = md5
        await concludeWhenBothSidesAreIn(fileId)
    }

    func appletFileResult(_ fileId: String, md5: String?, error: String?, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), isLive,
              let summary = await hub.storedFileSummary(fileId, in: id), summary.phase == .sending else { return }
        if let error {
            await failFile(fileId, reason: String(error.prefix(200)), tellApplet: false)
            return
        }
        fileChecks[fileId, default: (nil, nil)].received = md5 ?? ""
        await concludeWhenBothSidesAreIn(fileId)
    }

    /// The applet may report the saved file before the upload's last write has told the gateway its
    /// MD5 (it used to be judged against none: "does not match"). Whichever side comes second
    /// decides; taking the pair out of memory before any await makes it decide once.
    private func concludeWhenBothSidesAreIn(_ fileId: String) async {
        guard let check = fileChecks[fileId], let sent = check.sent, let received = check.received else { return }
        fileChecks[fileId] = nil
        await serialised {
            guard let record = liveRecord, var summary = await hub.storedFileSummary(fileId, in: id),
                  summary.phase == .sending else { return }
            fileRelays[fileId] = nil
            summary.md5 = sent
            summary.receivedMD5 = received
            let matches = sent == received
            summary.phase = matches ? .done : .failed
            summary.reason = matches ? nil : "The MD5 of the saved file does not match what was sent."
            if runningFileId == fileId { runningFileId = nil }
            await hub.saveLogged(summary)
            hub.publishFile(summary, to: record)
            await hub.note(matches
                ? .fileSaved(name: summary.name, size: SessionHub.describeSize(summary.size), md5: received)
                : .fileDamaged(name: summary.name, sent: sent, received: received),
                in: record)
        }
    }

    /// A transfer broke off: nothing partial is kept; both sides are told.
    func failFile(_ fileId: String, reason: String, tellApplet: Bool) async {
        fileChecks[fileId] = nil
        if let relay = fileRelays.removeValue(forKey: fileId) { await relay.pipe.abort(reason) }
        if runningFileId == fileId { runningFileId = nil }
        guard let summary = await hub.markFileFailed(fileId, in: id, reason: reason) else { return }
        if tellApplet { sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.fileCancelled(.init(id: fileId, reason: reason)))) }
        if let record = liveRecord {
            hub.publishFile(summary, to: record)
            await hub.note(.fileFailed(name: summary.name, reason: reason), in: record)
        }
    }

    // MARK: From the customer

    /// The applet announces a file it is about to upload; the gateway keeps it for the technician.
    func receiveCustomerFile(name: String, size: Int64) async throws -> FileTransferSummary {
        guard let record = liveRecord else { throw GatewayError.unknownAppletToken }
        guard record.machine.state == .active || record.machine.state == .collaboration else {
            throw GatewayError(.sessionNotActive, "Files can be sent in an active session only.")
        }
        let safe = try checkedFile(name: name, size: size)
        let summary = FileTransferSummary(id: UUID().uuidString.lowercased(), sessionId: id, direction: .fromCustomer,
                                          name: safe, size: size, phase: .sending)
        runningFileId = summary.id
        do { try await hub.save(summary) } catch {
            if runningFileId == summary.id { runningFileId = nil }
            throw error
        }
        hub.publishFile(summary, to: record)
        return summary
    }

    func customerFileReceived(_ fileId: String, md5: String) async {
        guard var summary = await hub.storedFileSummary(fileId, in: id), let record = liveRecord else { return }
        summary.phase = .done
        summary.md5 = md5
        summary.receivedMD5 = md5
        if runningFileId == fileId { runningFileId = nil }
        await hub.saveLogged(summary)
        hub.publishFile(summary, to: record)
        await hub.note(.fileReceived(name: summary.name, size: SessionHub.describeSize(summary.size), md5: md5), in: record)
    }
}
