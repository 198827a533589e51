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
import NIOHTTP1

/// A file the technician copies to this computer, as the request describes it.
struct IncomingCopy: Sendable {
    let path: WirePath
    let size: Int64
    let mode: UInt32
    let modified: Double
    let conflict: FileConflict
    /// Where the bytes start: what an interrupted copy left and the technician's side checked.
    let from: Int64
}

/// The copies of the file manager (K3), both ways, through the gateway's transfer routes.
extension FileManagerController {
    /// A file to the technician: opened without following a link, announced (`sending`), posted to
    /// the gateway with its SHA-256 taken on the way, then `transferred`.
    func read(_ path: WirePath, requestId: String, transferId: String?, files: CustomerFiles, stop: StopFlag) async -> FileManagerReply {
        guard let transferId, let gateway else { return .failed(code: "bad_request", message: "This read has no transfer.") }
        let opened: CustomerFiles.OpenedFile
        do throws(FileManagerFailure) {
            opened = try files.openForReading(try Self.validated(path, in: files))
        } catch {
            return .failed(code: error.code, message: error.message)
        }
        defer { close(opened.descriptor) }
        await outgoing.send(.fileManagerReply(.init(sessionId: nil, requestId: requestId, reply: .sending(
            transferId: transferId, size: opened.size, mode: opened.mode, modified: opened.modified))))
        let hash = Mutex(CopyDigest())
        var request = HTTPClientRequest(url: Self.transferURL(gateway.url, transferId))
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(gateway.token)")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.body = AppletHTTP.fileBody(descriptor: opened.descriptor, size: opened.size, stop: stop) { piece in
            piece.withUnsafeReadableBytes { bytes in hash.withLock { $0.update(bufferPointer: bytes) } }
        }
        do {
            let answer = try await AppletHTTP.send(request, proxy: gateway.proxy, timeout: .hours(12))
            guard (200..<300).contains(answer.status) else {
                return .failed(code: "interrupted", message: answer.errorMessage ?? "The gateway answered HTTP \(answer.status).")
            }
        } catch {
            return stop.isRaised ? Self.stoppedByCustomer : .failed(code: "interrupted", message: "The copy broke off: \(error)")
        }
        let (sha256, blocks) = hash.withLock { $0.finalize() }
        transcript.fileManagerCopied(path, size: opened.size, technician: technician ?? "")
        return .transferred(size: opened.size, sha256: sha256, blocks: blocks)
    }

    /// A file from the technician: the name checked against the conflict rule before any byte
    /// moves, the bytes fetched into the part file (after what an earlier attempt left, when the
    /// technician's side matched it), hashed on the way, then put in place with its mode and time.
    func write(_ copy: IncomingCopy, requestId: String, transferId: String?, files: CustomerFiles, stop: StopFlag) async -> FileManagerReply {
        guard let transferId, let gateway else { return .failed(code: "bad_request", message: "This write has no transfer.") }
        let prepared: Result<CustomerFiles.PreparedWrite, FileManagerFailure> = await PosixThread.offThread {
            do throws(FileManagerFailure) {
                return .success(try files.prepareWrite(try Self.validated(copy.path, in: files), copy: copy))
            } catch {
                return .failure(error)
            }
        }
        let part: CustomerFiles.PartFile
        let digest: CopyDigest
        switch prepared {
        case .failure(let failure): return .failed(code: failure.code, message: failure.message)
        case .success(.taken(let entry)): return .exists(entry)
        case .success(.notWanted): return .skipped
        case .success(.ready(let opened, let prefix)):
            part = opened
            digest = prefix
        }
        await outgoing.send(.fileManagerReply(.init(sessionId: nil, requestId: requestId, reply: .receiving(transferId: transferId))))
        let arrived: CopyDigest
        do {
            arrived = try await HTTPDownload.fetch(URL(string: Self.transferURL(gateway.url, transferId))!, bearer: gateway.token,
                                                  into: part.descriptor, expected: copy.size - copy.from, digest: digest,
                                                  proxy: gateway.proxy, stop: stop) { _ in }
        } catch {
            // What arrived stays for a resume unless the customer stopped it.
            files.discard(part, keepForResume: !stop.isRaised)
            if stop.isRaised { return Self.stoppedByCustomer }
            let reason = (error as? HTTPDownload.Failure)?.message ?? "\(error)"
            return .failed(code: "interrupted", message: "The copy broke off: \(reason).")
        }
        let finished: Result<[UInt8]?, FileManagerFailure> = await PosixThread.offThread {
            do throws(FileManagerFailure) {
                return .success(try files.finish(part, mode: copy.mode, modified: copy.modified, conflict: copy.conflict))
            } catch {
                return .failure(error)
            }
        }
        switch finished {
        case .failure(let failure):
            return .failed(code: failure.code, message: failure.message)
        case .success(nil):
            return .skipped
        case .success(let name?):
            let placed = WirePath(root: copy.path.root, names: copy.path.names.dropLast() + [WireFileName(name)])
            transcript.fileManagerReceived(placed, size: copy.size, technician: technician ?? "")
            let (sha256, blocks) = arrived.finalize()
            return .written(name: WireFileName(name), size: copy.size, sha256: sha256, blocks: blocks)
        }
    }

    static let stoppedByCustomer = FileManagerReply.failed(code: "stopped", message: "The customer stopped the file manager.")

    static func transferURL(_ gateway: URL, _ transferId: String) -> String {
        gateway.appendingPathComponent("api/v1/customer/file-manager/\(transferId)").absoluteString
    }
}
