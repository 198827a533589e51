#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import Crypto
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import NIOCore
import Synchronization

/// Raised when the file manager closes: disk work under way (a long delete, a long listing)
/// stops between two entries.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isRaised: Bool { raised.load(ordering: .acquiring) }
    func raise() { raised.store(true, ordering: .releasing) }
}

/// The customer's side of the file manager (K1–K5). The consent is enforced here, whatever the
/// gateway lets through: nothing is read or changed unless the customer allowed it, and the red
/// X closes it at once. Paths are checked again and walked without following links
/// (`CustomerFiles`); the disk work runs on a thread of its own, off Swift's few shared threads.
actor FileManagerController {
    private let consent: RemoteConsent
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    /// Where a read's bytes go: the gateway, with this applet's token, through the card's proxy.
    private let upload: (gateway: URL, token: String, proxy: ProxySettings?)?
    private var pendingTechnician: String?
    private var technician: String?
    /// Fixed when the file manager opens: the roots the technician may browse.
    private var files: CustomerFiles?
    /// Raised and replaced whenever it closes.
    private var stop = StopFlag()

    private func closeAll() {
        pendingTechnician = nil
        files = nil
        technician = nil
        stop.raise()
        stop = StopFlag()
    }

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages,
         upload: (gateway: URL, token: String, proxy: ProxySettings?)? = nil) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
        self.upload = upload
    }

    var isPending: Bool { pendingTechnician != nil }
    var isOpen: Bool { files != nil }

    func requested(by technicianName: String) async {
        guard files == nil else {
            await outgoing.send(.fileManagerAnswer(.init(accepted: true)))
            return
        }
        switch consent {
        case .accept: await open(for: technicianName)
        case .deny:
            transcript.fileManagerDenied()
            await outgoing.send(.fileManagerAnswer(.init(accepted: false)))
        case .ask:
            pendingTechnician = technicianName
            transcript.fileManagerRequested(technician: technicianName)
        }
    }

    /// The customer's Allow or Deny (the window's dialog, /allow or /deny in the terminal).
    func customerAnswered(allow: Bool) async {
        guard let asking = pendingTechnician else { return }
        pendingTechnician = nil
        if allow {
            await open(for: asking)
        } else {
            transcript.fileManagerDenied()
            await outgoing.send(.fileManagerAnswer(.init(accepted: false)))
        }
    }

    private func open(for technicianName: String) async {
        technician = technicianName
        files = CustomerFiles()
        transcript.fileManagerOpened(technician: technicianName)
        await outgoing.send(.fileManagerAnswer(.init(accepted: true)))
    }

    /// The customer's red X (the permissions panel, Stop everything, /revoke).
    func customerClosed() async {
        if pendingTechnician != nil {
            pendingTechnician = nil
            await outgoing.send(.fileManagerAnswer(.init(accepted: false)))
        }
        guard files != nil else { return }
        closeAll()
        transcript.fileManagerClosed(reason: transcript.text("files.closed_by_you"))
        await outgoing.send(.fileManagerClosed(.init(reason: "The customer closed the file manager.")))
    }

    /// The technician closed it, or the session moved on (hold, transfer, end).
    func technicianClosed(reason: String) {
        let wasOpen = files != nil || pendingTechnician != nil
        closeAll()
        if wasOpen { transcript.fileManagerClosed(reason: reason) }
    }

    /// The connection dropped: the gateway closed it on its side.
    func detach() {
        closeAll()
    }

    func handle(_ message: FileManagerRequestMessage) async {
        let reply = { [outgoing] (answer: FileManagerReply) async in
            await outgoing.send(.fileManagerReply(.init(sessionId: nil, requestId: message.requestId, reply: answer)))
        }
        // Consent is enforced here: nothing happens unless the customer allowed it.
        guard let files, let technician else {
            await reply(.failed(code: "not_allowed", message: "The customer has not opened the file manager."))
            return
        }
        let request = message.request
        let stop = self.stop
        if case .read(let path) = request {
            await reply(await read(path, requestId: message.requestId, transferId: message.transferId, files: files))
            return
        }
        // A listing is read whole, then sent in pages in order; the last page is the answer.
        let answers: [FileManagerReply] = await Self.offThread {
            do throws(FileManagerFailure) {
                switch request {
                case .roots:
                    return [.roots(files.roots)]
                case .list(let path, let hidden):
                    var pages: [FileManagerReply] = []
                    try files.list(try Self.validated(path, in: files), hidden: hidden, shouldStop: { stop.isRaised }) { entries, done in
                        pages.append(.entries(entries, done: done))
                    }
                    return pages
                case .makeFolder(let path):
                    try files.makeFolder(try Self.validated(path, in: files))
                    return [.done(nil)]
                case .rename(let path, let newName):
                    try files.rename(try Self.validated(path, in: files), to: newName.bytes)
                    return [.done(nil)]
                case .delete(let path):
                    return [.done(try files.delete(try Self.validated(path, in: files), shouldStop: { stop.isRaised }))]
                case .read:
                    return [.failed(code: "bad_request", message: "A read is handled on its own.")]
                }
            } catch {
                return [.failed(code: error.code, message: error.message)]
            }
        }
        for answer in answers.dropLast() { await reply(answer) }
        guard let answer = answers.last else { return }
        if case .done = answer { transcript.fileManagerChanged(request, technician: technician) }
        await reply(answer)
    }

    /// A file to the technician: opened without following a link, announced (`sending`), posted to
    /// the gateway with its SHA-256 taken on the way, then `transferred`.
    private func read(_ path: WirePath, requestId: String, transferId: String?, files: CustomerFiles) async -> FileManagerReply {
        guard let transferId, let upload else { return .failed(code: "bad_request", message: "This read has no transfer.") }
        let opened: CustomerFiles.OpenedFile
        do throws(FileManagerFailure) {
            opened = try files.openForReading(try Self.validated(path, in: files))
        } catch {
            return .failed(code: error.code, message: error.message)
        }
        defer { close(opened.descriptor) }
        await outgoing.send(.fileManagerReply(.init(sessionId: nil, requestId: requestId, reply: .sending(
            transferId: transferId, size: opened.size, mode: opened.mode, modified: opened.modified))))
        let hash = Mutex(SHA256())
        var request = HTTPClientRequest(url: upload.gateway.appendingPathComponent("api/v1/customer/file-manager/\(transferId)").absoluteString)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(upload.token)")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = AppletHTTP.fileBody(descriptor: opened.descriptor, size: opened.size) { piece in
            piece.withUnsafeReadableBytes { bytes in hash.withLock { $0.update(bufferPointer: bytes) } }
        }
        do {
            let answer = try await AppletHTTP.send(request, proxy: upload.proxy, timeout: .hours(12))
            guard (200..<300).contains(answer.status) else {
                return .failed(code: "interrupted", message: answer.errorMessage ?? "The gateway answered HTTP \(answer.status).")
            }
        } catch {
            return .failed(code: "interrupted", message: "The copy broke off: \(error)")
        }
        let sha256 = hash.withLock { $0.finalize().hexString }
        transcript.fileManagerCopied(path, size: opened.size, technician: technician ?? "")
        return .transferred(size: opened.size, sha256: sha256)
    }

    static func validated(_ path: WirePath, in files: CustomerFiles) throws(FileManagerFailure) -> FileManagerPath {
        do { return try path.validated(roots: files.rootIds) } catch {
            throw FileManagerFailure(code: "bad_path", message: FileManagerPath.describe(error))
        }
    }

    /// Runs blocking disk work on a thread of its own.
    static func offThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            if !PosixThread.start({ continuation.resume(returning: work()) }) {
                continuation.resume(returning: work())
            }
        }
    }
}
