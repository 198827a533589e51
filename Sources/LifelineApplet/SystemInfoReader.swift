#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import CLinuxCalls
import LifelineCore
import LifelineProtocol

/// Reads the views of system information (L1, L2) from `/etc`, `/proc` and `/sys` — folders given
/// to it, so a fixture tree reads like the live machine. Read-only: nothing here changes anything.
struct SystemInfoReader: Sendable {
    var etc = "/etc"
    var proc = "/proc"
    var sys = "/sys"
    /// The journal the dashboard's latest warnings come from (this machine's by default).
    var journal = JournalReader()
    /// Where syslog's files are, for cron's runs on machines without systemd.
    var logs = "/var/log"
    /// The folder holding lib/modules, where `modinfo` finds each module's file and description.
    var modulesRoot = "/"
    /// Between the two readings of the processes that give their CPU use.
    /// 200 ms keeps the view under 300 ms and still tells a busy process from an idle one.
    var sampling: Duration = .milliseconds(200)

    func read(_ view: SystemInfoView, events query: EventQuery? = nil) async -> SystemInfoReply {
        switch view {
        case .events:
            let journal = self.journal
            let syslog = SyslogReader(logs: logs)
            return await PosixThread.offThread {
                guard let query, query.isValid else { return .failed(code: "bad_request", message: "The event viewer needs a valid page query.") }
                // rsyslog's files on a machine without a journal (or when paging through them).
                let useSyslog = query.before?.hasPrefix("syslog:") == true || (journal.directory == nil && !JournalReader.machineHasJournal())
                if useSyslog, let page = syslog.page(query) { return .events(page) }
                do throws(SystemdBus.Failure) { return .events(try journal.page(query)) } catch {
                    return .failed(code: "no_journal", message: error.description)
                }
            }
        case .dashboard: return .dashboard(await dashboard())
        case .processes: return .processes(await processes())
        case .services: return await SystemdServices().list()
        case .startup: return await StartupReader.forThisSession().list()
        case .applications: return .applications(await PosixThread.offThread { ApplicationsReader.forThisMachine().read() })
        case .user: return .user(interactiveUser())
        case .drivers: return .drivers(await PosixThread.offThread { kernelModules() })
        }
    }

    private func text(_ path: String) -> String? { LocalText.read(path) }

