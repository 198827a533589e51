/// Multicast DNS (RFC 6762) as far as a LAN connector needs it (F4): a one-shot query for the
/// services machines announce, and the answers read back — PTR, SRV and A records — into names by
/// IPv4 address. Pure: the socket is the applet's. Every length and pointer in an answer is checked;
/// a bad packet is refused, never read past its end.
public enum MulticastDNS {
    public static let group = "224.0.0.251"
    public static let port: UInt16 = 5353
    /// What machines on a LAN announce: SSH servers, and Avahi's "workstation" (every Linux desktop by default on some systems).
    public static let services = ["_ssh._tcp.local", "_sftp-ssh._tcp.local", "_workstation._tcp.local"]

    public enum Record: Equatable, Sendable {
        case pointer(name: String, target: String)
        case service(name: String, target: String, port: UInt16)
        case address(name: String, ipv4: UInt32)
    }

    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static let typePointer: UInt16 = 12, typeService: UInt16 = 33, typeAddress: UInt16 = 1, classInternet: UInt16 = 1

    /// A standard query (id 0, no flags) for `names` of `type`: sent from a port other than 5353 it is a
    /// "one-shot" query, which responders answer by unicast to that port.
    public static func query(_ names: [String], type: UInt16 = typePointer) -> [UInt8] {
        var packet: [UInt8] = [0, 0, 0, 0]
        packet += bigEndian(UInt16(names.count)) + [0, 0, 0, 0, 0, 0]
        for name in names {
            for label in name.split(separator: ".") {
                let bytes = Array(label.utf8.prefix(63))
                packet.append(UInt8(bytes.count))
                packet += bytes
            }
            packet.append(0)
            packet += bigEndian(type) + bigEndian(classInternet)
        }
        return packet
    }

    /// A query for the addresses of `hosts` (names ending in .local).
    public static func addressQuery(_ hosts: [String]) -> [UInt8] { query(hosts, type: typeAddress) }

    /// The PTR, SRV and A records among a response's answers and additional records.
    public static func records(in packet: [UInt8]) throws(Malformed) -> [Record] {
        var reader = Reader(bytes: packet)
        _ = try reader.uint16()
        let flags = try reader.uint16()
        guard flags & 0x8000 != 0 else { return [] }  // a query, not an answer
        let questions = try reader.uint16(), answers = try reader.uint16(), authorities = try reader.uint16(), additional = try reader.uint16()
        for _ in 0..<questions {
            _ = try reader.name()
            _ = try reader.bytes(4)
        }
        var found: [Record] = []
        for _ in 0..<(Int(answers) + Int(authorities) + Int(additional)) {
            let name = try reader.name()
            let type = try reader.uint16()
            _ = try reader.uint16()  // class, with the cache-flush bit
            _ = try reader.bytes(4)  // time to live
            let length = Int(try reader.uint16())
            let end = reader.offset + length
            guard end <= packet.count else { throw Malformed(description: "a record runs past the packet's end") }
            switch type {
            case typePointer: found.append(.pointer(name: name, target: try reader.name()))
            case typeService:
                _ = try reader.bytes(4)  // priority, weight
                let port = try reader.uint16()
                found.append(.service(name: name, target: try reader.name(), port: port))
            case typeAddress where length == 4:
                let bytes = try reader.bytes(4)
                found.append(.address(name: name, ipv4: bytes.reduce(0) { $0 << 8 | UInt32($1) }))
            default: break
            }
            reader.offset = end
        }
        return found
    }

    /// Names by IPv4 address: each address record's host, without `.local` ("printer.local" → "printer").
    public static func names(from records: [Record]) -> [UInt32: String] {
        var names: [UInt32: String] = [:]
        for case .address(let name, let ipv4) in records {
            let host = name.lowercased().hasSuffix(".local") ? String(name.dropLast(".local".count)) : name
            if !host.isEmpty { names[ipv4] = host }
        }
        return names
    }

    /// The hosts the services named (SRV targets) whose addresses did not come with them.
    public static func hostsWithoutAddress(in records: [Record]) -> [String] {
        let addressed = Set(records.compactMap { if case .address(let name, _) = $0 { name.lowercased() } else { nil } })
        let targets = records.compactMap { if case .service(_, let target, _) = $0 { target } else { nil } }
        return Array(Set(targets.filter { !addressed.contains($0.lowercased()) })).sorted()
    }

    private static func bigEndian(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func bytes(_ count: Int) throws(Malformed) -> ArraySlice<UInt8> {
            guard offset + count <= bytes.count else { throw Malformed(description: "the packet ends too soon") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func uint16() throws(Malformed) -> UInt16 {
            let pair = try bytes(2)
            return UInt16(pair[pair.startIndex]) << 8 | UInt16(pair[pair.startIndex + 1])
        }

        /// A name, following compression pointers backwards only (so never in a loop).
        mutating func name() throws(Malformed) -> String {
            var labels: [String] = []
            var position = offset
            var resumeAt: Int?
            var limit = position
            while true {
                guard position < bytes.count else { throw Malformed(description: "a name runs past the packet's end") }
                let length = Int(bytes[position])
                if length & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count else { throw Malformed(description: "a name's pointer is cut") }
                    let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                    guard target < limit else { throw Malformed(description: "a name's pointer does not point back") }
                    if resumeAt == nil { resumeAt = position + 2 }
                    position = target
                    limit = target
                    continue
                }
                guard length & 0xC0 == 0 else { throw Malformed(description: "a label of an unknown kind") }
                if length == 0 { position += 1; break }
                guard position + 1 + length <= bytes.count, labels.count < 128 else { throw Malformed(description: "a label runs past the packet's end") }
                labels.append(String(decoding: bytes[(position + 1)..<(position + 1 + length)], as: UTF8.self))
                position += 1 + length
            }
            offset = resumeAt ?? position
            return labels.joined(separator: ".")
        }
    }
}
