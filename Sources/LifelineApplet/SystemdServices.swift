#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol

/// The services view (L3) and what the technician may do to a service, over systemd's D-Bus API
/// (sd-bus): the machine's manager, and the customer's own when the applet is not root. Every
/// call blocks, so each runs on a thread of its own.
struct SystemdServices: Sendable {
    /// How long a start, stop or restart may take before the answer says `timeout`.
    var jobTimeout: Duration = .seconds(100)

    /// A unit as `ListUnits` reports it.
    struct LoadedUnit: Equatable {
        var name, description, loadState, activeState, subState: String
        /// Its object on the bus.
        var path = ""
    }

    func list() async -> SystemInfoReply {
        await PosixThread.offThread {
            var units: [ServiceUnit] = []
            var failure: SystemdBus.Failure?
            for scope in Self.scopes {
                do throws(SystemdBus.Failure) {
                    let bus = try SystemdBus(user: scope == .user)
                    units += try Self.units(on: bus, scope: scope)
                } catch {
                    // The user's manager is a bonus; the machine's decides.
                    if scope == .system { failure = error }
                }
            }
            if let failure, units.isEmpty { return .failed(code: Self.code(failure), message: Self.message(failure)) }
            return .services(units)
        }
    }

    func perform(_ operation: ServiceOperation, on name: String, scope: ServiceScope) async -> SystemActionResult {
        let timeout = jobTimeout
        return await PosixThread.offThread {
            do throws(SystemdBus.Failure) {
                guard Self.scopes.contains(scope) else {
                    throw SystemdBus.Failure(name: "", description: "The applet runs as root: there is no customer's own service manager.")
                }
                let bus = try SystemdBus(user: scope == .user)
                var job: String?
                switch operation {
                case .start, .stop, .restart:
                    let method = ["start": "StartUnit", "stop": "StopUnit", "restart": "RestartUnit"][operation.rawValue]!
                    // Without Subscribe, systemd keeps its job signals to itself. A manager that does
                    // not know the call sends them anyway; any other refusal is the answer.
                    do throws(SystemdBus.Failure) { _ = try bus.call("Subscribe") } catch {
                        guard error.name == "org.freedesktop.DBus.Error.UnknownMethod" else { throw error }
                    }
                    let (path, removed) = try bus.watchingJobs({ () throws(SystemdBus.Failure) -> String in
                        try bus.call(method, [.string(name), .string("replace")]).string()
                    }, until: { path, removed in removed[path] != nil }, timeout: timeout)
                    job = removed[path] ?? "timeout"
                case .enable:
                    _ = try bus.call("EnableUnitFiles", [.strings([name]), .bool(false), .bool(false)])
                    _ = try bus.call("Reload")
                case .disable:
                    _ = try bus.call("DisableUnitFiles", [.strings([name]), .bool(false)])
                    _ = try bus.call("Reload")
                }
                return .serviceChanged(unit: try Self.unit(name, on: bus, scope: scope), operation: operation, job: job)
            } catch {
                return .failed(code: Self.code(error), message: Self.message(error))
            }
        }
    }

    /// The machine's manager, and the customer's own unless the applet is root (then it has none).
    static var scopes: [ServiceScope] { getuid() == 0 ? [.system] : [.system, .user] }

    /// Every unit systemd has loaded (`ListUnits`).
    static func loadedUnits(on bus: SystemdBus) throws(SystemdBus.Failure) -> [LoadedUnit] {
        let reply = try bus.call("ListUnits")
        var loaded: [LoadedUnit] = []
        if reply.enter("a", "(ssssssouso)") {
            while reply.enter("r", "ssssssouso") {
                let fields = (0..<7).map { _ in reply.string() }
                _ = reply.uint32()
                _ = (reply.string(), reply.string())
                reply.exit()
                loaded.append(LoadedUnit(name: fields[0], description: fields[1], loadState: fields[2], activeState: fields[3],
                                         subState: fields[4], path: fields[6]))
            }
            reply.exit()
        }
        return loaded
    }