    private func line(_ path: String) -> String? {
        guard let value = text(path)?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    /// The dashboard (L1). Its five busiest processes need a CPU sample: everything else is read
    /// meanwhile and given to `firstPart` as soon as it is there (the console draws it at once),
    /// then the whole is returned once the sample is done.
    func dashboard(firstPart: (SystemDashboard) async -> Void = { _ in }) async -> SystemDashboard {
        // What waits on other programs (systemd's timers over D-Bus, the journal) starts first; the
        // files here are read meanwhile.
        let journal = self.journal
        async let events: [JournalEntry] = PosixThread.offThread {
            do throws(SystemdBus.Failure) { return try journal.latest(5, maximumPriority: 4) } catch { return [] }
        }
        async let timers = SystemdServices.timersRun(5)
        async let busiest = processes(over: sampling / 2, busiest: 5)
        let release = ProcReadings.osRelease(text(etc + "/os-release") ?? text("/usr/lib/os-release") ?? "")
        let stat = ProcReadings.systemStat(text(proc + "/stat") ?? "")
        let system = SystemDashboard.System(
            operatingSystem: release["PRETTY_NAME"] ?? release["NAME"] ?? "Linux",
            kernel: line(proc + "/sys/kernel/osrelease") ?? "", hostname: line(proc + "/sys/kernel/hostname") ?? "",
            vendor: line(sys + "/class/dmi/id/sys_vendor"), product: line(sys + "/class/dmi/id/product_name"),
            biosVendor: line(sys + "/class/dmi/id/bios_vendor"), biosVersion: line(sys + "/class/dmi/id/bios_version"),
            bootTime: stat.bootTime.map(Double.init), users: Self.loggedInUsers())
        let cpu = ProcReadings.processor(text(proc + "/cpuinfo") ?? "")
        let memory = ProcReadings.memory(text(proc + "/meminfo") ?? "")
        let disks = disks()
        let scheduled = await timers ?? cronRuns(5)
        var dashboard = SystemDashboard(
            system: system,
            processor: .init(vendor: cpu.vendor, model: cpu.model, threads: cpu.threads, cores: cpu.cores, megahertz: cpu.megahertz),
            memory: .init(total: memory.total, available: memory.available, swapTotal: memory.swapTotal, swapFree: memory.swapFree),
            disks: disks, topProcesses: [], events: await events, scheduledJobs: scheduled)
        await firstPart(dashboard)
        dashboard.topProcesses = await busiest
        return dashboard
    }

    /// Without systemd: the cron jobs the syslog says ran last (its last MiB), newest first.
    func cronRuns(_ count: Int) -> [ScheduledJob] {
        guard let text = ["syslog", "cron", "cron.log"].lazy.compactMap({ LocalText.tail("\(self.logs)/\($0)", bytes: 1 << 20) }).first else {
            return []
        }
        return CronLog.runs(in: Substring(text)).reversed().prefix(count).map { run in
            ScheduledJob(name: "cron (\(run.user))", runs: run.command.clipped(toUTF8Bytes: 512), lastRun: SyslogReader.seconds(run.time))
        }
    }

    /// "/" and every volume a person would call a drive, with their space.
    func disks() -> [SystemDashboard.Disk] {
        let mountInfo = text(proc + "/self/mountinfo") ?? ""
        let rootVolume = mountInfo.split(separator: "\n").first { $0.split(separator: " ").dropFirst(4).first == "/" }
        let rootFields = rootVolume.map { line -> (String, String) in
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count else { return ("", "") }
            return (String(fields[dash + 1]), String(fields[dash + 2]))
        } ?? ("", "")
        let volumes = [(mountPoint: "/", fileSystem: rootFields.0, source: rootFields.1)]
            + MountTable.volumes(fromMountInfo: mountInfo).map { (mountPoint: $0.mountPoint, fileSystem: $0.fileSystem, source: $0.source) }
        return volumes.compactMap { volume -> SystemDashboard.Disk? in
            var space = statvfs()
            guard statvfs(volume.mountPoint, &space) == 0, space.f_blocks > 0 else { return nil }
            let unit = Int64(space.f_frsize)
            return SystemDashboard.Disk(mountPoint: volume.mountPoint, fileSystem: volume.fileSystem, source: volume.source,
                                        size: Int64(space.f_blocks) * unit, free: Int64(space.f_bavail) * unit)
        }
    }

    /// Every process, its CPU use measured over `sampling` (or `over`: the dashboard's top five
    /// need less); with `busiest`, only that many of the busiest, most first. Only the CPU ticks
    /// are read twice; owners and command lines once, of the processes answered.
    func processes(over window: Duration? = nil, busiest: Int? = nil) async -> [ProcessRow] {
        let sampling = window ?? self.sampling
        let first = ticks()
        let before = ProcReadings.systemStat(text(proc + "/stat") ?? "")
        do { try await Task.sleep(for: sampling) } catch {
            // Cancelled: the second reading comes at once; the shares are then rougher, not wrong.
        }
        let second = ticks()
        let elapsed = (ProcReadings.systemStat(text(proc + "/stat") ?? "").totalTicks ?? 0) - (before.totalTicks ?? 0)
        let threads = max(1, ProcReadings.processor(text(proc + "/cpuinfo") ?? "").threads)
        var measured = second.values.map { now in
            (stat: now, share: first[now.pid].flatMap { ProcReadings.cpuPercent(before: $0, after: now, elapsedTicks: elapsed, processors: threads) } ?? 0)
        }
        if let busiest {
            measured = Array(measured.sorted { ($0.share, $1.stat.pid) > ($1.share, $0.stat.pid) }.prefix(busiest))
        } else {
            measured.sort { $0.stat.pid < $1.stat.pid }
        }
        let bootTime = Double(before.bootTime ?? 0)
        let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let pageSize = Int64(max(1, sysconf(Int32(_SC_PAGESIZE))))
        var names: [uid_t: String] = [:]
        return measured.map { now, share in
            let folder = "\(proc)/\(now.pid)"
            var status = stat()
            let owner: uid_t = stat(folder, &status) == 0 ? status.st_uid : 0
            let arguments = (text(folder + "/cmdline") ?? "").split(separator: "\0", omittingEmptySubsequences: false)
            return ProcessRow(pid: now.pid, name: now.name, user: Self.userName(owner, cache: &names),
                              cpuPercent: (share * 10).rounded() / 10, memory: now.residentPages * pageSize,
                              started: bootTime + Double(now.startTicks) / ticksPerSecond,
                              commandLine: ProcessRow.clipped(arguments.joined(separator: " ").trimmed))
        }
    }

    /// The PIDs in a `/proc` folder now.
    static func processIDs(in proc: String) -> [Int32] { names(in: proc).compactMap { Int32($0) } }

    /// The processes there now with their CPU ticks, by PID; one that ends while being read is left out.
    private func ticks() -> [Int32: ProcReadings.ProcessStat] {
        var found: [Int32: ProcReadings.ProcessStat] = [:]
        for pid in Self.processIDs(in: proc) {
            guard let statText = text("\(proc)/\(pid)/stat"), let parsed = ProcReadings.processStat(statText) else { continue }
            found[pid] = parsed
        }
        return found
    }

    static func userName(_ uid: uid_t, cache: inout [uid_t: String]) -> String {
        if let known = cache[uid] { return known }
        let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "\(uid)"
        cache[uid] = name
        return name
    }

    /// The accounts with a login session now (utmp's user processes), each once.
    static func loggedInUsers() -> [String] {
        var users: [String] = []
        for login in logins() where !users.contains(login.user) { users.append(login.user) }
        return users
    }

    /// utmp's user processes: who, on which line, from where, since when.
    static func logins() -> [(user: String, login: InteractiveUser.Login)] {
        let text = { (bytes: UnsafeRawBufferPointer) in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
        var found: [(String, InteractiveUser.Login)] = []
        setutxent()
        defer { endutxent() }
        while let record = getutxent() {
            guard record.pointee.ut_type == USER_PROCESS else { continue }
            let user = withUnsafeBytes(of: record.pointee.ut_user, text)
            guard !user.isEmpty else { continue }
            let host = withUnsafeBytes(of: record.pointee.ut_host, text)
            found.append((user, InteractiveUser.Login(line: withUnsafeBytes(of: record.pointee.ut_line, text), host: host,
                                                      started: Double(record.pointee.ut_tv.tv_sec),
                                                      remote: !host.isEmpty && !host.hasPrefix(":"))))
        }
        return found
    }

    /// Groups whose members may use sudo on Debian, Fedora and older Ubuntu.
    static let administratorGroups = ["sudo", "wheel", "admin"]

    /// The account this applet runs for (L5); as root (the elevated applet), the first account
    /// signed in that is not root: the customer at the screen.
    func interactiveUser(uid: uid_t = getuid()) -> InteractiveUser {
        let logins = Self.logins()
        var account = uid
        if uid == 0, let customer = logins.first(where: { $0.user != "root" })?.user, let entry = getpwnam(customer) {
            account = entry.pointee.pw_uid
        }
        guard let entry = getpwuid(account) else {
            return InteractiveUser(name: "\(account)", uid: account, fullName: nil, home: "", shell: "", groups: [], administratorGroup: nil, logins: [])
        }
        let name = String(cString: entry.pointee.pw_name)
        let comment = entry.pointee.pw_gecos.map { String(cString: $0) }?.split(separator: ",", omittingEmptySubsequences: false).first.map(String.init)
        var count: Int32 = 64
        var ids = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, entry.pointee.pw_gid, &ids, &count) < 0 {
            ids = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, entry.pointee.pw_gid, &ids, &count)
        }
        let groups = ids.prefix(Int(max(0, count))).map { id in getgrgid(id).map { String(cString: $0.pointee.gr_name) } ?? "\(id)" }
        return InteractiveUser(name: name, uid: account, fullName: comment?.isEmpty == false ? comment : nil,
                               home: String(cString: entry.pointee.pw_dir), shell: String(cString: entry.pointee.pw_shell),
                               groups: groups, administratorGroup: groups.first { Self.administratorGroups.contains($0) },
                               sudoRules: geteuid() == 0 ? sudoRules(for: name, groups: groups) : nil,
                               logins: logins.filter { $0.user == name }.map(\.login))
    }

