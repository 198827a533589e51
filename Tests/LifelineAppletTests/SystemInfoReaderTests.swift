import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineApplet
import LifelineTestSupport

/// The system information views (L1, L2) read from a fixture tree (an `/etc`, `/proc` and `/sys`
/// given to the reader) and from this machine itself.
@Suite("System information read from /etc, /proc and /sys")
struct SystemInfoReaderTests {
    static func fixture() throws -> SystemInfoReader {
        let base = NSTemporaryDirectory() + "lifeline-sysinfo-\(UUID().uuidString)"
        let files: [String: String] = [
            "etc/os-release": "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n",
            "proc/sys/kernel/osrelease": "6.1.0-28-amd64\n",
            "proc/sys/kernel/hostname": "help-desk-07\n",
            "proc/cpuinfo": "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz\ncpu MHz\t\t: 1800.000\n\nprocessor\t: 1\n",
            "proc/meminfo": "MemTotal: 8000000 kB\nMemAvailable: 6000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
            "proc/stat": "cpu 100 0 100 800 0 0 0 0 0 0\nbtime 1764800000\n",
            "proc/self/mountinfo": "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n",
            "proc/4242/stat": "4242 (editor) S 1 4242 4242 0 -1 0 0 0 0 0 30 20 0 0 20 0 1 0 500 1000 300 0",
            "proc/4242/cmdline": "/usr/bin/editor\0--new-window\0notes.txt\0",
            "proc/77/stat": "77 (kworker/0:1) I 2 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 10 0 0 0",
            "proc/77/cmdline": "",
            "sys/class/dmi/id/sys_vendor": "LENOVO\n",
            "sys/class/dmi/id/product_name": "20KN\n",
        ]
        try write(files, under: base)
        return SystemInfoReader(etc: base + "/etc", proc: base + "/proc", sys: base + "/sys", sampling: .milliseconds(1))
    }

    /// Writes each file of `files` (path → text) below `base`, making the folders.
    static func write(_ files: [String: String], under base: String) throws {
        for (path, text) in files {
            let full = base + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    @Test("a fixture machine: the dashboard's system, processor, memory and disks; its processes with their command lines")
    func fixtureMachine() async throws {
        let reader = try Self.fixture()
        let dashboard = await reader.dashboard()
        #expect(dashboard.system.operatingSystem == "Debian GNU/Linux 12 (bookworm)")
        #expect(dashboard.system.kernel == "6.1.0-28-amd64" && dashboard.system.hostname == "help-desk-07")
        #expect(dashboard.system.vendor == "LENOVO" && dashboard.system.product == "20KN" && dashboard.system.biosVendor == nil)
        #expect(dashboard.system.bootTime == 1_764_800_000)
        #expect(dashboard.processor == .init(vendor: "GenuineIntel", model: "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", threads: 2, cores: nil,
                                             megahertz: 1_800))
        #expect(dashboard.memory == .init(total: 8_000_000 * 1_024, available: 6_000_000 * 1_024, swapTotal: 0, swapFree: 0))
        #expect(dashboard.disks.first?.mountPoint == "/" && dashboard.disks.first?.fileSystem == "ext4" && (dashboard.disks.first?.size ?? 0) > 0)
        let processes = await reader.processes()
        #expect(processes.map(\.pid) == [77, 4242])
        let editor = try #require(processes.last)
        #expect(editor.name == "editor" && editor.commandLine == "/usr/bin/editor --new-window notes.txt")
        #expect(editor.started == 1_764_800_000 + 500 / Double(sysconf(Int32(_SC_CLK_TCK))))
        #expect(editor.memory == 300 * Int64(sysconf(Int32(_SC_PAGESIZE))))
        #expect(processes.first?.commandLine == "", "a kernel thread has no command line")
    }

