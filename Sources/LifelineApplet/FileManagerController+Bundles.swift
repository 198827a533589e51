#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import NIOCore
import NIOHTTP1

/// Bundles of small files (K3), both ways: one transfer for up to 256 files, their bytes one
/// after another; each file still verified by its own SHA-256 and put in place by one rename.
extension FileManagerController {
    /// Files to the technician: each looked at (`sending` or `failed`, announced together), then
    /// the bytes of those that go posted as one stream, then each file's hashes (`files`).
    func readFiles(_ paths: [WirePath], requestId: String, transferId: String?, files: CustomerFiles, stop: StopFlag) async -> FileManagerReply {
        guard let transferId, let gateway else { return .failed(code: "bad_request", message: "This read has no transfer.") }
        let looked: [Result<(FileManagerPath, size: Int64, mode: UInt32, modified: Double), FileManagerFailure>] = await PosixThread.offThread {
            paths.map { wire in
                do throws(FileManagerFailure) {
                    let path = try Self.validated(wire, in: files)
                    let (size, mode, modified) = try files.statForReading(path)
                    return .success((path, size, mode, modified))
                } catch {
                    return .failure(error)
                }
            }
        }
        var slots: [BundleReader.Slot] = []
        let announced: [FileManagerReply] = looked.map { result in
            switch result {
            case .success(let file):
                slots.append(.init(path: file.0, size: file.size))
                return .sending(transferId: transferId, size: file.size, mode: file.mode, modified: file.modified)
            case .failure(let failure):
                return .failed(code: failure.code, message: failure.message)
            }
        }
        await outgoing.send(.fileManagerReply(.init(sessionId: nil, requestId: requestId, reply: .sendingFiles(transferId: transferId, files: announced))))
        let reader = BundleReader(files: files, slots: slots, stop: stop)
        var sent: [FileManagerReply] = []
        if reader.totalSize > 0 {
            var request = HTTPClientRequest(url: Self.transferURL(gateway.url, transferId))
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(gateway.token)")
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .stream(AsyncStream<ByteBuffer>(unfolding: { reader.next() }), length: .known(reader.totalSize))
            do {
                let answer = try await AppletHTTP.send(request, proxy: gateway.proxy, timeout: .hours(1))
                guard (200..<300).contains(answer.status) else {
                    return .failed(code: "interrupted", message: answer.errorMessage ?? "The gateway answered HTTP \(answer.status).")
                }
            } catch {
                return stop.isRaised ? Self.stoppedByCustomer : .failed(code: "interrupted", message: "The copy broke off: \(error)")
            }
            sent = reader.results
        } else {
            // Nothing but empty files (or none could be read): nothing to post.
            sent = slots.map { _ in let (sha256, blocks) = CopyDigest().finalize(); return .transferred(size: 0, sha256: sha256, blocks: blocks) }
        }
        var results = sent.makeIterator()
        let answers = announced.map { answer -> FileManagerReply in
            guard case .sending = answer else { return answer }
            return results.next() ?? .failed(code: "interrupted", message: "The copy broke off before this file.")
        }
        for (slot, answer) in zip(slots, sent) {
            if case .transferred(let size, _, _) = answer {
                transcript.fileManagerCopied(WirePath(slot.path), size: size, technician: technician ?? "")
            }
        }
        return .files(answers)
    }

    /// Files from the technician: the conflict rule for each before any byte moves (`receiving`,
    /// `exists`, `skipped` or `failed`, announced together), the bytes of the wanted ones fetched
    /// as one stream, then each written to its part file, synced and put in place (`files`).
    func writeFiles(_ specs: [FileWrite], requestId: String, transferId: String?, files: CustomerFiles, stop: StopFlag) async -> FileManagerReply {
        guard let transferId, let gateway else { return .failed(code: "bad_request", message: "This write has no transfer.") }
        let verdicts: [FileManagerReply] = await PosixThread.offThread {
            specs.map { spec in
                do throws(FileManagerFailure) {
                    let path = try Self.validated(spec.path, in: files)
                    switch try files.conflictAnswer(path, conflict: spec.conflict, modified: spec.modified) {
                    case nil, .ready?: return .receiving(transferId: transferId)
                    case .taken(let entry)?: return .exists(entry)
                    case .notWanted?: return .skipped
                    }
                } catch {
                    return .failed(code: error.code, message: error.message)
                }
            }
        }
        await outgoing.send(.fileManagerReply(.init(sessionId: nil, requestId: requestId, reply: .receivingFiles(transferId: transferId, files: verdicts))))
        let wanted = zip(specs, verdicts).filter { if case .receiving = $0.1 { true } else { false } }.map(\.0)
        let total = wanted.reduce(Int64(0)) { $0 + $1.size }
        var bytes: [UInt8] = []
        if total > 0 {
            do {
                bytes = try await HTTPDownload.fetch(URL(string: Self.transferURL(gateway.url, transferId))!, bearer: gateway.token,
                                                     into: MemorySink(bytes: []), expected: total, proxy: gateway.proxy, stop: stop) { _ in }.bytes
            } catch {
                if stop.isRaised { return Self.stoppedByCustomer }
                let reason = (error as? HTTPDownload.Failure)?.message ?? "\(error)"
                return .failed(code: "interrupted", message: "The copy broke off: \(reason).")
            }
        }
        let arrived = bytes
        let written: [FileManagerReply] = await PosixThread.offThread {
            var offset = 0
            let pieces = wanted.map { spec in
                defer { offset += Int(spec.size) }
                return (spec: spec, bytes: arrived[offset..<offset + Int(spec.size)])
            }
            // A few dozen at a time: written and sealed, made durable together, then put in place
            // (a sync per file was most of a small file's time; their descriptors stay few).
            return stride(from: 0, to: pieces.count, by: Self.filesSyncedTogether).flatMap { start in
                Self.place(pieces[start..<min(start + Self.filesSyncedTogether, pieces.count)], files: files, stop: stop)
            }
        }
        var placed = written.makeIterator()
        let answers = verdicts.map { verdict -> FileManagerReply in
            guard case .receiving = verdict else { return verdict }
            return placed.next() ?? Self.stoppedByCustomer
        }
        for (spec, answer) in zip(specs, answers) {
            if case .written(let name, let size, _, _) = answer {
                let path = WirePath(root: spec.path.root, names: spec.path.names.dropLast() + [name])
                transcript.fileManagerReceived(path, size: size, technician: technician ?? "")
            }
        }
        return .files(answers)
    }

