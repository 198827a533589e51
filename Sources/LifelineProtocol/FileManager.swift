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
    /// Small files to the technician as one stream, their bytes one after another in this order:
    /// a tree of thousands of files would otherwise cost a round trip and a request per file.
    case readFiles(paths: [WirePath])
    /// Small files from the technician as one stream, in this order; each as a `write` from 0.
    case writeFiles([FileWrite])

    /// The most files one `read_files` or `write_files` carries.
    public static let maximumFilesPerBundle = 256

    /// Which permission family the request falls under (the gateway checks it per message).
    public var operation: FileManagerAccess.Operation {
        switch self {
        case .roots, .list: .browse
        case .makeFolder, .write, .writeFiles, .partial, .discard: .upload
        case .rename, .delete: .modify
        case .read, .readFiles, .hash: .download
        }
    }

    private enum Keys: String, CodingKey {
        case op, path, paths, files, hidden, newName, size, mode, modified, conflict, from
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
        case "read_files": self = .readFiles(paths: try container.decode([WirePath].self, forKey: .paths))
        case "write_files": self = .writeFiles(try container.decode([FileWrite].self, forKey: .files))
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
        case .readFiles(let paths):
            try container.encode("read_files", forKey: .op)
            try container.encode(paths, forKey: .paths)
        case .writeFiles(let files):
            try container.encode("write_files", forKey: .op)
            try container.encode(files, forKey: .files)
        }
    }
}

/// One file of a `write_files`: what a `write` from the start says of it.
public struct FileWrite: Codable, Equatable, Sendable {
    public let path: WirePath
    public let size: Int64
    public let mode: UInt32
    public let modified: Double
    public let conflict: FileConflict

    public init(path: WirePath, size: Int64, mode: UInt32, modified: Double, conflict: FileConflict) {
        self.path = path
        self.size = size
        self.mode = mode
        self.modified = modified
        self.conflict = conflict
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
