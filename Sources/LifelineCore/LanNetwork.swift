/// The rules of a LAN connector's network listing (F4), without I/O: IPv4 subnets an administrator
/// allows the connector to check, and the kernel's neighbour table as /proc/net/arp writes it.
public struct LanSubnet: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The largest subnet a connector checks: a /22, 1,022 machines.
    public static let smallestPrefix = 22

    public let network: UInt32
    public let prefix: Int

    public struct Refused: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// "192.168.1.0/24"; the address must be the network's first (no host bits), prefix 22 to 32.
    public init(_ text: String) throws(Refused) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.address(String(parts[0])), let prefix = Int(parts[1]), (0...32).contains(prefix) else {
            throw Refused(description: "\"\(text)\" is not an IPv4 subnet such as 192.168.1.0/24.")
        }
        guard prefix >= Self.smallestPrefix else {
            throw Refused(description: "\"\(text)\" is larger than a /\(Self.smallestPrefix): a connector checks at most 1,022 machines per subnet.")
        }
        let mask = Self.mask(prefix)
        guard address & ~mask == 0 else {
            throw Refused(description: "\"\(text)\" has host bits set: its network is \(Self.text(address & mask))/\(prefix).")
        }
        network = address
        self.prefix = prefix
    }

    public var description: String { "\(Self.text(network))/\(prefix)" }

    public func contains(_ address: UInt32) -> Bool { address & Self.mask(prefix) == network }

    /// The addresses a machine may have: without the network and broadcast addresses below a /31.
    public var hosts: [UInt32] {
        let size = UInt32(1) << UInt32(32 - prefix)
        if size <= 2 { return (0..<size).map { network + $0 } }
        return (1..<(size - 1)).map { network + $0 }
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix) }

    /// Dotted-quad text to its number; nil for anything else (no leading zeros, no short forms).
    public static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCII), let number = UInt8(octet),
                  octet.count == 1 || octet.first != "0" else { return nil }
            value = value << 8 | UInt32(number)
        }
        return value
    }

    public static func text(_ address: UInt32) -> String {
        [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}

/// /proc/net/arp: the machines this one has exchanged packets with lately.
public enum NeighbourTable {
    public struct Entry: Equatable, Sendable {
        public let address: String
        public let hardwareAddress: String
        public let device: String
    }

    /// Complete entries only (flag 0x2): an incomplete one is an address that never answered.
    public static func parse(_ text: String) -> [Entry] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, LanSubnet.address(String(fields[0])) != nil,
                  let flags = UInt32(fields[2].dropFirst(2), radix: 16), flags & 0x2 != 0 else { return nil }
            return Entry(address: String(fields[0]), hardwareAddress: String(fields[3]), device: String(fields[5]))
        }
    }
}
