import Testing
@testable import LifelineCore

/// The LAN connector's rules without I/O (F4): which subnets an administrator may allow, which
/// addresses a check visits, and what the neighbour table says.
@Suite("LAN subnets and the neighbour table")
struct LanNetworkTests {
    @Test("subnets: IPv4 with a prefix of 22 to 32 and no host bits; anything else is refused with why", arguments: [
        ("192.168.1.0/24", true), ("10.231.7.8/29", true), ("10.0.0.0/22", true), ("10.0.0.5/32", true),
        ("10.0.0.0/21", false), ("10.0.0.0/8", false), ("10.231.7.9/29", false), ("192.168.1.0", false), ("192.168.1.0/33", false),
        ("192.168.01.0/24", false), ("192.168.1/24", false), ("256.1.1.0/24", false), ("fe80::/64", false), ("", false), ("1.2.3.4/ 24", false),
    ])
    func subnets(_ text: String, valid: Bool) {
        #expect(((try? LanSubnet(text)) != nil) == valid, "\(text)")
    }

    @Test("the addresses a check visits: no network or broadcast address, nothing outside")
    func hosts() throws {
        let subnet = try LanSubnet("10.231.7.8/29")
        #expect(subnet.hosts.map(LanSubnet.text) == ["10.231.7.9", "10.231.7.10", "10.231.7.11", "10.231.7.12", "10.231.7.13", "10.231.7.14"])
        #expect(try LanSubnet("10.0.0.0/22").hosts.count == 1_022)
        #expect(try LanSubnet("10.0.0.7/32").hosts.map(LanSubnet.text) == ["10.0.0.7"])
        #expect(subnet.contains(LanSubnet.address("10.231.7.14")!) && !subnet.contains(LanSubnet.address("10.231.7.16")!))
        #expect(subnet.description == "10.231.7.8/29")
        #expect(throws: LanSubnet.Refused.self) { try LanSubnet("10.231.7.9/29") }
    }

    @Test("the neighbour table: complete entries only, with their device")
    func neighbours() {
        let table = """
        IP address       HW type     Flags       HW address            Mask     Device
        192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
        10.231.7.9       0x1         0x0         00:00:00:00:00:00     *        llbr1
        10.231.7.13      0x1         0x2         6a:1b:2c:3d:4e:5f     *        llbr1
        not-an-address   0x1         0x2         6a:1b:2c:3d:4e:5f     *        llbr1
        """
        #expect(NeighbourTable.parse(table) == [
            .init(address: "192.0.2.1", hardwareAddress: "02:fc:00:00:00:05", device: "eth0"),
            .init(address: "10.231.7.13", hardwareAddress: "6a:1b:2c:3d:4e:5f", device: "llbr1"),
        ])
        #expect(NeighbourTable.parse("") == [])
    }

    @Test("shell words: anything becomes one word, quotes included")
    func shellWords() {
        #expect(ShellWords.quoted("plain") == "'plain'")
        #expect(ShellWords.quoted("it's $HOME `x`") == #"'it'\''s $HOME `x`'"#)
        #expect(ShellWords.quoted("") == "''")
    }
}
