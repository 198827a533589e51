/// A place on the customer's side as the network names it (K1–K5): a root the applet offered
/// and the names leading down from it, each name kept as the exact bytes Linux stores (a name
/// need not be UTF-8). Nothing here is trusted: `validated` refuses every name that could leave
/// the folder it is looked up in; the applet then walks the names one at a time without following
/// symbolic links (openat with O_NOFOLLOW), so no name can lead outside the root either.
public struct FileManagerPath: Equatable, Hashable, Sendable {
    public let root: String
    public let names: [[UInt8]]

    public init(root: String, names: [[UInt8]]) {
        self.root = root
        self.names = names
    }

    public enum Problem: Error, Equatable, Sendable {
        case unknownRoot
        case emptyName
        /// "." or "..": a name that points back instead of down.
        case dotName
        /// A slash or a NUL byte inside a name.
        case separatorInName
        case nameTooLong
        case tooDeep
    }

    /// Linux's NAME_MAX.
    public static let maximumNameBytes = 255
    /// Deep enough for any real tree, short of PATH_MAX once joined.
    public static let maximumDepth = 256

    /// The path when every name is a plain name, else why not.
    public static func validated(root: String, names: [[UInt8]], roots: Set<String>) throws(Problem) -> FileManagerPath {
        guard roots.contains(root) else { throw .unknownRoot }
        guard names.count <= maximumDepth else { throw .tooDeep }
        for name in names { try check(name) }
        return FileManagerPath(root: root, names: names)
    }

    /// One name: not empty, not "." or "..", no slash or NUL, at most 255 bytes.
    public static func check(_ name: [UInt8]) throws(Problem) {
        guard !name.isEmpty else { throw .emptyName }
        guard name != [0x2E], name != [0x2E, 0x2E] else { throw .dotName }
        guard !name.contains(0x2F), !name.contains(0) else { throw .separatorInName }
        guard name.count <= maximumNameBytes else { throw .nameTooLong }
    }

    public var parent: FileManagerPath? {
        names.isEmpty ? nil : FileManagerPath(root: root, names: Array(names.dropLast()))
    }

    public func appending(_ name: [UInt8]) -> FileManagerPath {
        FileManagerPath(root: root, names: names + [name])
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .unknownRoot: "That is not one of the places the customer's computer offers."
        case .emptyName: "A name in the path is empty."
        case .dotName: "A path may not use \".\" or \"..\"."
        case .separatorInName: "A name may not hold a slash or a NUL byte."
        case .nameTooLong: "A name is longer than \(maximumNameBytes) bytes."
        case .tooDeep: "The path is deeper than \(maximumDepth) folders."
        }
    }

    /// A name as people read it: UTF-8 as is, each byte that is not UTF-8 as \xNN (the bytes
    /// themselves travel beside it, so nothing is lost).
    public static func displayName(_ name: [UInt8]) -> String {
        if let text = String(validating: name, as: UTF8.self) { return text }
        var shown = ""
        var index = 0
        while index < name.count {
            // The longest valid UTF-8 sequence starting here (1 to 4 bytes), else one escaped byte.
            var decoded: String?
            var length = min(4, name.count - index)
            while length > 0 {
                if let text = String(validating: name[index..<index + length], as: UTF8.self) { decoded = text; break }
                length -= 1
            }
            if let decoded {
                shown += decoded
                index += length
            } else {
                shown += "\\x" + [name[index]].hexString.uppercased()
                index += 1
            }
        }
        return shown
    }
}
