#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// A file name on the wire, byte-exact (K1–K5): a JSON string when the name is UTF-8, else
/// `{"raw": base64, "shown": "name with \xNN escapes"}`. The console sends back whichever it got.
public struct WireFileName: Codable, Equatable, Hashable, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    private enum Keys: String, CodingKey {
        case raw, shown
    }

    public init(from decoder: any Decoder) throws {
        do {
            bytes = Array(try decoder.singleValueContainer().decode(String.self).utf8)
            return
        } catch DecodingError.typeMismatch {
            // Not a string: the object form of a name that is not UTF-8.
        }
        let container = try decoder.container(keyedBy: Keys.self)
        let raw = try container.decode(String.self, forKey: .raw)
        guard let data = Data(base64Encoded: raw) else {
            throw DecodingError.dataCorruptedError(forKey: .raw, in: container, debugDescription: "raw is not base64")
        }
        bytes = Array(data)
    }

    public func encode(to encoder: any Encoder) throws {
        if let text = String(validating: bytes, as: UTF8.self) {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        } else {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(Data(bytes).base64EncodedString(), forKey: .raw)
            try container.encode(FileManagerPath.displayName(bytes), forKey: .shown)
        }
    }
}

/// A place on the customer's side: one of the roots the applet offered, and names down from it.
public struct WirePath: Codable, Equatable, Hashable, Sendable {
    public let root: String
    public let names: [WireFileName]

    public init(root: String, names: [WireFileName]) {
        self.root = root
        self.names = names
    }

    public init(_ path: FileManagerPath) {
        self.init(root: path.root, names: path.names.map(WireFileName.init))
    }

    /// How logs show it: "~/Documents/a.txt" in the home folder, "/etc/hosts" from the system root,
    /// "/media/usb/photo.jpg" on a mounted volume.
    public var shown: String {
        let tail = names.map { FileManagerPath.displayName($0.bytes) }.joined(separator: "/")
        let base = switch root {
        case "home": "~"
        case "system": ""
        default: root.hasPrefix("mount:") ? String(root.dropFirst(6)) : root
        }
        return tail.isEmpty ? (base.isEmpty ? "/" : base) : base + "/" + tail
    }

    /// Checked against the roots the applet offers: nothing that could leave them.
    public func validated(roots: Set<String>) throws(FileManagerPath.Problem) -> FileManagerPath {
        try FileManagerPath.validated(root: root, names: names.map(\.bytes), roots: roots)
    }
}

/// What the technician asks of the customer's side.
public enum FileManagerRequest: Codable, Equatable, Sendable {
    /// The places to start from: home, the whole system, mounted volumes.
    case roots
    /// A folder's entries, sent in pages; hidden ones (names starting with a dot) on request.
    case list(path: WirePath, hidden: Bool)
    case makeFolder(path: WirePath)
    /// A new name in the same folder.
    case rename(path: WirePath, newName: WireFileName)
    /// A file, a link, or a folder with everything in it.
    case delete(path: WirePath)
    /// A file's bytes to the technician (K3): the gateway gives it a transfer id.
    case read(path: WirePath)
    /// A file from the technician (K3): written beside its place under a part name, from `from`
    /// when resuming what an interrupted copy left, then put in place as `conflict` says
    /// (`ask` answers `exists` when the name is taken, before any byte moves).
    case write(path: WirePath, size: Int64, mode: UInt32, modified: Double, conflict: FileConflict, from: Int64)
    /// What an interrupted copy to `path` left: its size and SHA-256, for a resume.
    case partial(path: WirePath)
    /// The part an interrupted copy left is not wanted any more (the technician cancelled).
    case discard(path: WirePath)
    /// A file's SHA-256, read on the customer's side (synchronise and mirror compare contents).
    case hash(path: WirePath)

    /// Which permission family the request falls under (the gateway checks it per message).
    public var operation: FileManagerAccess.Operation {
        switch self {
        case .roots, .list: .browse
        case .makeFolder, .write, .partial, .discard: .upload
        case .rename, .delete: .modify
        case .read, .hash: .download
        }
    }

