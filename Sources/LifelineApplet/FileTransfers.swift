import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import Synchronization
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Files with the technician, on the customer's side (D4, G1): an offered file is saved only where
/// the customer says (`/save [folder]`), written to a hidden part file, hashed, and renamed into
/// place only when every byte arrived — an interrupted transfer leaves nothing behind. `/send
/// <path>` sends one file to the technician.
actor FileTransfers {
    private let gateway: URL
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private var appletToken: String?
    private var pending: FileOffer?
    private var busy = false

    private let proxy: ProxySettings?

    init(gateway: URL, transcript: Transcript, outgoing: OutgoingMessages, proxy: ProxySettings? = nil) {
        self.proxy = proxy
        self.gateway = gateway
        self.transcript = transcript
        self.outgoing = outgoing
    }

    func joined(token: String) { appletToken = token }

    func offered(_ offer: FileOffer) {
        pending = offer
        transcript.fileOffered(offer, folder: Self.defaultFolder())
    }

    /// The technician's side gave up. A download under way reports the failure itself, with the name.
    func cancelled(_ id: String, reason: String) {
        guard let offer = pending, offer.id == id else { return }
        pending = nil
        transcript.fileFailed(name: offer.name, reason: reason)
    }

    /// `/revoke`: a waiting offer is declined without a word of its own.
    func refuseQuietly() async {
        guard let offer = pending else { return }
        pending = nil
        await outgoing.send(.fileAnswer(.init(id: offer.id, accepted: false)))
    }

    func refuse() async {
        guard let offer = pending else { return transcript.note(key: "file.none_waiting") }
        pending = nil
        await outgoing.send(.fileAnswer(.init(id: offer.id, accepted: false)))
        transcript.note(key: "file.declined", ["name": Transcript.clean(offer.name)])
    }

    /// `/save [folder]`: the folder must exist and be writable; the name is the offer's, made safe
    /// again here whatever the gateway sent, and never replaces an existing file.
    func save(in folderArgument: String) async {
        guard let offer = pending else { return transcript.note(key: "file.none_waiting") }
        let folder = folderArgument.isEmpty ? Self.defaultFolder() : LocalPaths.expandingTilde(folderArgument)
        guard LocalPaths.isWritableFolder(folder) else {
            return transcript.note(key: "file.folder_not_writable", ["folder": folder])
        }
        let name: String
        do { name = try FileTransferRules.safeName(offer.name) } catch {
            pending = nil
            await outgoing.send(.fileResult(.init(id: offer.id, md5: nil, error: "The file's name is not usable on the customer's computer.")))
            return transcript.fileFailed(name: offer.name, reason: FileTransferRules.describe(error))
        }
        pending = nil
        busy = true
        await outgoing.send(.fileAnswer(.init(id: offer.id, accepted: true)))
        let destination = Self.freePath(in: folder, name: name)
        let result = await download(offer, to: destination)
        busy = false
        switch result {
        case .success(let md5):
            transcript.fileSaved(path: destination, md5: md5)
            await outgoing.send(.fileResult(.init(id: offer.id, md5: md5, error: nil)))
        case .failure(let reason):
            transcript.fileFailed(name: name, reason: reason.message)
            await outgoing.send(.fileResult(.init(id: offer.id, md5: nil, error: reason.message)))
        }
    }

    struct Problem: Error { let message: String }

    private func download(_ offer: FileOffer, to destination: String) async -> Result<String, Problem> {
        guard let token = appletToken else { return .failure(Problem(message: "not connected")) }
        let part = LocalPaths.parent(destination) + "/." + LocalPaths.lastComponent(destination) + ".lifeline-part"
        let descriptor = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .failure(Problem(message: "the file cannot be written in that folder")) }
        let url = gateway.appendingPathComponent("api/v1/customer/files/\(offer.id)")
        let transcript = self.transcript, name = offer.name, size = offer.size
        let tenths = Tenths()
        let outcome: Result<String, Problem>
        do {
            let md5 = try await HTTPDownload.fetch(url, bearer: token, into: descriptor, expected: size, proxy: proxy) { received in
                // Every tenth of the file, once.
                if let tenth = tenths.next(received: received, of: size) { transcript.fileProgress(name: name, percent: tenth * 10) }
            }
            outcome = .success(md5)
        } catch let failure as HTTPDownload.Failure {
            outcome = .failure(Problem(message: failure.message))
        } catch {
            outcome = .failure(Problem(message: "the transfer failed (\(error))"))
        }
        close(descriptor)
        guard case .success(let md5) = outcome else {
            try? FileManager.default.removeItem(atPath: part)
            return outcome
        }
        do {
            try FileManager.default.moveItem(atPath: part, toPath: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: part)
            return .failure(Problem(message: "the file could not be put in place: \(error)"))
        }
        return .success(md5)
    }

    /// `/send <path>`: one regular file, streamed from disk to the gateway.
    func send(path argument: String) async {
        guard let token = appletToken else { return transcript.note(key: "file.not_connected") }
        guard !busy else { return transcript.note(key: "file.one_at_a_time") }
        let path = LocalPaths.expandingTilde(argument)
        guard let size = LocalPaths.regularFileSize(path) else {
            return transcript.note(key: "file.not_sendable", ["path": path])
        }
        let name = LocalPaths.lastComponent(path)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return transcript.note(key: "file.not_sendable", ["path": path]) }
        defer { close(descriptor) }
        var request = HTTPClientRequest(url: gateway.appendingPathComponent("api/v1/customer/files").absoluteString)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "X-File-Name", value: name.percentEncoded())
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = AppletHTTP.fileBody(descriptor: descriptor, size: size)
        busy = true
        defer { busy = false }
        transcript.note(key: "file.sending", ["name": name, "size": "\(size)"])
        do {
            let answer = try await AppletHTTP.send(request, proxy: proxy, timeout: .hours(12))
            let (status, data) = (answer.status, answer.body)
            guard status == 201, let summary = try? JSONDecoder().decode(FileTransferSummary.self, from: data) else {
                return transcript.fileFailed(name: name, reason: answer.errorMessage ?? "the gateway answered HTTP \(status)")
            }
            transcript.fileSent(name: name, md5: summary.md5 ?? "")
        } catch {
            transcript.fileFailed(name: name, reason: "\(error)")
        }
    }

    static func defaultFolder() -> String {
        let home = LocalPaths.home()
        let downloads = ProcessInfo.processInfo.environment["XDG_DOWNLOAD_DIR"] ?? "\(home)/Downloads"
        return FileManager.default.fileExists(atPath: downloads) ? downloads : home
    }

    /// `name`, or `name (1)`, `name (2)` … before the extension: an existing file is never replaced.
    static func freePath(in folder: String, name: String) -> String {
        let (base, ext) = LocalPaths.splitExtension(name)
        var candidate = "\(folder)/\(name)"
        var index = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(folder)/\(base) (\(index))" + (ext.isEmpty ? "" : ".\(ext)")
            index += 1
        }
        return candidate
    }
}

/// Which tenths of a download were already reported (called from the download's event loop).
final class Tenths: @unchecked Sendable {
    private let reported = Mutex(0)

    func next(received: Int64, of total: Int64) -> Int? {
        let tenth = total > 0 ? Int(received * 10 / total) : 10
        return reported.withLock { reported in
            guard tenth > reported, tenth < 10 else { return nil }
            reported = tenth
            return tenth
        }
    }
}
