#if canImport(Glibc)
import Glibc
#endif

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
        bytes.withUnsafeBufferPointer { (file: UnsafeBufferPointer<UInt8>) -> [Package] in
            guard let base = file.baseAddress else { return [] }
            var packages: [Package] = []
            var stanza = Stanza()
            var start = 0
            // Line by line, each end found by memchr: a status file is a megabyte, mostly long descriptions.
            while start < file.count {
                let found = memchr(base + start, 0x0A, file.count - start)
                let end = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? file.count
                if end == start {
                    if let package = stanza.package(file) { packages.append(package) }
                    stanza = Stanza()
                } else if file[start] != 0x20, file[start] != 0x09 {
                    stanza.take(file[start..<end])
                }
                start = end + 1
            }
            if let package = stanza.package(file) { packages.append(package) }
            return packages
        }
    }

    /// Where the fields the view needs are in the file, for one stanza.
    private struct Stanza {
        static let keys: [(name: [UInt8], slot: Int)] = ["Package", "Status", "Version", "Architecture", "Installed-Size", "Description", "Multi-Arch"]
            .enumerated().map { (Array($0.element.utf8) + [0x3A], $0.offset) }
        var values: [Range<Int>?] = Array(repeating: nil, count: Self.keys.count)

        mutating func take(_ line: Slice<UnsafeBufferPointer<UInt8>>) {
            // Most lines are fields the view does not need: their first letter rules most keys out.
            for (name, slot) in Self.keys where name[0] == line.first && line.count >= name.count && line.starts(with: name) {
                var valueStart = line.startIndex + name.count
                while valueStart < line.endIndex, line[valueStart] == 0x20 { valueStart += 1 }
                values[slot] = valueStart..<line.endIndex
                return
            }
        }

        func text(_ slot: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            values[slot].map { String(decoding: bytes[$0], as: UTF8.self) }
        }

        func package(_ bytes: UnsafeBufferPointer<UInt8>) -> Package? {
            guard let name = text(0, bytes), let status = text(1, bytes), status.hasSuffix(" installed") else { return nil }
            return Package(name: name, version: text(2, bytes) ?? "", architecture: text(3, bytes) ?? "",
                           installedKiB: text(4, bytes).flatMap { Int64($0) }, summary: text(5, bytes) ?? "", perArchitecture: text(6, bytes) == "same")
        }
    }
}