    /// The timers that have run, the latest first: when, what they start, and when next; nil when
    /// no service manager could be reached (no systemd).
    static func timersRun(_ count: Int) async -> [ScheduledJob]? {
        await PosixThread.offThread {
            var jobs: [ScheduledJob] = []
            var reached = false
            for scope in scopes {
                do throws(SystemdBus.Failure) {
                    let bus = try SystemdBus(user: scope == .user)
                    let units = try loadedUnits(on: bus)
                    reached = true // a manager answered
                    // One call per timer, as `systemctl list-timers` makes (three, one per property, took
                    // three times as long: the dashboard waits for them).
                    for timer in units where timer.name.hasSuffix(".timer") {
                        let properties = try bus.properties(of: timer.path, interface: "org.freedesktop.systemd1.Timer")
                        guard let last = properties.numbers["LastTriggerUSec"], last > 0 else { continue }
                        let next = properties.numbers["NextElapseUSecRealtime"] ?? 0
                        jobs.append(ScheduledJob(name: timer.name, runs: properties.texts["Unit"] ?? "",
                                                 lastRun: Double(last) / 1_000_000, nextRun: next > 0 ? Double(next) / 1_000_000 : nil))
                    }
                } catch {
                    continue // no manager there: its timers are not part of the answer
                }
            }
            return reached ? Array(jobs.sorted { $0.lastRun > $1.lastRun }.prefix(count)) : nil
        }
    }

    static func units(on bus: SystemdBus, scope: ServiceScope) throws(SystemdBus.Failure) -> [ServiceUnit] {
        let loaded = try loadedUnits(on: bus)
        let filesReply = try bus.call("ListUnitFiles")
        var files: [(path: String, state: String)] = []
        if filesReply.enter("a", "(ss)") {
            while filesReply.enter("r", "ss") {
                files.append((filesReply.string(), filesReply.string()))
                filesReply.exit()
            }
            filesReply.exit()
        }
        return merged(loaded: loaded, files: files, scope: scope)
    }

    /// Loaded services with their unit file's state, then installed ones systemd has not loaded
    /// (disabled); templates (`name@.service`) left out, instances kept; sorted by name.
    static func merged(loaded: [LoadedUnit], files: [(path: String, state: String)], scope: ServiceScope) -> [ServiceUnit] {
        var states: [String: String] = [:]
        for file in files {
            let name = String(file.path.split(separator: "/").last ?? "")
            if ServiceUnit.isServiceName(name), states[name] == nil { states[name] = file.state }
        }
        var units: [String: ServiceUnit] = [:]
        for unit in loaded where ServiceUnit.isServiceName(unit.name) {
            units[unit.name] = ServiceUnit(name: unit.name, scope: scope, description: unit.description, loadState: unit.loadState,
                                           activeState: unit.activeState, subState: unit.subState, enablement: states[unit.name])
        }
        for (name, state) in states where units[name] == nil {
            units[name] = ServiceUnit(name: name, scope: scope, description: "", loadState: "not-loaded", activeState: "inactive",
                                      subState: "dead", enablement: state)
        }
        return units.values.sorted { $0.name < $1.name }
    }

    /// One service as it is now (loading it if it was not).
    static func unit(_ name: String, on bus: SystemdBus, scope: ServiceScope) throws(SystemdBus.Failure) -> ServiceUnit {
        let path = try bus.call("LoadUnit", [.string(name)]).string()
        let interface = "org.freedesktop.systemd1.Unit"
        func read(_ property: String) throws(SystemdBus.Failure) -> String { try bus.property(property, of: path, interface: interface) }
        let enablement = try read("UnitFileState")
        return ServiceUnit(name: name, scope: scope, description: try read("Description"), loadState: try read("LoadState"),
                           activeState: try read("ActiveState"), subState: try read("SubState"),
                           enablement: enablement.isEmpty ? nil : enablement)
    }

    static func code(_ failure: SystemdBus.Failure) -> String {
        switch failure.name {
        case "", "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner": "no_systemd"
        case "org.freedesktop.DBus.Error.AccessDenied", "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired": "not_permitted"
        case "org.freedesktop.systemd1.NoSuchUnit", "org.freedesktop.DBus.Error.FileNotFound": "no_such_unit"
        default: "systemd_error"
        }
    }

    static func message(_ failure: SystemdBus.Failure) -> String {
        switch code(failure) {
        case "no_systemd": "This computer has no systemd service manager the applet can reach (\(failure.description))."
        case "not_permitted": "systemd refused: changing the machine's services needs the elevated applet (\(failure.description))."
        default: failure.description
        }
    }
}
