import LifelineCore
import Testing

/// The connector's mDNS query and its reading of answers (F4), on a response Avahi 0.8 really sent
/// (a one-shot query for _workstation._tcp and _ssh._tcp; captured on this project's test network).
@Suite("Multicast DNS: the query, and answers read without ever going past their end")
struct MulticastDNSTests {
    static let avahiAnswer: [UInt8] = hex("""
        0000840000020005000000000c5f776f726b73746174696f6e045f746370056c6f63616c00000c0001045f737368c019000c0001c00c000c00010000000a00\
        23206c616e6d616368696e652d64205b62653a37613a32653a62643a64353a31345dc00cc040001000010000000a000100c040002100010000000a00150000\
        000000090c6c616e6d616368696e652d64c01ec082001c00010000000a0010fe80000000000000bc7a2efffebdd514c082000100010000000a00040ae70905
        """)

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    @Test("a one-shot query: no id, no flags, each name's labels, type and class")
    func query() {
        #expect(MulticastDNS.query(["_ssh._tcp.local"]) == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
                + [4] + Array("_ssh".utf8) + [4] + Array("_tcp".utf8) + [5] + Array("local".utf8) + [0, 0, 12, 0, 1])
        #expect(MulticastDNS.addressQuery(["a.local"]).suffix(4) == [0, 1, 0, 1])
    }

    @Test("Avahi's answer: the service, its host and the host's IPv4 address, compression followed")
    func avahi() throws {
        let records = try MulticastDNS.records(in: Self.avahiAnswer)
        let instance = "lanmachine-d [be:7a:2e:bd:d5:14]._workstation._tcp.local"
        #expect(records == [
            .pointer(name: "_workstation._tcp.local", target: instance),
            .service(name: instance, target: "lanmachine-d.local", port: 9),
            .address(name: "lanmachine-d.local", ipv4: 0x0AE7_0905),
        ])
        #expect(MulticastDNS.names(from: records) == [0x0AE7_0905: "lanmachine-d"])
        #expect(MulticastDNS.hostsWithoutAddress(in: records).isEmpty)
        #expect(MulticastDNS.hostsWithoutAddress(in: Array(records.prefix(2))) == ["lanmachine-d.local"])
    }

    @Test("an answer cut anywhere is refused or read short, never past its end; a query is no answer")
    func cut() throws {
        for length in 0..<Self.avahiAnswer.count {
            do {
                let records = try MulticastDNS.records(in: Array(Self.avahiAnswer.prefix(length)))
                #expect(records.count < 3, "\(length) bytes")
            } catch {
                // Refused: as it should be for most cuts.
            }
        }
        #expect(try MulticastDNS.records(in: MulticastDNS.query(["_ssh._tcp.local"])) == [])
    }

    @Test("a name pointing at itself or forwards is refused, not followed", arguments: [
        // One answer whose name is a pointer to offset 12 (itself), then to offset 14 (ahead).
        [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4, 10, 0, 0, 1] as [UInt8],
        [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xC0, 14, 0, 1, 0, 1, 0, 0, 0, 10, 0, 4, 10, 0, 0, 1] as [UInt8],
    ])
    func loops(packet: [UInt8]) {
        #expect(throws: MulticastDNS.Malformed.self) { try MulticastDNS.records(in: packet) }
    }
}
