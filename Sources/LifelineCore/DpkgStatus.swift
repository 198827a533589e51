/// The packages dpkg says are installed, from its status file (`/var/lib/dpkg/status`), for the
/// installed applications view (L4). Pure: the applet reads the file.
public enum DpkgStatus {
    public struct Package: Equatable, Sendable {
        public var name: String
        public var version: String
        public var architecture: String
        /// `Installed-Size`, in KiB as dpkg counts it.
        public var installedKiB: Int64?
        /// The description's first line.
        public var summary: String
        /// `Multi-Arch: same`: installed once per architecture, its file list named `name:arch.list`.
        public var perArchitecture = false

        /// The name of its file list in dpkg's info folder.
        public var fileList: String { perArchitecture ? "\(name):\(architecture).list" : "\(name).list" }
    }

    /// Every stanza whose `Status` says installed, in file order. Read as UTF-8 bytes, line by line,
    /// keeping only the seven fields the view needs: a status file is megabytes.
    public static func installed(_ text: String) -> [Package] { installed(Array(text.utf8)) }

    public static func installed(_ bytes: [UInt8]) -> [Package] {
        var packages: [Package] = []
        var stanza = Stanza()
        var start = 0
        // Each line up to its newline, and a last one without (the file is not copied to add one).
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            if line.isEmpty {
                if let package = stanza.package(bytes) { packages.append(package) }
                stanza = Stanza()
            } else if let first = line.first, first != 0x20, first != 0x09 {
                stanza.take(line)
            }
        }
        if let package = stanza.package(bytes) { packages.append(package) }
        return packages
    }

    /// Where the fields the view needs are in the file, for one stanza.
    private struct Stanza {
        static let keys: [(name: [UInt8], slot: Int)] = ["Package", "Status", "Version", "Architecture", "Installed-Size", "Description", "Multi-Arch"]
            .enumerated().map { (Array($0.element.utf8) + [0x3A], $0.offset) }
        var values: [Range<Int>?] = Array(repeating: nil, count: Self.keys.count)

        mutating func take(_ line: ArraySlice<UInt8>) {
            for (name, slot) in Self.keys where line.count >= name.count && line.starts(with: name) {
                var valueStart = line.startIndex + name.count
                while valueStart < line.endIndex, line[valueStart] == 0x20 { valueStart += 1 }
                values[slot] = valueStart..<line.endIndex
                return
            }
        }

        func text(_ slot: Int, _ bytes: [UInt8]) -> String? {
            values[slot].map { String(decoding: bytes[$0], as: UTF8.self) }
        }

        func package(_ bytes: [UInt8]) -> Package? {
            guard let name = text(0, bytes), let status = text(1, bytes), status.hasSuffix(" installed") else { return nil }
            return Package(name: name, version: text(2, bytes) ?? "", architecture: text(3, bytes) ?? "",
                           installedKiB: text(4, bytes).flatMap { Int64($0) }, summary: text(5, bytes) ?? "", perArchitecture: text(6, bytes) == "same")
        }
    }
}
