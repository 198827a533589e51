#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A program installed on the customer's machine (L4): a Debian or RPM package, a Flatpak or a Snap.
public struct InstalledApplication: Codable, Equatable, Sendable {
    public var name: String
    public var version: String
    /// `dpkg`, `rpm`, `flatpak` or `snap`.
    public var source: String
    /// Bytes on disk, when the package manager says.
    public var size: Int64?
    /// When it was installed or last upgraded, seconds since 1970.
    public var installed: Double?
    public var summary: String

    public init(name: String, version: String, source: String, size: Int64? = nil, installed: Double? = nil, summary: String = "") {
        self.name = name
        self.version = version
        self.source = source
        self.size = size
        self.installed = installed
        self.summary = summary
    }
}
