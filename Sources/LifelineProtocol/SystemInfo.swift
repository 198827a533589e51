#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// A view of the customer's machine (L1–L8), asked for one at a time as the manual's "Request
/// information" buttons do.
public enum SystemInfoView: String, Codable, CaseIterable, Sendable {
    case dashboard
    case processes
    case services
    case user
    case drivers
    /// The event viewer (L8): one page of one log, as `events` asks.
    case events
    /// Programs that start with the computer or the desktop (L7).
    case startup
    /// Installed applications (L4).
    case applications
}

/// `system_info_request` from a console (with the session) and to the applet (without).
public struct SystemInfoRequestMessage: WireMessage {
    public let sessionId: String?
    public let requestId: String
    public let view: SystemInfoView
    /// The page wanted, for the `events` view (required there, ignored elsewhere).
    public let events: EventQuery?

    public init(sessionId: String?, requestId: String, view: SystemInfoView, events: EventQuery? = nil) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.view = view
        self.events = events
    }
}

/// `system_info_reply` from the applet (without the session) and to the console (with it).
///
/// A list too long for one 64 KiB frame (a desktop's processes with a browser's long command
/// lines) comes in parts, in order: every part but the last says `more`, and the rows of all
/// parts together are the answer (`SystemInfoReply.parts(maximumBytes:)`).
public struct SystemInfoReplyMessage: WireMessage {
    public let sessionId: String?
    public let requestId: String
    public let reply: SystemInfoReply
    /// True when another part of this answer follows; absent on the last (or only) one.
    public let more: Bool?

    public init(sessionId: String?, requestId: String, reply: SystemInfoReply, more: Bool? = nil) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.reply = reply
        self.more = more
    }
}

/// The applet's answer to a `system_info_request`.
public enum SystemInfoReply: Codable, Equatable, Sendable {
    case dashboard(SystemDashboard)
    case processes([ProcessRow])
    case services([ServiceUnit])
    case user(InteractiveUser)
    case drivers([KernelModule])
    case events(EventPage)
    case startup([StartupEntry])
    case applications([InstalledApplication])
    case failed(code: String, message: String)

    private enum Keys: String, CodingKey {
        case kind, dashboard, processes, services, user, drivers, events, startup, applications, code, message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "dashboard": self = .dashboard(try container.decode(SystemDashboard.self, forKey: .dashboard))
        case "processes": self = .processes(try container.decode([ProcessRow].self, forKey: .processes))
        case "services": self = .services(try container.decode([ServiceUnit].self, forKey: .services))
        case "user": self = .user(try container.decode(InteractiveUser.self, forKey: .user))
        case "drivers": self = .drivers(try container.decode([KernelModule].self, forKey: .drivers))
        case "events": self = .events(try container.decode(EventPage.self, forKey: .events))
        case "startup": self = .startup(try container.decode([StartupEntry].self, forKey: .startup))
        case "applications": self = .applications(try container.decode([InstalledApplication].self, forKey: .applications))
        case "failed": self = .failed(code: try container.decode(String.self, forKey: .code), message: try container.decode(String.self, forKey: .message))
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown reply \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .dashboard(let dashboard):
            try container.encode("dashboard", forKey: .kind)
            try container.encode(dashboard, forKey: .dashboard)
        case .processes(let processes):
            try container.encode("processes", forKey: .kind)
            try container.encode(processes, forKey: .processes)
        case .services(let services):
            try container.encode("services", forKey: .kind)
            try container.encode(services, forKey: .services)
        case .user(let user):
            try container.encode("user", forKey: .kind)
            try container.encode(user, forKey: .user)
        case .drivers(let modules):
            try container.encode("drivers", forKey: .kind)
            try container.encode(modules, forKey: .drivers)
        case .events(let page):
            try container.encode("events", forKey: .kind)
            try container.encode(page, forKey: .events)
        case .startup(let entries):
            try container.encode("startup", forKey: .kind)
            try container.encode(entries, forKey: .startup)
        case .applications(let applications):
            try container.encode("applications", forKey: .kind)
            try container.encode(applications, forKey: .applications)
        case .failed(let code, let message):
            try container.encode("failed", forKey: .kind)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }
    }
}

/// One running process (L2; the dashboard's top five).
public struct ProcessRow: Codable, Equatable, Sendable {
    public let pid: Int32
    public let name: String
    public let user: String
    /// Share of one CPU over the last 200 ms (the dashboard: 100 ms), as `top` counts it (200 = two CPUs busy).
    public let cpuPercent: Double
    /// Resident memory, in bytes.
    public let memory: Int64
    /// When it started, in seconds since 1970.
    public let started: Double
    /// Its arguments joined by spaces; empty for a kernel thread; cut at
    /// `maximumCommandLineBytes` with "…" (Linux allows megabytes of arguments).
    public let commandLine: String

    public static let maximumCommandLineBytes = 4096

    public init(pid: Int32, name: String, user: String, cpuPercent: Double, memory: Int64, started: Double, commandLine: String) {
        self.pid = pid
        self.name = name
        self.user = user
        self.cpuPercent = cpuPercent
        self.memory = memory
        self.started = started
        self.commandLine = commandLine
    }
}

/// The dashboard (L1): the machine at a glance. A part the applet cannot read is nil or empty.
public struct SystemDashboard: Codable, Equatable, Sendable {
    public struct System: Codable, Equatable, Sendable {
        /// "Debian GNU/Linux 12 (bookworm)".
        public var operatingSystem: String
        public var kernel: String
        public var hostname: String
        /// The board and firmware, from `/sys/class/dmi/id` (none in most containers).
        public var vendor: String?
        public var product: String?
        public var biosVendor: String?
        public var biosVersion: String?
        /// Seconds since 1970.
        public var bootTime: Double?
        /// The accounts with a session now, each once.
        public var users: [String]

