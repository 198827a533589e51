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
    let transcript: Transcript
    let outgoing: OutgoingMessages
    /// Where copies' bytes go and come from: the gateway, with this applet's token, through the card's proxy.
    let gateway: (url: URL, token: String, proxy: ProxySettings?)?
    private var pendingTechnician: String?
    private(set) var technician: String?
    /// Fixed when the file manager opens: the roots the technician may browse.
    private var files: CustomerFiles?
    /// Raised and replaced whenever it closes.
    private(set) var stop = StopFlag()

    private func closeAll() {
        pendingTechnician = nil
        files = nil
        technician = nil
        stop.raise()
        stop = StopFlag()
    }

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages,
         gateway: (url: URL, token: String, proxy: ProxySettings?)? = nil) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
        self.gateway = gateway
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
            // A listing page's entries written directly (DirectJSON): a tree's plan asks for thousands.
            await outgoing.send(text: FileManagerReplyMessage.text(requestId: message.requestId, encodedReply: answer.encoded()))
        }
        // Consent is enforced here: nothing happens unless the customer allowed it.
        guard let files, let technician else {
            await reply(.failed(code: "not_allowed", message: "The customer has not opened the file manager."))
            return
        }
        let request = message.request
        let stop = self.stop
        switch request {
        case .read(let path):
            await reply(await read(path, requestId: message.requestId, transferId: message.transferId, files: files, stop: stop))
            return
        case .write(let path, let size, let mode, let modified, let conflict, let from):
            let copy = IncomingCopy(path: path, size: size, mode: mode, modified: modified, conflict: conflict, from: from)
            await reply(await write(copy, requestId: message.requestId, transferId: message.transferId, files: files, stop: stop))
            return
        case .readFiles(let paths):
            await reply(await readFiles(paths, requestId: message.requestId, transferId: message.transferId, files: files, stop: stop))
            return
        case .writeFiles(let specs):
            await reply(await writeFiles(specs, requestId: message.requestId, transferId: message.transferId, files: files, stop: stop))
            return
        default:
            break
        }
        // A listing is read whole, then sent in pages in order; the last page is the answer.
        let answers: [FileManagerReply] = await PosixThread.offThread {
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
                case .partial(let path):
                    let (size, digest) = try files.partial(try Self.validated(path, in: files))
                    let (sha256, blocks) = digest.finalize()
                    return [.partial(size: size, sha256: sha256, blocks: blocks)]
                case .discard(let path):
                    try files.discardPart(try Self.validated(path, in: files))
                    return [.done(nil)]
                case .hash(let path):
                    let (size, digest) = try files.hash(try Self.validated(path, in: files))
                    let (sha256, blocks) = digest.finalize()
                    return [.hashed(size: size, sha256: sha256, blocks: blocks)]
                case .read, .write, .readFiles, .writeFiles:
                    return [.failed(code: "bad_request", message: "A copy is handled on its own.")]
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

    static func validated(_ path: WirePath, in files: CustomerFiles) throws(FileManagerFailure) -> FileManagerPath {
        do { return try path.validated(roots: files.rootIds) } catch {
            throw FileManagerFailure(code: "bad_path", message: FileManagerPath.describe(error))
        }
    }
}
