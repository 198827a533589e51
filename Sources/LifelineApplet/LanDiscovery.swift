#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A LAN connector's list of its network's machines (F4): the kernel's neighbour table, an SSH port
/// check of the subnets the administrator allowed — nothing outside them is ever probed — and the
/// machines of those subnets that answer a multicast DNS query, with names from the system's
/// resolver (the hosts file, DNS) or, failing it, the machine's own mDNS announcement.
enum LanDiscovery {
    static let probesAtOnce = 64
    static let probeTimeout = TimeAmount.milliseconds(800)
    static let namesWithin = Duration.milliseconds(1_500)

    static func machines(subnets texts: [String], neighbourTable: String = "/proc/net/arp", logger: Logger) async -> [LanMachine] {
        var subnets: [LanSubnet] = []
        for text in texts {
            do {
                subnets.append(try LanSubnet(text))
            } catch {
                logger.warning("A subnet the gateway sent is refused", metadata: ["subnet": "\(text)", "error": "\(error)"])
            }
        }
        let candidates = Set(subnets.flatMap(\.hosts))
        let allowed = subnets
        async let announced = PosixThread.offThread { LanMulticastDNS.names(subnets: allowed, logger: logger) }
        let open = await sshAnswers(Array(candidates).sorted())
        // Read after the check: the machines that answered it, with SSH or without, are neighbours now.
        let neighbours = Set(readNeighbours(neighbourTable, logger: logger).compactMap { LanSubnet.address($0.address) })
        let mdns = await announced
        let listed = neighbours.union(open).union(mdns.keys).sorted()
        let names = await self.names(of: listed)
        return listed.map { address in
            LanMachine(address: LanSubnet.text(address), name: names[address] ?? mdns[address],
                       ssh: candidates.contains(address) ? open.contains(address) : nil, neighbour: neighbours.contains(address))
        }
    }

    static func readNeighbours(_ path: String, logger: Logger) -> [NeighbourTable.Entry] {
        do {
            return NeighbourTable.parse(String(decoding: try SystemFiles.contents(of: path), as: UTF8.self))
        } catch {
            logger.warning("No neighbour table to read", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// The addresses whose TCP port 22 accepted a connection, `probesAtOnce` at a time.
    static func sshAnswers(_ addresses: [UInt32]) async -> Set<UInt32> {
        await withTaskGroup(of: UInt32?.self) { group in
            var open = Set<UInt32>()
            var next = addresses.makeIterator()
            func probeNext() -> Bool {
                guard let address = next.next() else { return false }
                group.addTask { await answersSSH(address) ? address : nil }
                return true
            }
            for _ in 0..<probesAtOnce where !probeNext() { break }
            while let answer = await group.next() {
                if let answer { open.insert(answer) }
                _ = probeNext()
            }
            return open
        }
    }

    static func answersSSH(_ address: UInt32) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(probeTimeout)
                .connect(host: LanSubnet.text(address), port: 22).get()
            channel.close(promise: nil)
            return true
        } catch {
            return false  // Refused, unreachable or silent: no SSH there for the connector.
        }
    }

    /// Reverse names, looked up at once, each on a thread of its own (the resolver blocks); the
    /// list goes back after `namesWithin` with the names that came by then.
    static func names(of addresses: [UInt32]) async -> [UInt32: String] {
        guard !addresses.isEmpty else { return [:] }
        let gathering = NameGathering(expected: addresses.count)
        return await withCheckedContinuation { continuation in
            gathering.wait(continuation)
            for address in addresses {
                if !PosixThread.start({ gathering.add(address, reverseName(address)) }) { gathering.add(address, nil) }
            }
            Task {
                do { try await Task.sleep(for: namesWithin) } catch { /* cancelled with the agent: answer now */ }
                gathering.finish()
            }
        }
    }

    static func reverseName(_ address: UInt32) -> String? {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_addr.s_addr = address.bigEndian
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let result = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NAMEREQD)
            }
        }
        guard result == 0 else { return nil }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Names arriving from the resolver's threads, handed over once: when all came or time is up.
private final class NameGathering: Sendable {
    private struct State {
        var names: [UInt32: String] = [:]
        var remaining: Int
        var continuation: CheckedContinuation<[UInt32: String], Never>?
    }

    private let state: Mutex<State>

    init(expected: Int) {
        state = Mutex(State(remaining: expected))
    }

    func wait(_ continuation: CheckedContinuation<[UInt32: String], Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func add(_ address: UInt32, _ name: String?) {
        let done = state.withLock { state -> Bool in
            if let name { state.names[address] = name }
            state.remaining -= 1
            return state.remaining == 0
        }
        if done { finish() }
    }

    func finish() {
        let handover = state.withLock { state -> (CheckedContinuation<[UInt32: String], Never>, [UInt32: String])? in
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.names)
        }
        if let (continuation, names) = handover { continuation.resume(returning: names) }
    }
}