    /// Files of a bundle written before one sync puts them all on the disk.
    static let filesSyncedTogether = 32

    /// Files of a bundle: for each the conflict rule again (something may have come meanwhile) and
    /// its part written and sealed; then one sync for them all; then each put in place. Blocking,
    /// off Swift's shared threads.
    private static func place(_ pieces: ArraySlice<(spec: FileWrite, bytes: ArraySlice<UInt8>)>, files: CustomerFiles,
                              stop: StopFlag) -> [FileManagerReply] {
        var replies: [FileManagerReply] = []
        var sealed: [(index: Int, spec: FileWrite, part: CustomerFiles.PartFile, digest: CopyDigest)] = []
        for (spec, piece) in pieces {
            guard !stop.isRaised else {
                replies.append(stoppedByCustomer)
                continue
            }
            switch write(piece, as: spec, files: files) {
            case .sealed(let part, let digest):
                sealed.append((replies.count, spec, part, digest))
                replies.append(.skipped) // answered once in place
            case .answered(let reply):
                replies.append(reply)
            }
        }
        do throws(FileManagerFailure) {
            try CustomerFiles.syncFileSystems(of: sealed.map(\.part))
        } catch {
            for one in sealed {
                files.discard(one.part, keepForResume: false)
                replies[one.index] = .failed(code: error.code, message: error.message)
            }
            return replies
        }
        // The customer's red X meanwhile: nothing more is put in place.
        if stop.isRaised {
            for one in sealed {
                files.discard(one.part, keepForResume: false)
                replies[one.index] = stoppedByCustomer
            }
            return replies
        }
        for one in sealed {
            do throws(FileManagerFailure) {
                guard let name = try files.finish(one.part, mode: one.spec.mode, modified: one.spec.modified, conflict: one.spec.conflict,
                                                  sealed: true) else { continue } // skipped, as the rule says
                let (sha256, blocks) = one.digest.finalize()
                replies[one.index] = .written(name: WireFileName(name), size: one.spec.size, sha256: sha256, blocks: blocks)
            } catch {
                replies[one.index] = .failed(code: error.code, message: error.message)
            }
        }
        return replies
    }

    private enum Written {
        /// The part with its mode and time, not yet synced nor in place; the digest of its bytes.
        case sealed(CustomerFiles.PartFile, CopyDigest)
        /// Nothing written: the conflict rule's answer, or the failure.
        case answered(FileManagerReply)
    }

    /// One file's part written with its mode and time.
    private static func write(_ piece: ArraySlice<UInt8>, as spec: FileWrite, files: CustomerFiles) -> Written {
        do throws(FileManagerFailure) {
            let copy = IncomingCopy(path: spec.path, size: spec.size, mode: spec.mode, modified: spec.modified, conflict: spec.conflict, from: 0)
            let part: CustomerFiles.PartFile
            switch try files.prepareWrite(try validated(spec.path, in: files), copy: copy) {
            case .taken(let entry): return .answered(.exists(entry))
            case .notWanted: return .answered(.skipped)
            case .ready(let opened, _): part = opened
            }
            var sink = DescriptorSink(descriptor: part.descriptor, digest: CopyDigest())
            if piece.withUnsafeBytes({ sink.take($0) }) != nil {
                let failure = FileManagerFailure(errno: errno, doing: "Writing \(FileManagerPath.displayName(part.name))")
                files.discard(part, keepForResume: false)
                return .answered(.failed(code: failure.code, message: failure.message))
            }
            do throws(FileManagerFailure) {
                try files.seal(part, mode: spec.mode, modified: spec.modified, sync: false)
            } catch {
                files.discard(part, keepForResume: false)
                throw error
            }
            return .sealed(part, sink.digest)
        } catch {
            return .answered(.failed(code: error.code, message: error.message))
        }
    }
}
