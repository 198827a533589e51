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
    }

    /// Every stanza whose `Status` says installed, in file order.
    public static func installed(_ text: String) -> [Package] {
        var packages: [Package] = []
        var fields: [Substring: Substring] = [:]
        func finish() {
            defer { fields = [:] }
            guard let name = fields["Package"], let status = fields["Status"], status.hasSuffix(" installed") else { return }
            packages.append(Package(name: String(name), version: String(fields["Version"] ?? ""), architecture: String(fields["Architecture"] ?? ""),
                                    installedKiB: fields["Installed-Size"].flatMap { Int64($0) }, summary: String(fields["Description"] ?? "")))
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                finish()
            } else if line.first != " ", line.first != "\t", let colon = line.firstIndex(of: ":") {
                fields[line[..<colon]] = line[line.index(after: colon)...].drop { $0 == " " }
            }
        }
        finish()
        return packages
    }
}
