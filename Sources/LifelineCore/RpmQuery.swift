/// Installed RPM packages (L4, where rpm is): `rpm --query --all` with this format, one package a
/// line, fields separated by tabs; read here without I/O.
public enum RpmQuery {
    public struct Package: Equatable, Sendable {
        public var name: String
        public var version: String
        public var size: Int64?
        /// Seconds since 1970.
        public var installed: Double?
        public var summary: String

        public init(name: String, version: String, size: Int64?, installed: Double?, summary: String) {
            self.name = name
            self.version = version
            self.size = size
            self.installed = installed
            self.summary = summary
        }
    }

    public static let format = "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{SIZE}\\t%{INSTALLTIME}\\t%{SUMMARY}\\n"
    public static let arguments = ["--query", "--all", "--queryformat", format]

    public static func packages(_ output: String) -> [Package] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, !fields[0].isEmpty, fields[0] != "gpg-pubkey" else { return nil }
            return Package(name: fields[0], version: fields[1], size: Int64(fields[2]), installed: Double(fields[3]), summary: fields[4])
        }.sorted { $0.name < $1.name }
    }
}
