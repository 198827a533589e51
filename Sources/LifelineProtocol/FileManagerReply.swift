#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// The applet's answer to one request; a listing comes in pages, the last with `done`.
public enum FileManagerReply: Codable, Equatable, Sendable {
    case roots([FileManagerRoot])
    case entries([FileManagerEntry], done: Bool)
    /// Made, renamed or deleted; a delete says what it removed.
    case done(Removed?)
    /// A read starts: the bytes are on their way under `transferId` (GET them from the gateway).
    case sending(transferId: String, size: Int64, mode: UInt32, modified: Double)
    /// A read's bytes all went; the SHA-256 of what the applet read, and its block SHA-256 (the
    /// SHA-256 of the SHA-256s of its 8 MiB blocks, which a browser can check natively).
    case transferred(size: Int64, sha256: String, blocks: String)
    /// A write may start: PUT the bytes (from the request's `from`) under `transferId`.
    case receiving(transferId: String)
    /// A write met a name already taken (conflict `ask`): nothing was written.
    case exists(FileManagerEntry)
    /// A write arrived whole and was put in place under `name`; the SHA-256 of the whole file.
    case written(name: WireFileName, size: Int64, sha256: String, blocks: String)
    /// A write not put in place, as its conflict rule said (skip, or keep the newer one).
    case skipped
    /// What an interrupted write left (0 bytes when nothing).
    case partial(size: Int64, sha256: String, blocks: String)
    /// A file's size and SHA-256 (a `hash`).
    case hashed(size: Int64, sha256: String, blocks: String)
    case failed(code: String, message: String)
    /// A `read_files` starts: per file, in order, `sending` (its size, mode and time; the
    /// transfer id is the bundle's) or `failed` (no bytes of it in the stream).
    case sendingFiles(transferId: String, files: [FileManagerReply])
    /// A `write_files` may start: per file, in order, `receiving` (its bytes are wanted in the
    /// stream), `exists`, `skipped` or `failed` (its bytes are left out). PUT the wanted ones.
    case receivingFiles(transferId: String, files: [FileManagerReply])
    /// The end of a `read_files` (per file `transferred` or `failed`) or of a `write_files`
    /// (per file `written`, `exists`, `skipped` or `failed`), in order.
    case files([FileManagerReply])

    /// What a delete removed, for the logs.
    public struct Removed: Codable, Equatable, Sendable {
        public var files: Int
        public var folders: Int
        public var bytes: Int64

        public init(files: Int = 0, folders: Int = 0, bytes: Int64 = 0) {
            self.files = files
            self.folders = folders
            self.bytes = bytes
        }
    }

    /// Whether more answers follow for the same request (listing pages, a read under way).
    public var isFinal: Bool {
        switch self {
        case .entries(_, let done): done
        case .sending, .receiving, .sendingFiles, .receivingFiles: false
        case .roots, .done, .transferred, .exists, .written, .skipped, .partial, .hashed, .failed, .files: true
        }
    }