    /// The sudo rules that apply to `user`, from `<etc>/sudoers` and the files and folders it
    /// includes (a folder's files in order, without those sudo skips: a name with a dot or ending in
    /// `~`); nil when sudoers cannot be read.
    func sudoRules(for user: String, groups: [String]) -> [String]? {
        let main = etc + "/sudoers"
        guard let text = LocalText.read(main, limit: 1 << 20) else { return nil }
        var files: [SudoRules.File] = []
        // Each file once, however often it is included (and no include loop).
        var read: Set<String> = [main]
        var waiting = [(file: SudoRules.parse(text), folder: etc, depth: 0)]
        while !waiting.isEmpty, files.count < 128 {
            let (file, folder, depth) = waiting.removeFirst()
            files.append(file)
            guard depth < 4 else { continue }
            let absolute = { (path: String) in path.hasPrefix("/") ? path : folder + "/" + path }
            var included = file.includes.map(absolute)
            for directory in file.includeDirectories.map(absolute) {
                included += Self.names(in: directory).filter { !$0.contains(".") && !$0.hasSuffix("~") }.map { directory + "/" + $0 }
            }
            for path in included where read.insert(path).inserted {
                guard let text = LocalText.read(path, limit: 1 << 20) else { continue }
                let parent = path.split(separator: "/").dropLast().joined(separator: "/")
                waiting.append((SudoRules.parse(text), "/" + parent, depth + 1))
            }
        }
        return SudoRules.applying(to: user, groups: groups, in: files)
    }