        public init(operatingSystem: String, kernel: String, hostname: String, vendor: String? = nil, product: String? = nil,
                    biosVendor: String? = nil, biosVersion: String? = nil, bootTime: Double? = nil, users: [String] = []) {
            self.operatingSystem = operatingSystem
            self.kernel = kernel
            self.hostname = hostname
            self.vendor = vendor
            self.product = product
            self.biosVendor = biosVendor
            self.biosVersion = biosVersion
            self.bootTime = bootTime
            self.users = users
        }
    }

    public struct Processor: Codable, Equatable, Sendable {
        public var vendor: String?
        public var model: String?
        public var threads: Int
        public var cores: Int?
        public var megahertz: Double?

        public init(vendor: String?, model: String?, threads: Int, cores: Int?, megahertz: Double?) {
            self.vendor = vendor
            self.model = model
            self.threads = threads
            self.cores = cores
            self.megahertz = megahertz
        }
    }

    /// Bytes.
    public struct Memory: Codable, Equatable, Sendable {
        public var total: Int64
        public var available: Int64
        public var swapTotal: Int64
        public var swapFree: Int64

        public init(total: Int64, available: Int64, swapTotal: Int64, swapFree: Int64) {
            self.total = total
            self.available = available
            self.swapTotal = swapTotal
            self.swapFree = swapFree
        }
    }

    /// A mounted volume with its space, in bytes.
    public struct Disk: Codable, Equatable, Sendable {
        public var mountPoint: String
        public var fileSystem: String
        public var source: String
        public var size: Int64
        public var free: Int64

        public init(mountPoint: String, fileSystem: String, source: String, size: Int64, free: Int64) {
            self.mountPoint = mountPoint
            self.fileSystem = fileSystem
            self.source = source
            self.size = size
            self.free = free
        }
    }

    public var system: System
    public var processor: Processor
    public var memory: Memory
    public var disks: [Disk]
    /// The five processes using the most CPU.
    public var topProcesses: [ProcessRow]
    /// The five latest journal entries of priority warning or worse, newest first.
    public var events: [JournalEntry]
    /// The five scheduled jobs run last (systemd timers; cron from the syslog without systemd), newest first.
    public var scheduledJobs: [ScheduledJob]

    public init(system: System, processor: Processor, memory: Memory, disks: [Disk], topProcesses: [ProcessRow],
                events: [JournalEntry] = [], scheduledJobs: [ScheduledJob] = []) {
        self.system = system
        self.processor = processor
        self.memory = memory
        self.disks = disks
        self.topProcesses = topProcesses
        self.events = events
        self.scheduledJobs = scheduledJobs
    }
}

/// The account the customer is signed in with (L5): who, in which groups, whether it may act as
/// administrator, and its sessions.
public struct InteractiveUser: Codable, Equatable, Sendable {
    /// A login session of this account (utmp): a terminal or a display, local or from elsewhere.
    public struct Login: Codable, Equatable, Sendable {
        /// `tty2`, `pts/0`, `:0`.
        public var line: String
        /// Where it came from: a remote host, or a display; empty on a local console.
        public var host: String
        /// Seconds since 1970.
        public var started: Double
        public var remote: Bool

        public init(line: String, host: String, started: Double, remote: Bool) {
            self.line = line
            self.host = host
            self.started = started
            self.remote = remote
        }
    }

    public var name: String
    public var uid: UInt32
    /// The full name from the account's comment field, when it has one.
    public var fullName: String?
    public var home: String
    public var shell: String
    public var groups: [String]
    /// The group that lets it use sudo (`sudo`, `wheel` or `admin`), nil when none does; rules of
    /// /etc/sudoers itself are readable by root only and are not guessed.
    public var administratorGroup: String?
    /// The sudo rules that apply to the account, as written in /etc/sudoers and what it includes;
    /// nil when they could not be read (root only: the elevated applet reads them).
    public var sudoRules: [String]?
    public var logins: [Login]

    public init(name: String, uid: UInt32, fullName: String?, home: String, shell: String, groups: [String],
                administratorGroup: String?, sudoRules: [String]? = nil, logins: [Login]) {
        self.name = name
        self.uid = uid
        self.fullName = fullName
        self.home = home
        self.shell = shell
        self.groups = groups
        self.administratorGroup = administratorGroup
        self.sudoRules = sudoRules
        self.logins = logins
    }
}

/// A kernel module (L6, Linux's drivers): loaded, or built in and driving devices.
public struct KernelModule: Codable, Equatable, Sendable {
    /// A driver the module registers on a bus, and the devices bound to it now.
    public struct Driver: Codable, Equatable, Sendable {
        public var bus: String
        public var name: String
        public var devices: [String]

        public init(bus: String, name: String, devices: [String]) {
            self.bus = bus
            self.name = name
            self.devices = devices
        }
    }

    public var name: String
    /// `live` (loaded), `coming`, `going`, or `builtin` (part of the kernel).
    public var state: String
    public var version: String?
    /// What it is for, from the module file (`modinfo`); nil where that file or kmod is missing.
    public var description: String?
    /// Bytes of its code, for a loaded module.
    public var size: Int64?
    /// The modules that use it.
    public var usedBy: [String]
    public var drivers: [Driver]

    public init(name: String, state: String, version: String?, description: String? = nil, size: Int64?, usedBy: [String], drivers: [Driver]) {
        self.name = name
        self.state = state
        self.version = version
        self.description = description
        self.size = size
        self.usedBy = usedBy
        self.drivers = drivers
    }
}