    private enum Keys: String, CodingKey {
        case op, path, hidden, newName, size, mode, modified, conflict, from
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .op) {
        case "roots": self = .roots
        case "list": self = .list(path: try container.decode(WirePath.self, forKey: .path),
                                  hidden: try container.decodeIfPresent(Bool.self, forKey: .hidden) ?? false)
        case "make_folder": self = .makeFolder(path: try container.decode(WirePath.self, forKey: .path))
        case "rename": self = .rename(path: try container.decode(WirePath.self, forKey: .path),
                                      newName: try container.decode(WireFileName.self, forKey: .newName))
        case "delete": self = .delete(path: try container.decode(WirePath.self, forKey: .path))
        case "read": self = .read(path: try container.decode(WirePath.self, forKey: .path))
        case "write":
            self = .write(path: try container.decode(WirePath.self, forKey: .path), size: try container.decode(Int64.self, forKey: .size),
                          mode: try container.decodeIfPresent(UInt32.self, forKey: .mode) ?? 0o644,
                          modified: try container.decode(Double.self, forKey: .modified),
                          conflict: try container.decodeIfPresent(FileConflict.self, forKey: .conflict) ?? .ask,
                          from: try container.decodeIfPresent(Int64.self, forKey: .from) ?? 0)
        case "partial": self = .partial(path: try container.decode(WirePath.self, forKey: .path))
        case "discard": self = .discard(path: try container.decode(WirePath.self, forKey: .path))
        case "hash": self = .hash(path: try container.decode(WirePath.self, forKey: .path))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .op, in: container, debugDescription: "unknown op \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .roots:
            try container.encode("roots", forKey: .op)
        case .list(let path, let hidden):
            try container.encode("list", forKey: .op)
            try container.encode(path, forKey: .path)
            try container.encode(hidden, forKey: .hidden)
        case .makeFolder(let path):
            try container.encode("make_folder", forKey: .op)
            try container.encode(path, forKey: .path)
        case .rename(let path, let newName):
            try container.encode("rename", forKey: .op)
            try container.encode(path, forKey: .path)
            try container.encode(newName, forKey: .newName)
        case .delete(let path):
            try container.encode("delete", forKey: .op)
            try container.encode(path, forKey: .path)
        case .read(let path):
            try container.encode("read", forKey: .op)
            try container.encode(path, forKey: .path)
        case .write(let path, let size, let mode, let modified, let conflict, let from):
            try container.encode("write", forKey: .op)
            try container.encode(path, forKey: .path)
            try container.encode(size, forKey: .size)
            try container.encode(mode, forKey: .mode)
            try container.encode(modified, forKey: .modified)
            try container.encode(conflict, forKey: .conflict)
            try container.encode(from, forKey: .from)
        case .partial(let path):
            try container.encode("partial", forKey: .op)
            try container.encode(path, forKey: .path)
        case .discard(let path):
            try container.encode("discard", forKey: .op)
            try container.encode(path, forKey: .path)
        case .hash(let path):
            try container.encode("hash", forKey: .op)
            try container.encode(path, forKey: .path)
        }
    }
}

/// One entry of a folder, as read without following links.
public struct FileManagerEntry: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case file, folder, symlink, other
    }

    public let name: WireFileName
    public let kind: Kind
    public let size: Int64
    /// Permission bits (st_mode & 0o7777).
    public let mode: UInt32
    public let owner: String
    /// Seconds since 1970.
    public let modified: Double
    /// Where a symbolic link points, as stored (not followed).
    public let target: WireFileName?

    public init(name: WireFileName, kind: Kind, size: Int64, mode: UInt32, owner: String, modified: Double, target: WireFileName? = nil) {
        self.name = name
        self.kind = kind
        self.size = size
        self.mode = mode
        self.owner = owner
        self.modified = modified
        self.target = target
    }
}

/// A place to start browsing from.
public struct FileManagerRoot: Codable, Equatable, Sendable {
    /// `home`, `system`, or `mount:` and the mount point.
    public let id: String
    /// What people read: "Home (alice)", "/", "/media/alice/USB".
    public let label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

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
        case .sending, .receiving: false
        case .roots, .done, .transferred, .exists, .written, .skipped, .partial, .hashed, .failed: true
        }
    }

    private enum Keys: String, CodingKey {
        case kind, roots, entries, done, code, message, removed, transferId, size, mode, modified, sha256, blocks, entry, name
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
        }
    }
}

/// Where a session's file manager stands, for the console.
public struct FileManagerStatus: WireMessage {
    public enum Phase: String, Codable, Sendable {
        case asking, open, denied, closed
    }

    public let sessionId: String
    public let phase: Phase
    /// Why it closed: `customer` (their red X), `technician`, `session` (hold, transfer, end).
    public let reason: String?

    public init(sessionId: String, phase: Phase, reason: String? = nil) {
        self.sessionId = sessionId
        self.phase = phase
        self.reason = reason
    }
}

/// `file_manager_request` from a console (with the session) and to the applet (without; a
/// `read` or `write` then carries the transfer id the gateway gave it).
public struct FileManagerRequestMessage: WireMessage {
    public let sessionId: String?
    public let requestId: String
    public let request: FileManagerRequest
    public let transferId: String?

    public init(sessionId: String?, requestId: String, request: FileManagerRequest, transferId: String? = nil) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.request = request
        self.transferId = transferId
    }
}

/// `file_manager_reply` from the applet (without the session) and to the consoles (with it).
public struct FileManagerReplyMessage: WireMessage {
    public let sessionId: String?
    public let requestId: String
    public let reply: FileManagerReply

    public init(sessionId: String?, requestId: String, reply: FileManagerReply) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.reply = reply
    }
}

/// `file_manager_open` to the applet: who asks.
public struct FileManagerOpen: WireMessage {
    public let technicianName: String
    public init(technicianName: String) { self.technicianName = technicianName }
}
