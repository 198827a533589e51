import Testing
import LifelineCore

/// "End process" reaches the process and its descendants, never a process that merely took a
/// number once used in the tree, never the machine itself or the applet.
@Suite("Which processes ending one reaches")
struct ProcessTreeTests {
    static func process(_ pid: Int32, parent: Int32, start: Int64) -> ProcReadings.ProcessStat {
        .init(pid: pid, name: "p\(pid)", state: "S", parent: parent, cpuTicks: 0, startTicks: start, residentPages: 1)
    }

    static let machine: [ProcReadings.ProcessStat] = [
        process(1, parent: 0, start: 1), process(2, parent: 0, start: 1), process(40, parent: 2, start: 2),
        process(900, parent: 1, start: 500),   // the customer's editor
        process(950, parent: 900, start: 520), // its helper
        process(990, parent: 950, start: 530), // the helper's child
        process(920, parent: 900, start: 450), // claims 900 as parent but started before it: a reused number's leftover
        process(1200, parent: 1, start: 600),  // the applet's shell
        process(1201, parent: 1200, start: 601), // the applet
    ]

    @Test("the tree: the process first, then each generation; the start time tells a later process from the one shown", arguments: [
        (Int32(900), Int64(500), [Int32(900), 950, 990]),
        (950, 520, [950, 990]),
        (990, 530, [990]),
        (900, 499, []), // the number now belongs to another process
        (777, 1, []),
    ])
    func members(pid: Int32, start: Int64, expected: [Int32]) {
        #expect(ProcessTree.members(of: pid, startTicks: start, in: Self.machine).map(\.pid) == expected)
    }

    @Test("refused: gone, the machine itself, the applet or what it runs under", arguments: [
        (Int32(900), Int64(500), ProcessTree.Refusal?.none),
        (900, 12, .gone), (1, 1, .system), (2, 1, .system), (40, 2, .system),
        (1200, 600, .applet), (1201, 601, .applet),
    ])
    func refusal(pid: Int32, start: Int64, expected: ProcessTree.Refusal?) {
        #expect(ProcessTree.refusal(ending: pid, startTicks: start, in: Self.machine, applet: 1201) == expected)
    }
}
