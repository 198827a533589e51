import Crypto
import Foundation
import LifelineCore
import LifelineProtocol
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

    init(gateway: URL, transcript: Transcript, outgoing: OutgoingMessages) {
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

    func refuse() async {
        guard let offer = pending else { return transcript.note("No file is waiting for you.") }
        pending = nil
        await outgoing.send(.fileAnswer(id: offer.id, accepted: false))
        transcript.note("You declined the file \(Transcript.clean(offer.name)).")
    }

    /// `/save [folder]`: the folder must exist and be writable; the name is the offer's, made safe
    /// again here whatever the gateway sent, and never replaces an existing file.
    func save(in folderArgument: String) async {
        guard let offer = pending else { return transcript.note("No file is waiting for you.") }
        let folder = folderArgument.isEmpty ? Self.defaultFolder() : (folderArgument as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.isWritableFile(atPath: folder) else {
            return transcript.note("\(folder) is not a folder you can write to. Type /save <folder> with another one, or /refuse.")
        }
        let name: String
        do { name = try FileTransferRules.safeName(offer.name) } catch {
            pending = nil
            await outgoing.send(.fileResult(id: offer.id, md5: nil, error: "The file's name is not usable on the customer's computer."))
            return transcript.fileFailed(name: offer.name, reason: FileTransferRules.describe(error))
        }
        pending = nil
        busy = true
        await outgoing.send(.fileAnswer(id: offer.id, accepted: true))
        let destination = Self.freePath(in: folder, name: name)
        let result = await download(offer, to: destination)
        busy = false
        switch result {
        case .success(let md5):
            transcript.fileSaved(path: destination, md5: md5)
            await outgoing.send(.fileResult(id: offer.id, md5: md5, error: nil))
        case .failure(let reason):
            transcript.fileFailed(name: name, reason: reason.message)
            await outgoing.send(.fileResult(id: offer.id, md5: nil, error: reason.message))
        }
    }

    struct Problem: Error { let message: String }

    private func download(_ offer: FileOffer, to destination: String) async -> Result<String, Problem> {
        guard let token = appletToken else { return .failure(Problem(message: "not connected")) }
        let part = (destination as NSString).deletingLastPathComponent + "/." + (destination as NSString).lastPathComponent + ".lifeline-part"
        guard FileManager.default.createFile(atPath: part, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: part) else {
            return .failure(Problem(message: "the file cannot be written in that folder"))
        }
        var request = URLRequest(url: gateway.appendingPathComponent("api/v1/customer/files/\(offer.id)"))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 60
        let sink = DownloadSink(handle: handle, expected: offer.size, transcript: transcript, name: offer.name)
        let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: nil)
        let outcome = await sink.run(session.dataTask(with: request))
        session.finishTasksAndInvalidate()
        try? handle.close()
        guard case .success(let md5) = outcome else {
            try? FileManager.default.removeItem(atPath: part)
            return outcome
        }
        do {
            try FileManager.default.moveItem(atPath: part, toPath: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: part)
            return .failure(Problem(message: "the file could not be put in place: \(error.localizedDescription)"))
        }
        return .success(md5)
    }

    /// `/send <path>`: one regular file, streamed from disk to the gateway.
    func send(path argument: String) async {
        guard let token = appletToken else { return transcript.note("Not connected yet.") }
        guard !busy else { return transcript.note("A file is already on its way: one at a time.") }
        let path = (argument as NSString).expandingTildeInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.int64Value else {
            return transcript.note("\(path) is not a file you can send.")
        }
        let name = (path as NSString).lastPathComponent
        var request = URLRequest(url: gateway.appendingPathComponent("api/v1/customer/files"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name, forHTTPHeaderField: "X-File-Name")
        request.setValue(String(size), forHTTPHeaderField: "Content-Length")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 600
        busy = true
        defer { busy = false }
        transcript.note("Sending \(name) (\(size) bytes) to your technician…")
        do {
            let (data, response) = try await URLSession.shared.upload(for: request, fromFile: URL(fileURLWithPath: path))
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 201, let summary = try? JSONDecoder().decode(FileTransferSummary.self, from: data) else {
                let message = (try? JSONDecoder().decode([String: [String: String]].self, from: data))?["error"]?["message"]
                return transcript.fileFailed(name: name, reason: message ?? "the gateway answered HTTP \(status)")
            }
            transcript.fileSent(name: name, md5: summary.md5 ?? "")
        } catch {
            transcript.fileFailed(name: name, reason: error.localizedDescription)
        }
    }

    static func defaultFolder() -> String {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let downloads = ProcessInfo.processInfo.environment["XDG_DOWNLOAD_DIR"] ?? "\(home)/Downloads"
        return FileManager.default.fileExists(atPath: downloads) ? downloads : home
    }

    /// `name`, or `name (1)`, `name (2)` … before the extension: an existing file is never replaced.
    static func freePath(in folder: String, name: String) -> String {
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var candidate = "\(folder)/\(name)"
        var index = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(folder)/\(base) (\(index))" + (ext.isEmpty ? "" : ".\(ext)")
            index += 1
        }
        return candidate
    }
}

/// Receives a download chunk by chunk (URLSession delegate): writes, hashes and reports progress;
/// fails unless exactly the announced bytes arrived.
final class DownloadSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let handle: FileHandle
    private let expected: Int64
    private let transcript: Transcript
    private let name: String
    private let lock = NSLock()
    private var digest = Insecure.MD5()
    private var received: Int64 = 0
    private var reportedTenth = 0
    private var status = 0
    private var writeError: String?
    private var continuation: CheckedContinuation<Result<String, FileTransfers.Problem>, Never>?

    init(handle: FileHandle, expected: Int64, transcript: Transcript, name: String) {
        self.handle = handle
        self.expected = expected
        self.transcript = transcript
        self.name = name
    }

    func run(_ task: URLSessionDataTask) async -> Result<String, FileTransfers.Problem> {
        await withCheckedContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            task.resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.withLock {
            guard status == 200, writeError == nil else { return }
            do { try handle.write(contentsOf: data) } catch {
                writeError = "the disk refused the file: \(error.localizedDescription)"
                dataTask.cancel()
                return
            }
            data.withUnsafeBytes { digest.update(bufferPointer: $0) }
            received += Int64(data.count)
            let tenth = expected > 0 ? Int(received * 10 / expected) : 10
            if tenth > reportedTenth && tenth < 10 {
                reportedTenth = tenth
                transcript.fileProgress(name: name, percent: tenth * 10)
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let result: Result<String, FileTransfers.Problem> = lock.withLock {
            if let writeError { return .failure(.init(message: writeError)) }
            if status != 200 { return .failure(.init(message: "the gateway answered HTTP \(status)")) }
            if let error { return .failure(.init(message: "the transfer was interrupted after \(received) of \(expected) bytes (\(error.localizedDescription))")) }
            guard received == expected else {
                return .failure(.init(message: "the transfer was interrupted after \(received) of \(expected) bytes"))
            }
            return .success(digest.finalize().map { String(format: "%02x", $0) }.joined())
        }
        let continuation = lock.withLock { () -> CheckedContinuation<Result<String, FileTransfers.Problem>, Never>? in
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(returning: result)
    }
}
