/// The mounted volumes a customer would call drives (K2's root list), read from the text of
/// `/proc/self/mountinfo`: kernel and memory file systems, and the system's own mount points, are
/// left out; "/" and the home folder are roots of their own.
public enum MountTable {
    public struct Volume: Equatable, Sendable {
        public let mountPoint: String
        public let fileSystem: String
        public let source: String
    }

    /// File systems that hold no one's files.
    static let pseudoFileSystems: Set<String> = [
        "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "pstore", "bpf", "debugfs",
        "tracefs", "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs",
        "efivarfs", "ramfs", "squashfs", "overlay", "fuse.gvfsd-fuse", "fuse.portal", "nfsd", "selinuxfs",
    ]

    /// Mount points below these belong to the system, not to a person (a volume a desktop mounts
    /// lands in /media or /run/media, which are kept).
    static let systemPrefixes = ["/proc", "/sys", "/dev", "/run", "/boot", "/snap", "/var/lib", "/var/snap"]

    public static func volumes(fromMountInfo text: String) -> [Volume] {
        var seen = Set<String>()
        var volumes: [Volume] = []
        for line in text.split(separator: "\n") {
            // id parent major:minor root mount-point options [optional fields…] - type source super-options
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 10, let dash = fields.firstIndex(of: "-"), dash >= 6, dash + 2 < fields.count else { continue }
            let mountPoint = unescaped(fields[4])
            let fileSystem = String(fields[dash + 1])
            guard mountPoint != "/", !pseudoFileSystems.contains(fileSystem), !isSystem(mountPoint),
                  seen.insert(mountPoint).inserted else { continue }
            volumes.append(Volume(mountPoint: mountPoint, fileSystem: fileSystem, source: unescaped(fields[dash + 2])))
        }
        return volumes
    }

    static func isSystem(_ mountPoint: String) -> Bool {
        if mountPoint.hasPrefix("/run/media/") { return false }
        return systemPrefixes.contains { mountPoint == $0 || mountPoint.hasPrefix($0 + "/") }
    }

    /// The kernel writes space, tab, newline and backslash as three octal digits after a backslash.
    static func unescaped(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x5C, let value = octal(utf8[(index + 1)..<min(index + 4, utf8.count)]) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3, digits.allSatisfy({ (0x30...0x37).contains($0) }) else { return nil }
        let value = digits.reduce(0) { $0 * 8 + Int($1 - 0x30) }
        return value <= 255 ? UInt8(value) : nil
    }
}