    @Test("this machine: the processor's model as /proc/cpuinfo says, this test's own process with its CPU use")
    func liveMachine() async throws {
        let reader = SystemInfoReader()
        let dashboard = await reader.dashboard()
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last?.trimmed
        #expect(dashboard.processor.model == model)
        #expect(dashboard.memory.total > 0 && dashboard.disks.contains { $0.mountPoint == "/" })
        #expect((1...5).contains(dashboard.topProcesses.count))
        // Busy for the quarter second of the reading: this process shows the CPU it used.
        let busy = Task.detached {
            var sum = 0.0
            let until = ContinuousClock.now + .milliseconds(600)
            while ContinuousClock.now < until { sum += 1 }
            return sum
        }
        let processes = await reader.processes()
        _ = await busy.value
        let me = try #require(processes.first { $0.pid == getpid() })
        #expect(me.cpuPercent > 10, "\(me)")
        #expect(me.user == String(cString: getpwuid(getuid()).pointee.pw_name))
    }

    @Test("this machine's interactive user: the account, its groups with the primary one, the sudo group only when a member")
    func interactiveUser() throws {
        let reader = SystemInfoReader()
        let account = try #require(getpwuid(getuid()))
        let user = reader.interactiveUser(uid: getuid())
        if getuid() != 0 || !SystemInfoReader.logins().contains(where: { $0.user != "root" }) {
            #expect(user.name == String(cString: account.pointee.pw_name) && user.uid == getuid())
            #expect(user.home == String(cString: account.pointee.pw_dir))
            let primary = try #require(getgrgid(account.pointee.pw_gid))
            #expect(user.groups.contains(String(cString: primary.pointee.gr_name)), "\(user.groups)")
        }
        #expect(user.administratorGroup == user.groups.first { SystemInfoReader.administratorGroups.contains($0) })
        #expect(user.logins.allSatisfy { $0.started > 0 })
    }

