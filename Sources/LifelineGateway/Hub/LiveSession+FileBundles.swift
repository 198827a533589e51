import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Small files copied together (`read_files`, `write_files`): one transfer carries their bytes one
/// after another, so a tree of thousands of files costs a request per bundle rather than per file.
/// The size of the stream is known once the applet says which files go (`sending_files`,
/// `receiving_files`); the bundle is logged once, and audited with each file's path, size and SHA-256.
extension LiveSession {
    /// The bytes a bundle's stream carries, from the applet's per-file answers; nil when the
    /// answers do not fit the request.
    static func bundleSize(of request: FileManagerRequest, answers: [FileManagerReply]) -> Int64? {
        switch request {
        case .readFiles(let paths):
            guard answers.count == paths.count else { return nil }
            var total: Int64 = 0
            for answer in answers {
                switch answer {
                case .sending(_, let size, _, _):
                    guard size >= 0 else { return nil }
                    total += size
                case .failed: break
                default: return nil
                }
            }
            return total
        case .writeFiles(let files):
            guard answers.count == files.count else { return nil }
            var total: Int64 = 0
            for (file, answer) in zip(files, answers) {
                switch answer {
                case .receiving: total += file.size
                case .exists, .skipped, .failed: break
                default: return nil
                }
            }
            return total
        default:
            return nil
        }
    }

    /// The applet said which files of a bundle go: the transfer learns its size.
    func bundleStarts(_ transferId: String, toCustomer: Bool, request: FileManagerRequest, answers: [FileManagerReply]) -> Bool {
        guard let transfer = fileManagerTransfers[transferId], transfer.toCustomer == toCustomer,
              let size = Self.bundleSize(of: request, answers: answers), transfer.size == nil || transfer.size == size else { return false }
        fileManagerTransfers[transferId]?.size = size
        return true
    }

    /// A bundle's last answer: its transfer is done with (a read's is kept until the technician
    /// took what was posted; nothing is posted when no byte goes).
    func bundleEnded(requestId: String) {
        guard let (key, transfer) = fileManagerTransfers.first(where: { $0.value.requestId == requestId }) else { return }
        if transfer.toCustomer || transfer.technicianTook || transfer.size == 0 {
            fileManagerTransfers[key] = nil
        } else {
            fileManagerTransfers[key]?.ended = true
        }
    }

    /// What a bundle copied: one line in the session log, one audit entry with every file.
    func logBundle(_ pending: PendingFileRequest, results: [FileManagerReply], in record: SessionRecord) async {
        struct Copied: Encodable {
            let path: String
            let bytes: Int64
            let sha256: String
        }
        var copied: [Copied] = []
        var placed: [WirePath] = []
        let operation: String
        switch pending.request {
        case .readFiles(let paths):
            operation = "copy_files_from_customer"
            for (path, result) in zip(paths, results) {
                guard case .transferred(let size, let sha256, _) = result else { continue }
                copied.append(Copied(path: path.shown, bytes: size, sha256: sha256))
                placed.append(path)
            }
        case .writeFiles(let files):
            operation = "copy_files_to_customer"
            for (file, result) in zip(files, results) {
                guard case .written(let name, let size, let sha256, _) = result else { continue }
                let path = WirePath(root: file.path.root, names: file.path.names.dropLast() + [name])
                copied.append(Copied(path: path.shown, bytes: size, sha256: sha256))
                placed.append(path)
            }
        default:
            return
        }
        guard !copied.isEmpty else { return }
        let count = "\(copied.count)"
        let size = SessionHub.describeSize(copied.reduce(0) { $0 + $1.bytes })
        let folder = Self.commonFolder(of: placed).shown
        let toCustomer = operation == "copy_files_to_customer"
        // One file is named as a single copy is: its path, size and SHA-256.
        let event: SessionLogEvent = if copied.count == 1, let only = copied.first {
            toCustomer ? .fileManagerCopiedTo(technician: pending.technicianName, path: only.path, size: SessionHub.describeSize(only.bytes), sha256: only.sha256)
                : .fileManagerCopiedFrom(technician: pending.technicianName, path: only.path, size: SessionHub.describeSize(only.bytes), sha256: only.sha256)
        } else if toCustomer {
            .fileManagerCopiedFilesTo(technician: pending.technicianName, count: count, size: size, folder: folder)
        } else {
            .fileManagerCopiedFilesFrom(technician: pending.technicianName, count: count, size: size, folder: folder)
        }
        await hub.note(event, in: record)
        struct Detail: Encodable {
            let operation: String
            let folder: String
            let files: [Copied]
        }
        await auditCustomerChange(.customerFilesChanged, objectType: "customer_files", technicianId: pending.technicianId,
                                  technicianName: pending.technicianName,
                                  after: AuditTrail.json(Detail(operation: operation, folder: folder, files: copied)), in: record,
                                  what: "Files copied by the file manager")
    }

    /// The deepest folder holding every one of `paths` (they share a root: a bundle is planned in one pane).
    static func commonFolder(of paths: [WirePath]) -> WirePath {
        guard let first = paths.first else { return WirePath(root: "home", names: []) }
        var prefix = Array(first.names.dropLast())
        for path in paths.dropFirst() {
            let folder = path.names.dropLast()
            var same = 0
            while same < min(prefix.count, folder.count), prefix[same] == folder[folder.startIndex + same] { same += 1 }
            prefix = Array(prefix.prefix(same))
        }
        return WirePath(root: first.root, names: prefix)
    }
}
