#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import Logging

/// The connector asks its network who announces itself over multicast DNS (F4, "mDNS where present"):
/// a one-shot query for SSH servers and workstations on each of its interfaces whose network the
/// allowed subnets are part of, answered by unicast to this socket (RFC 6762 §5.1); a second query
/// asks for the addresses that did not come with the first answers. Only what comes back within
/// `listenFor` counts. Blocking: call it off Swift's cooperative threads.
enum LanMulticastDNS {
    static let listenFor: Duration = .milliseconds(1_200)

    /// Names by IPv4 address inside `subnets`.
    static func names(subnets: [LanSubnet], logger: Logger) -> [UInt32: String] {
        var names: [UInt32: String] = [:]
        for local in localAddresses(facing: subnets) {
            do {
                names.merge(try ask(from: local), uniquingKeysWith: { first, _ in first })
            } catch {
                logger.info("No mDNS answers on an interface", metadata: ["address": "\(LanSubnet.text(local))", "error": "\(error)"])
            }
        }
        return names.filter { address, _ in subnets.contains { $0.contains(address) } }
    }

    /// This computer's IPv4 addresses whose network holds some of `subnets` (or lies within one).
    static func localAddresses(facing subnets: [LanSubnet]) -> [UInt32] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        var found: [UInt32] = []
        var entry = list
        while let current = entry?.pointee {
            defer { entry = current.ifa_next }
            guard let address = current.ifa_addr, let mask = current.ifa_netmask, address.pointee.sa_family == sa_family_t(AF_INET),
                  current.ifa_flags & UInt32(IFF_LOOPBACK) == 0, current.ifa_flags & UInt32(IFF_MULTICAST) != 0 else { continue }
            let local = ipv4(address), netmask = ipv4(mask)
            if subnets.contains(where: { $0.contains(local) || ($0.network & netmask) == (local & netmask) }) { found.append(local) }
        }
        return found
    }

    private static func ipv4(_ address: UnsafeMutablePointer<sockaddr>) -> UInt32 {
        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One interface: the service query, then the addresses still missing; names by address.
    static func ask(from local: UInt32) throws(Failure) -> [UInt32: String] {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        defer { close(socket) }
        var source = sockaddr_in(ipv4: local, port: 0)
        var interface = in_addr(s_addr: local.bigEndian)
        var hops: UInt8 = 255
        guard withUnsafePointer(to: &source, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                  bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }) == 0,
              setsockopt(socket, Int32(IPPROTO_IP), IP_MULTICAST_IF, &interface, socklen_t(MemoryLayout<in_addr>.size)) == 0,
              setsockopt(socket, Int32(IPPROTO_IP), IP_MULTICAST_TTL, &hops, 1) == 0 else {
            throw Failure(description: String(cString: strerror(errno)))
        }
        let deadline = ContinuousClock.now + listenFor
        try send(MulticastDNS.query(MulticastDNS.services), on: socket)
        var records = receive(on: socket, until: ContinuousClock.now + listenFor / 2)
        let missing = MulticastDNS.hostsWithoutAddress(in: records)
        if !missing.isEmpty { try send(MulticastDNS.addressQuery(missing), on: socket) }
        records += receive(on: socket, until: deadline)
        return MulticastDNS.names(from: records)
    }

    private static func send(_ packet: [UInt8], on socket: Int32) throws(Failure) {
        var group = sockaddr_in(ipv4: 0xE00000FB, port: MulticastDNS.port)  // 224.0.0.251
        let sent = packet.withUnsafeBytes { bytes in
            withUnsafePointer(to: &group) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(socket, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard sent == packet.count else { throw Failure(description: String(cString: strerror(errno))) }
    }

    /// Every answer until `deadline`; a malformed one is skipped.
    private static func receive(on socket: Int32, until deadline: ContinuousClock.Instant) -> [MulticastDNS.Record] {
        var records: [MulticastDNS.Record] = []
        var buffer = [UInt8](repeating: 0, count: 9_000)
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return records }
            var waiting = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&waiting, 1, max(1, milliseconds)) > 0 else { continue }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            do {
                records += try MulticastDNS.records(in: Array(buffer.prefix(count)))
            } catch {
                continue  // Someone else's malformed packet: the others still count.
            }
        }
    }
}

extension sockaddr_in {
    init(ipv4 address: UInt32, port: UInt16) {
        self.init()
        sin_family = sa_family_t(AF_INET)
        sin_port = port.bigEndian
        sin_addr.s_addr = address.bigEndian
    }
}