    private enum Keys: String, CodingKey {
        case kind, roots, entries, done, code, message, removed, transferId, size, mode, modified, sha256, blocks, entry, name, files
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "roots": self = .roots(try container.decode([FileManagerRoot].self, forKey: .roots))
        case "entries": self = .entries(try container.decode([FileManagerEntry].self, forKey: .entries),
                                        done: try container.decode(Bool.self, forKey: .done))
        case "done": self = .done(try container.decodeIfPresent(Removed.self, forKey: .removed))
        case "sending": self = .sending(transferId: try container.decode(String.self, forKey: .transferId),
                                        size: try container.decode(Int64.self, forKey: .size), mode: try container.decode(UInt32.self, forKey: .mode),
                                        modified: try container.decode(Double.self, forKey: .modified))
        case "transferred": self = .transferred(size: try container.decode(Int64.self, forKey: .size),
                                                sha256: try container.decode(String.self, forKey: .sha256),
                                                blocks: try container.decode(String.self, forKey: .blocks))
        case "receiving": self = .receiving(transferId: try container.decode(String.self, forKey: .transferId))
        case "exists": self = .exists(try container.decode(FileManagerEntry.self, forKey: .entry))
        case "written": self = .written(name: try container.decode(WireFileName.self, forKey: .name),
                                        size: try container.decode(Int64.self, forKey: .size),
                                        sha256: try container.decode(String.self, forKey: .sha256),
                                        blocks: try container.decode(String.self, forKey: .blocks))
        case "skipped": self = .skipped
        case "partial": self = .partial(size: try container.decode(Int64.self, forKey: .size),
                                        sha256: try container.decode(String.self, forKey: .sha256),
                                        blocks: try container.decode(String.self, forKey: .blocks))
        case "hashed": self = .hashed(size: try container.decode(Int64.self, forKey: .size),
                                      sha256: try container.decode(String.self, forKey: .sha256),
                                      blocks: try container.decode(String.self, forKey: .blocks))
        case "failed": self = .failed(code: try container.decode(String.self, forKey: .code),
                                      message: try container.decode(String.self, forKey: .message))
        case "sending_files": self = .sendingFiles(transferId: try container.decode(String.self, forKey: .transferId),
                                                   files: try container.decode([FileManagerReply].self, forKey: .files))
        case "receiving_files": self = .receivingFiles(transferId: try container.decode(String.self, forKey: .transferId),
                                                       files: try container.decode([FileManagerReply].self, forKey: .files))
        case "files": self = .files(try container.decode([FileManagerReply].self, forKey: .files))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown reply \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .roots(let roots):
            try container.encode("roots", forKey: .kind)
            try container.encode(roots, forKey: .roots)
        case .entries(let entries, let done):
            try container.encode("entries", forKey: .kind)
            try container.encode(entries, forKey: .entries)
            try container.encode(done, forKey: .done)
        case .done(let removed):
            try container.encode("done", forKey: .kind)
            try container.encodeIfPresent(removed, forKey: .removed)
        case .sending(let transferId, let size, let mode, let modified):
            try container.encode("sending", forKey: .kind)
            try container.encode(transferId, forKey: .transferId)
            try container.encode(size, forKey: .size)
            try container.encode(mode, forKey: .mode)
            try container.encode(modified, forKey: .modified)
        case .transferred(let size, let sha256, let blocks):
            try container.encode("transferred", forKey: .kind)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(blocks, forKey: .blocks)
        case .receiving(let transferId):
            try container.encode("receiving", forKey: .kind)
            try container.encode(transferId, forKey: .transferId)
        case .exists(let entry):
            try container.encode("exists", forKey: .kind)
            try container.encode(entry, forKey: .entry)
        case .written(let name, let size, let sha256, let blocks):
            try container.encode("written", forKey: .kind)
            try container.encode(name, forKey: .name)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(blocks, forKey: .blocks)
        case .skipped:
            try container.encode("skipped", forKey: .kind)
        case .partial(let size, let sha256, let blocks):
            try container.encode("partial", forKey: .kind)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(blocks, forKey: .blocks)
        case .hashed(let size, let sha256, let blocks):
            try container.encode("hashed", forKey: .kind)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(blocks, forKey: .blocks)
        case .failed(let code, let message):
            try container.encode("failed", forKey: .kind)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        case .sendingFiles(let transferId, let files):
            try container.encode("sending_files", forKey: .kind)
            try container.encode(transferId, forKey: .transferId)
            try container.encode(files, forKey: .files)
        case .receivingFiles(let transferId, let files):
            try container.encode("receiving_files", forKey: .kind)
            try container.encode(transferId, forKey: .transferId)
            try container.encode(files, forKey: .files)
        case .files(let files):
            try container.encode("files", forKey: .kind)
            try container.encode(files, forKey: .files)
        }
    }
}