    /// The names in a folder, without `.` and `..`; none when it cannot be read.
    static func names(in path: String) -> [String] {
        guard let folder = opendir(path) else { return [] }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// What a driver folder holds besides its devices.
    static let driverControls: Set<String> = ["bind", "unbind", "uevent", "new_id", "remove_id", "module"]

    /// Kernel modules from `/sys/module` (L6): every loaded one, and the built-in ones that register
    /// drivers; each with the devices bound to its drivers now and its description. Blocking.
    func kernelModules() -> [KernelModule] {
        var modules = Self.names(in: sys + "/module").compactMap { name -> KernelModule? in
            let base = "\(sys)/module/\(name)"
            let loaded = line(base + "/initstate")
            let drivers = Self.names(in: base + "/drivers").map { entry -> KernelModule.Driver in
                // "pci:nvme": the bus, then the driver's name on it.
                let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
                let (bus, driver) = parts.count == 2 ? (parts[0], parts[1]) : ("", entry)
                let devices = Self.names(in: "\(base)/drivers/\(entry)").filter { !Self.driverControls.contains($0) && !$0.hasPrefix("module") }
                return KernelModule.Driver(bus: bus, name: driver, devices: devices)
            }
            guard loaded != nil || !drivers.isEmpty else { return nil }
            return KernelModule(name: name, state: loaded ?? "builtin", version: line(base + "/version") ?? line(base + "/srcversion"),
                                size: line(base + "/coresize").flatMap { Int64($0) }, usedBy: Self.names(in: base + "/holders"), drivers: drivers)
        }
        let descriptions = KernelModuleDescriptions.of(modules.map(\.name), root: modulesRoot, release: line(proc + "/sys/kernel/osrelease") ?? "")
        for index in modules.indices { modules[index].description = descriptions[modules[index].name] }
        return modules
    }
}
