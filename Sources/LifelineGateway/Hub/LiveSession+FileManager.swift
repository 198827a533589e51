import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The file manager of one session (K1–K5): the owner asks (or a colleague collaborating in it with
/// the permissions allowed by the lead, one technician at a time), the customer agrees in the applet,
/// then each operation is checked here (ownership, state, the customer's yes, the operation's
/// permission, the path's shape) before the applet — which checks its own consent and resolves
/// the path inside the root without following links — carries it out. Changes on the customer's
/// side are written to the session log and the audit log once the applet says they are done.
extension LiveSession {
    /// Requests the applet has not answered yet, at most this many at a time.
    static let maximumPendingFileRequests = 64

    func openFileManager(by actor: Actor) async throws {
        let (record, work) = try await worker(actor)
        guard work.permissions.allows(.fileManager) else { throw GatewayError.forbidden(.fileManager) }
        let applet = try hub.connectedApplet(of: id)
        let opened: FileManagerAccess?
        // Read after the awaits above, written before the next one.
        do throws(FileManagerAccess.Refusal) {
            opened = try FileManagerAccess.open(by: actor.id, permissions: work.permissions, sessionState: work.state,
                                                current: fileManager)
        } catch {
            throw SessionHub.gatewayError(error)
        }
        guard let opened else {
            // Asked again: the console learns where it stands.
            if let fileManager { publishFileManager(fileManager.phase == .open ? .open : .asking, to: actor.id) }
            return
        }
        fileManager = opened
        applet.send(WireCodec.encode(GatewayToApplet.fileManagerOpen(.init(technicianName: actor.technician.name))))
        publishFileManager(.asking, to: actor.id)
        await hub.note(.fileManagerRequested(technician: actor.technician.name), in: record)
    }

    func closeFileManager(by actor: Actor) async throws {
        _ = try await worker(actor)
        guard let access = fileManager, access.technicianId == actor.id else {
            throw GatewayError(.fileManagerNotOpen, "The file manager is not open in this session.")
        }
        await endFileManager(reason: "\(actor.technician.name) closed it.", tellApplet: true)
    }

    func fileManagerRequest(_ message: FileManagerRequestMessage, by actor: Actor) async throws {
        let (_, work) = try await worker(actor)
        let operation = message.request.operation
        // The permission before the state: without it the answer is "not allowed" whatever runs.
        guard work.permissions.allows(operation.permission) else { throw GatewayError.forbidden(operation.permission) }
        guard let access = fileManager else { throw GatewayError(.fileManagerNotOpen, "Open the file manager first: the customer is asked.") }
        do throws(FileManagerAccess.Refusal) {
            try access.check(operation, by: actor.id, permissions: work.permissions, sessionState: work.state)
        } catch {
            throw SessionHub.gatewayError(error)
        }
        try Self.checkRequestId(message.requestId)
        try Self.checkShape(message.request)
        guard fileRequests[message.requestId] == nil else { throw GatewayError.badRequest("This requestId is already waiting for its answer.") }
        guard fileRequests.count < Self.maximumPendingFileRequests else {
            throw GatewayError.badRequest("Too many file manager requests are waiting for the customer's computer; wait for their answers.")
        }
        fileRequests[message.requestId] = PendingFileRequest(request: message.request, technicianId: actor.id, technicianName: actor.technician.name)
        // A copy gets its transfer: a read's bytes are posted by the applet and fetched by the
        // console, a write's put by the console and fetched by the applet.
        var transferId: String?
        switch message.request {
        case .read:
            transferId = UUID().uuidString
            fileManagerTransfers[transferId!] = FileManagerTransfer(pipe: BytePipe(), technicianId: actor.id, requestId: message.requestId,
                                                                    toCustomer: false)
        case .write(_, let size, _, _, _, let from):
            transferId = UUID().uuidString
            fileManagerTransfers[transferId!] = FileManagerTransfer(pipe: BytePipe(), technicianId: actor.id, requestId: message.requestId,
                                                                    toCustomer: true, size: size - from)
        case .readFiles, .writeFiles:
            // The size comes with the applet's answer: which of the files go.
            let toCustomer = if case .writeFiles = message.request { true } else { false }
            transferId = UUID().uuidString
            fileManagerTransfers[transferId!] = FileManagerTransfer(pipe: BytePipe(), technicianId: actor.id, requestId: message.requestId,
                                                                    toCustomer: toCustomer)
        default:
            break
        }
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.fileManagerRequest(
            .init(sessionId: nil, requestId: message.requestId, request: message.request, transferId: transferId))))
    }

    /// Names that could leave a folder are refused here already; roots are the applet's to check.
    static func checkShape(_ request: FileManagerRequest) throws(GatewayError) {
        let paths: [WirePath]
        var names: [WireFileName] = []
        switch request {
        case .roots: paths = []
        case .list(let path, _), .makeFolder(let path), .delete(let path), .read(let path), .partial(let path), .discard(let path), .hash(let path):
            paths = [path]
        case .write(let path, let size, let mode, let modified, _, let from):
            paths = [path]
            guard size >= 0, (0...size).contains(from), mode <= 0o7777, modified.isFinite else {
                throw GatewayError.badRequest("A write needs a size of 0 or more, a start within it, a mode up to 7777 and a time.")
            }
        case .rename(let path, let newName): paths = [path]; names = [newName]
        case .readFiles(let bundle):
            paths = bundle
        case .writeFiles(let files):
            paths = files.map(\.path)
            guard files.allSatisfy({ $0.size >= 0 && $0.mode <= 0o7777 && $0.modified.isFinite }) else {
                throw GatewayError.badRequest("Each file written needs a size of 0 or more, a mode up to 7777 and a time.")
            }
        }
        switch request {
        case .readFiles, .writeFiles:
            guard (1...FileManagerRequest.maximumFilesPerBundle).contains(paths.count), Set(paths.map(\.root)).count == 1 else {
                throw GatewayError.badRequest("A bundle holds 1 to \(FileManagerRequest.maximumFilesPerBundle) files under one root.")
            }
        default: break
        }
        do throws(FileManagerPath.Problem) {
            for path in paths {
                guard !path.root.isEmpty, path.root.utf8.count <= 4_096 else { throw .unknownRoot }
                _ = try FileManagerPath.validated(root: path.root, names: path.names.map(\.bytes), roots: [path.root])
            }
            for name in names { try FileManagerPath.check(name.bytes) }
        } catch {
            throw GatewayError.badRequest(FileManagerPath.describe(error))
        }
        switch request {
        case .makeFolder(let path), .rename(let path, _), .delete(let path), .read(let path), .write(let path, _, _, _, _, _),
             .partial(let path), .discard(let path), .hash(let path):
            guard !path.names.isEmpty else { throw GatewayError.badRequest("A root itself cannot be made, renamed, deleted or read.") }
        case .readFiles, .writeFiles:
            guard paths.allSatisfy({ !$0.names.isEmpty }) else { throw GatewayError.badRequest("A root itself cannot be read or written.") }
        case .roots, .list: break
        }
    }

    // MARK: From the applet

    func appletAnsweredFileManager(accepted: Bool, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), let record = liveRecord else { return }
        if accepted {
            guard let opened = FileManagerAccess.accepted(fileManager) else { return }
            fileManager = opened
            publishFileManager(.open, to: opened.technicianId)
            await hub.note(.fileManagerOpened, in: record)
            do { try await hub.auditConsent(.consentGiven, to: "file_manager", in: record) } catch {
                // Nothing of the customer's files is shown without the consent on the record.
                await endFileManager(reason: error.message, tellApplet: true)
            }
        } else {
            guard let asked = fileManager, asked.phase == .asking else { return }
            fileManager = nil
            fileRequests.removeAll()
            publishFileManager(.denied, reason: "The customer refused.", to: asked.technicianId)
            await hub.note(.fileManagerRefused, in: record)
            await hub.auditRefusal(.consentRefused, to: "file_manager", in: record)
        }
    }

    /// The customer's red X (or Stop everything).
    func appletClosedFileManager(reason: String, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), fileManager != nil else { return }
        if let record = liveRecord {
            await hub.auditRefusal(.consentRevoked, to: "file_manager", in: record, detail: AuditTrail.json(["reason": String(reason.prefix(200))]))
        }
        await endFileManager(reason: String(reason.prefix(200)), tellApplet: false)
    }

    /// An answer goes to the consoles of the technician who asked; a finished change is logged.
    func appletFileManagerReply(_ message: FileManagerReplyMessage, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), let pending = fileRequests[message.requestId] else { return }
        if message.reply.isFinal { fileRequests[message.requestId] = nil }
        let transfer = fileManagerTransfers.first { $0.value.requestId == message.requestId }
        switch message.reply {
        case .sending(let transferId, let size, _, _):
            // Only the transfer the gateway gave this request, of a size that makes sense.
            // The applet's upload may have come first and set the size from its Content-Length.
            guard let transfer, transfer.key == transferId, !transfer.value.toCustomer, size >= 0,
                  transfer.value.size == nil || transfer.value.size == size else { return }
            fileManagerTransfers[transferId]?.size = size
        case .receiving(let transferId):
            guard let transfer, transfer.key == transferId, transfer.value.toCustomer else { return }
        case .failed, .exists, .skipped:
            // No bytes (more) for this copy: whoever still sends or waits is told.
            if let transfer {
                let reason = if case .failed(_, let reason) = message.reply { reason } else { "the customer's computer did not take the file." }
                await transfer.value.pipe.abort(reason)
                fileManagerTransfers[transfer.key] = nil
            }
        case .transferred, .written:
            // Kept until the technician's download has taken it: a small file may be all
            // posted before the console asks for it.
            if let transfer {
                if transfer.value.technicianTook { fileManagerTransfers[transfer.key] = nil } else { fileManagerTransfers[transfer.key]?.ended = true }
            }
        case .sendingFiles(let transferId, let answers), .receivingFiles(let transferId, let answers):
            let toCustomer = if case .receivingFiles = message.reply { true } else { false }
            guard transfer?.key == transferId, bundleStarts(transferId, toCustomer: toCustomer, request: pending.request, answers: answers) else { return }
        case .files:
            bundleEnded(requestId: message.requestId)
        case .roots, .entries, .done, .partial, .hashed:
            break
        }
        // A listing page's entries written directly, as the applet's were read (DirectJSON).
        sockets.sendToConsoles(of: pending.technicianId,
                               FileManagerReplyMessage.text(sessionId: id, requestId: message.requestId, encodedReply: message.reply.encoded()))
        guard let record = liveRecord else { return }
        switch message.reply {
        case .done(let removed): await logChange(pending, removed: removed, in: record)
        case .transferred(let size, let sha256, _): await logCopy(pending, size: size, sha256: sha256, placedAs: nil, in: record)
        case .written(let name, let size, let sha256, _): await logCopy(pending, size: size, sha256: sha256, placedAs: name, in: record)
        case .files(let results): await logBundle(pending, results: results, in: record)
        default: break
        }
    }

    private func logChange(_ pending: PendingFileRequest, removed: FileManagerReply.Removed?, in record: SessionRecord) async {
        let event: SessionLogEvent
        var detail: [String: String] = [:]
        switch pending.request {
        case .makeFolder(let path):
            event = .fileManagerFolderMade(technician: pending.technicianName, path: path.shown)
            detail = ["operation": "make_folder", "path": path.shown]
        case .rename(let path, let newName):
            let name = FileManagerPath.displayName(newName.bytes)
            event = .fileManagerRenamed(technician: pending.technicianName, path: path.shown, name: name)
            detail = ["operation": "rename", "path": path.shown, "name": name]
        case .delete(let path):
            let removed = removed ?? .init(files: 0, folders: 0, bytes: 0)
            let what = "\(removed.files) files, \(removed.folders) folders, \(SessionHub.describeSize(removed.bytes))"
            event = .fileManagerDeleted(technician: pending.technicianName, path: path.shown, what: what)
            detail = ["operation": "delete", "path": path.shown, "files": "\(removed.files)", "folders": "\(removed.folders)",
                      "bytes": "\(removed.bytes)"]
        case .roots, .list, .read, .write, .partial, .discard, .hash, .readFiles, .writeFiles:
            return
        }
        await hub.note(event, in: record)
        await auditCustomerChange(.customerFilesChanged, objectType: "customer_files", technicianId: pending.technicianId,
                                  technicianName: pending.technicianName, after: AuditTrail.json(detail), in: record,
                                  what: "A change to the customer's files")
    }

    /// A copy either way; a write names the file as it was put in place (renamed on a conflict).
    private func logCopy(_ pending: PendingFileRequest, size: Int64, sha256: String, placedAs name: WireFileName?, in record: SessionRecord) async {
        let event: SessionLogEvent
        let operation: String
        let shown: String
        switch pending.request {
        case .read(let path):
            shown = path.shown
            operation = "copy_from_customer"
            event = .fileManagerCopiedFrom(technician: pending.technicianName, path: shown, size: SessionHub.describeSize(size), sha256: sha256)
        case .write(let path, _, _, _, _, _):
            shown = WirePath(root: path.root, names: path.names.dropLast() + [name ?? path.names.last!]).shown
            operation = "copy_to_customer"
            event = .fileManagerCopiedTo(technician: pending.technicianName, path: shown, size: SessionHub.describeSize(size), sha256: sha256)
        default:
            return
        }
        await hub.note(event, in: record)
        await auditCustomerChange(.customerFilesChanged, objectType: "customer_files", technicianId: pending.technicianId,
                                  technicianName: pending.technicianName,
                                  after: AuditTrail.json(["operation": operation, "path": shown, "bytes": "\(size)", "sha256": sha256]), in: record,
                                  what: "A copy from the customer's files")
    }

    // MARK: The bytes of a copy

    /// The applet's side of a copy, taken once: it posts a read's bytes (announcing the size
    /// in Content-Length, which may arrive before its `sending`), fetches a write's.
    func fileManagerAppletPipe(_ transferId: String, toCustomer: Bool, contentLength: Int64?) throws -> (BytePipe, Int64?) {
        guard var transfer = fileManagerTransfers[transferId], transfer.toCustomer == toCustomer, !transfer.appletTook else {
            throw GatewayError(.fileNotFound, "There is no such transfer in this session.")
        }
        transfer.appletTook = true
        if !toCustomer, transfer.size == nil, let contentLength, contentLength >= 0 { transfer.size = contentLength }
        fileManagerTransfers[transferId] = transfer
        return (transfer.pipe, transfer.size)
    }

    /// The technician's side: their own transfer, with the permission still granted — a read's
    /// bytes to fetch (download from the customer), a write's to put (upload to the customer).
    func fileManagerTechnicianPipe(_ transferId: String, toCustomer: Bool, by actor: Actor) async throws -> (BytePipe, Int64?) {
        let (_, work) = try await worker(actor)
        let needed: Permission = toCustomer ? .fileManagerUpload : .fileManagerDownload
        guard work.permissions.allows(needed) else { throw GatewayError.forbidden(needed) }
        guard var transfer = fileManagerTransfers[transferId], transfer.technicianId == actor.id, transfer.toCustomer == toCustomer,
              !transfer.technicianTook else {
            throw GatewayError(.fileNotFound, "There is no such transfer in this session.")
        }
        transfer.technicianTook = true
        // A read the applet already finished is done with once its bytes are handed over.
        fileManagerTransfers[transferId] = transfer.ended ? nil : transfer
        return (transfer.pipe, transfer.size)
    }

    /// The live session the actor works on (as its lead or a colleague), and how; anyone else's is "not found".
    private func worker(_ actor: Actor) async throws -> (SessionRecord, (state: SessionState, permissions: PermissionSet)) {
        let record = try await hub.visibleSession(id, by: actor)
        guard isLive, let work = hub.work(on: record, by: actor) else { throw GatewayError.sessionNotFound }
        return (record, work)
    }

    /// A colleague's file manager ends when they stop collaborating (they left, were removed, or
    /// hold the session for themselves), as the lead's ends with a hold or a transfer.
    func fileManagerFollowsRecord() {
        guard let access = fileManager, record.technicianId != access.technicianId,
              record.otherViews[access.technicianId]?.state != .collaboration else { return }
        Task { await endFileManager(ifRunBy: access.technicianId, reason: "The technician no longer works on the session.") }
    }

    // MARK: Ending

    /// Closes the file manager: the console told, the applet told unless it said so itself.
    func endFileManager(reason: String, tellApplet: Bool) async {
        guard let access = fileManager else { return }
        fileManager = nil
        let unanswered = fileRequests
        fileRequests.removeAll()
        for transfer in fileManagerTransfers.values { await transfer.pipe.abort("The file manager closed: \(reason)") }
        fileManagerTransfers.removeAll()
        for (requestId, pending) in unanswered {
            sockets.sendToConsoles(of: pending.technicianId, WireCodec.encode(GatewayToConsole.fileManagerReply(
                .init(sessionId: id, requestId: requestId, reply: .failed(code: "closed", message: "The file manager closed: \(reason)")))))
        }
        if tellApplet { sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.fileManagerClose(.init(reason: reason)))) }
        publishFileManager(.closed, reason: reason, to: access.technicianId)
        if let record = liveRecord { await hub.note(.fileManagerClosed(reason: reason), in: record) }
    }

    /// The technician's last console closed: nobody is left to use it.
    func endFileManager(ifRunBy technicianId: String, reason: String) async {
        guard fileManager?.technicianId == technicianId else { return }
        await endFileManager(reason: reason, tellApplet: true)
    }

    private func publishFileManager(_ phase: FileManagerStatus.Phase, reason: String? = nil, to technicianId: String) {
        sockets.sendToConsoles(of: technicianId, WireCodec.encode(GatewayToConsole.fileManager(.init(sessionId: id, phase: phase, reason: reason))))
    }
}

/// A copy on its way: the pipe between one side's upload and the other's download.
struct FileManagerTransfer: Sendable {
    let pipe: BytePipe
    let technicianId: String
    let requestId: String
    /// A write (technician → customer) rather than a read.
    let toCustomer: Bool
    /// The bytes that pass: a write's from its request, a read's once the applet says it is sending.
    var size: Int64?
    /// Each side takes the transfer once.
    var appletTook = false
    var technicianTook = false
    /// The applet's last word came (a read finished) before the technician took it.
    var ended = false
}

/// A request passed to the applet, kept until its last answer.
struct PendingFileRequest: Sendable {
    let request: FileManagerRequest
    let technicianId: String
    let technicianName: String
}
