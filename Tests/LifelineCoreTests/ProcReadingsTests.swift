import Testing
@testable import LifelineCore

/// The readers of what a Linux machine says of itself (L1, L2), on fixtures copied from real
/// machines (and bent where kernels differ).
@Suite("Reading /etc/os-release and /proc")
struct ProcReadingsTests {
    @Test("os-release: quoted and bare values, escapes, comments")
    func osRelease() {
        let fields = ProcReadings.osRelease("""
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME='Debian GNU/Linux'
        # a comment
        VERSION_ID="12"
        ID=debian
        QUOTED="say \\"hi\\""

        """)
        #expect(fields["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)")
        #expect(fields["NAME"] == "Debian GNU/Linux")
        #expect(fields["VERSION_ID"] == "12" && fields["ID"] == "debian")
        #expect(fields["QUOTED"] == "say \"hi\"")
        #expect(fields.count == 5)
    }

    @Test("cpuinfo: vendor, model, threads, cores, clock; an ARM board's names")
    func processor() {
        let block = { (index: Int, core: Int) in """
            processor\t: \(index)
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7B13 64-Core Processor
            cpu MHz\t\t: 2449.998
            physical id\t: 0
            core id\t\t: \(core)

            """ }
        let amd = ProcReadings.processor(block(0, 0) + block(1, 0) + block(2, 1) + block(3, 1))
        #expect(amd == .init(vendor: "AuthenticAMD", model: "AMD EPYC 7B13 64-Core Processor", threads: 4, cores: 2, megahertz: 2449.998))
        let arm = ProcReadings.processor("processor\t: 0\nCPU implementer\t: 0x41\n\nprocessor\t: 1\nCPU implementer\t: 0x41\n\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n")
        #expect(arm == .init(vendor: "0x41", model: "Raspberry Pi 4 Model B Rev 1.4", threads: 2, cores: nil, megahertz: nil))
    }

    @Test("meminfo: sizes in bytes; available estimated on old kernels")
    func memory() {
        let modern = ProcReadings.memory("MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   20000000 kB\nSwapTotal:       1024 kB\nSwapFree:         512 kB\n")
        #expect(modern == .init(total: 24_576_000 * 1_024, available: 20_000_000 * 1_024, swapTotal: 1_048_576, swapFree: 524_288))
        let old = ProcReadings.memory("MemTotal: 100 kB\nMemFree: 10 kB\nBuffers: 5 kB\nCached: 20 kB\n")
        #expect(old.available == 35 * 1_024 && old.swapTotal == 0)
    }

    @Test("stat: the boot time and the CPU ticks of every state")
    func systemStat() {
        let stat = ProcReadings.systemStat("cpu  100 2 30 4000 5 0 6 0 0 0\ncpu0 50 1 15 2000 2 0 3 0 0 0\nintr 1 2 3\nbtime 1764800000\n")
        #expect(stat.bootTime == 1_764_800_000 && stat.totalTicks == 4_143)
    }

    @Test("a process's stat: names with spaces and parentheses; a short or broken line is no process")
    func processStat() {
        let line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 120 30 0 0 20 0 3 0 987654 123456789 2500 18446744073709551615"
        let stat = ProcReadings.processStat(line)
        #expect(stat == .init(pid: 4242, name: "my (odd) name", state: "S", parent: 1, cpuTicks: 150, startTicks: 987_654, residentPages: 2_500))
        #expect(ProcReadings.processStat("17 (x) S 1 2 3") == nil)
        #expect(ProcReadings.processStat("no pid (x) S") == nil)
        #expect(ProcReadings.processStat("") == nil)
    }

    @Test("CPU share between two readings, as top counts it; a reused PID has none")
    func cpuPercent() {
        let before = ProcReadings.ProcessStat(pid: 7, name: "busy", state: "R", parent: 1, cpuTicks: 1_000, startTicks: 50, residentPages: 1)
        var after = before
        after.cpuTicks = 1_100
        // 200 ticks of the whole machine over 2 processors: 100 ticks of one CPU, all of them used.
        #expect(ProcReadings.cpuPercent(before: before, after: after, elapsedTicks: 200, processors: 2) == 100)
        #expect(ProcReadings.cpuPercent(before: before, after: after, elapsedTicks: 400, processors: 2) == 50)
        after.startTicks = 51
        #expect(ProcReadings.cpuPercent(before: before, after: after, elapsedTicks: 200, processors: 2) == nil)
        #expect(ProcReadings.cpuPercent(before: before, after: before, elapsedTicks: 0, processors: 2) == nil)
    }
}