    @Test("drivers from /sys/module: loaded modules and built-in ones with drivers, their devices; parameters-only entries left out")
    func kernelModules() throws {
        let base = NSTemporaryDirectory() + "lifeline-modules-\(UUID().uuidString)"
        let manager = FileManager.default
        let made = { (path: String, text: String?) throws in
            let full = base + "/" + path
            if let text {
                try manager.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            } else {
                try manager.createDirectory(atPath: full, withIntermediateDirectories: true)
            }
        }
        try made("sys/module/nvme/initstate", "live\n")
        try made("sys/module/nvme/coresize", "61440\n")
        try made("sys/module/nvme/srcversion", "ABC123\n")
        try made("sys/module/nvme_core/initstate", "live\n")
        try made("sys/module/nvme_core/holders/nvme", "")
        try made("sys/bus/pci/drivers/nvme/uevent", "")
        try made("sys/bus/pci/drivers/nvme/bind", "")
        try made("sys/bus/pci/drivers/nvme/0000:00:04.0", nil)
        try made("sys/module/nvme/drivers", nil)
        try manager.createSymbolicLink(atPath: base + "/sys/module/nvme/drivers/pci:nvme", withDestinationPath: base + "/sys/bus/pci/drivers/nvme")
        try made("sys/module/8250/drivers/platform:serial8250/serial8250", nil)
        try made("sys/module/block/parameters/events_dfl_poll_msecs", "0\n")
        let modules = SystemInfoReader(sys: base + "/sys").kernelModules()
        #expect(modules.map(\.name) == ["8250", "nvme", "nvme_core"])
        #expect(modules[0] == KernelModule(name: "8250", state: "builtin", version: nil, size: nil, usedBy: [],
                                            drivers: [.init(bus: "platform", name: "serial8250", devices: ["serial8250"])]))
        #expect(modules[1] == KernelModule(name: "nvme", state: "live", version: "ABC123", size: 61_440, usedBy: [],
                                            drivers: [.init(bus: "pci", name: "nvme", devices: ["0000:00:04.0"])]))
        #expect(modules[2].usedBy == ["nvme"] && modules[2].drivers.isEmpty)
    }

    @Test("drivers: each module's description from its file through kmod's modinfo (a compressed loadable module, a built-in one)")
    func kernelModuleDescriptions() throws {
        let base = NSTemporaryDirectory() + "lifeline-modinfo-\(UUID().uuidString)"
        let release = "9.9.9-lifeline"
        let folder = "\(base)/root/lib/modules/\(release)"
        try Self.write([
            "proc/sys/kernel/osrelease": release + "\n",
            "sys/module/lifeline_test/initstate": "live\n",
            "sys/module/lifeline_silent/initstate": "live\n",
            "src/lifeline-test.c": #"""
                __attribute__((section(".modinfo"), used)) static const char d[] = "description=Lifeline test driver";
                __attribute__((section(".modinfo"), used)) static const char l[] = "license=GPL";
                """#,
            "root/lib/modules/\(release)/modules.builtin": "kernel/drivers/tty/lifeline_serial.ko\n",
            "root/lib/modules/\(release)/modules.order": "kernel/drivers/misc/lifeline-test.ko\n",
        ], under: base)
        try FileManager.default.createDirectory(atPath: base + "/sys/module/lifeline_serial/drivers/platform:lifeline-serial", withIntermediateDirectories: true)
        try Data("lifeline_serial.description=Lifeline built-in serial\0lifeline_serial.license=GPL\0".utf8)
            .write(to: URL(fileURLWithPath: folder + "/modules.builtin.modinfo"))
        try FileManager.default.createDirectory(atPath: folder + "/kernel/drivers/misc", withIntermediateDirectories: true)
        // A real module file is a relocatable ELF object with a .modinfo section, compressed as
        // distributions ship it; depmod indexes it as on a real machine.
        try Self.run("cc", "-c", base + "/src/lifeline-test.c", "-o", folder + "/kernel/drivers/misc/lifeline-test.ko")
        try Self.run("xz", folder + "/kernel/drivers/misc/lifeline-test.ko")
        try Self.run("depmod", "-b", base + "/root", release)
        let modules = SystemInfoReader(proc: base + "/proc", sys: base + "/sys", modulesRoot: base + "/root").kernelModules()
        #expect(modules.map(\.name) == ["lifeline_serial", "lifeline_silent", "lifeline_test"])
        #expect(modules.map(\.description) == ["Lifeline built-in serial", nil, "Lifeline test driver"])
        // Without the kernel's module folder (this container), no description and no error.
        #expect(SystemInfoReader(proc: base + "/proc", sys: base + "/sys", modulesRoot: base + "/nothing").kernelModules()
                    .allSatisfy { $0.description == nil })
    }

    /// Runs a tool from PATH or /usr/sbin (depmod); kmod, xz-utils and a C compiler are test packages.
    static func run(_ tool: String, _ arguments: String...) throws {
        let status = try TestProgram.run("/usr/bin/env", ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin:" + (ProcessInfo.processInfo.environment["PATH"] ?? ""), tool] + arguments).status
        try #require(status == 0, "\(tool) \(arguments.joined(separator: " ")) failed (install kmod, xz-utils and a C compiler)")
    }

    @Test("sudo rules: sudoers and what it includes, a folder's files but those sudo skips, relative paths beside the file")
    func sudoRules() throws {
        let base = NSTemporaryDirectory() + "lifeline-sudoers-\(UUID().uuidString)"
        let files: [String: String] = [
            "etc/sudoers": "root ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir sudoers.d\n",
            "etc/sudoers.d/helpdesk": "User_Alias DESK = tess\n@include extra\n",
            "etc/sudoers.d/extra": "DESK ALL = (root) NOPASSWD: /usr/bin/systemctl restart cups\n",
            "etc/sudoers.d/old.bak": "tess ALL = ALL\n",
            "etc/sudoers.d/draft~": "tess ALL = ALL\n",
        ]
        try Self.write(files, under: base)
        let reader = SystemInfoReader(etc: base + "/etc")
        #expect(reader.sudoRules(for: "tess", groups: ["tess", "sudo"]) == [
            "%sudo ALL=(ALL:ALL) ALL", "DESK ALL = (root) NOPASSWD: /usr/bin/systemctl restart cups"])
        #expect(SystemInfoReader(etc: base + "/nothing").sudoRules(for: "tess", groups: []) == nil)
    }
}
