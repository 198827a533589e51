#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The host keys a LAN connector pinned (F4), one per machine and port, in a file beside the
/// agent's settings that only its owner reads: the first connection to a machine pins its key, and
/// a machine that shows another key later is refused until an administrator forgets the old one.
actor LanKnownHosts {
    let path: String

    init(path: String) {
        self.path = path
    }

    static func beside(stateFile: String) -> LanKnownHosts {
        let folder = stateFile.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return LanKnownHosts(path: (folder.isEmpty ? "." : folder) + "/lan-known-hosts.json")
    }

    static func key(address: String, port: Int) -> String { "\(address) \(port)" }

    func pinned(address: String, port: Int) throws -> String? {
        try read()[Self.key(address: address, port: port)]
    }

    /// Pins `hostKey` unless a key is pinned already; true when it was pinned now.
    func pin(_ hostKey: String, address: String, port: Int) throws -> Bool {
        var keys = try read()
        let name = Self.key(address: address, port: port)
        guard keys[name] == nil else { return false }
        keys[name] = hostKey
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SystemFiles.write(try encoder.encode(keys), to: path, mode: 0o600)
        return true
    }

    private func read() throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return try JSONDecoder().decode([String: String].self, from: try SystemFiles.contents(of: path))
    }
}
