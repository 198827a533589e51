/// Reads what `modinfo` prints for several modules at once (L6): each module's description.
///
/// The description lives in the module file itself (its `.modinfo` section, often compressed), not
/// in /sys, so the applet asks kmod's `modinfo` — one process for every module — and parses the
/// blocks here. A loadable module's block starts with `filename:` and may end with `name:`; a
/// built-in one's starts with `name:` followed by `filename: (builtin)`. Modules modinfo cannot
/// find print nothing on standard output, so blocks are told apart by their lines, not by order.
public enum ModinfoOutput {
    public struct Block: Equatable, Sendable {
        public var name: String?
        public var filename: String?
        public var description: String?

        public init(name: String? = nil, filename: String? = nil, description: String? = nil) {
            self.name = name
            self.filename = filename
            self.description = description
        }

        /// The name as /sys/module spells it: the `name:` field, or the file's name without
        /// `.ko` and its compression, dashes as underscores (the kernel's own rule).
        public var moduleName: String? {
            if let name, !name.isEmpty { return name.replacing("-", with: "_") }
            guard let filename, filename != "(builtin)" else { return nil }
            var base = filename.split(separator: "/").last.map(String.init) ?? filename
            for suffix in [".xz", ".zst", ".gz"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
            guard base.hasSuffix(".ko") else { return nil }
            base.removeLast(3)
            return base.replacing("-", with: "_")
        }
    }

    public static func blocks(_ text: String) -> [Block] {
        let fields: [(key: Substring, value: String)] = text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon], String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }))
        }
        var blocks: [Block] = []
        var current: Block?
        var index = 0
        while index < fields.count {
            let (key, value) = fields[index]
            let next = index + 1 < fields.count ? fields[index + 1] : nil
            switch key {
            case "name" where next?.key == "filename" && next?.value == "(builtin)":
                if let current { blocks.append(current) }
                current = Block(name: value, filename: "(builtin)")
                index += 1
            case "filename":
                if let current { blocks.append(current) }
                current = Block(filename: value)
            case "name":
                if current?.name == nil { current?.name = value }
            case "description":
                if current?.description == nil { current?.description = value }
            default:
                break
            }
            index += 1
        }
        if let current { blocks.append(current) }
        return blocks
    }

    /// Each module's description, by its /sys/module name; modules without one are left out.
    public static func descriptions(_ text: String) -> [String: String] {
        var found: [String: String] = [:]
        for block in blocks(text) {
            guard let name = block.moduleName, let description = block.description, !description.isEmpty else { continue }
            found[name] = description
        }
        return found
    }
}
