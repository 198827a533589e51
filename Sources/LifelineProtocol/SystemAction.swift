#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

/// Something the technician changes on the customer's machine from the System info tab (L2–L4,
/// L7): checked by the gateway (`system_actions`), done by the applet, logged and audited.
public enum SystemAction: Codable, Equatable, Sendable {
    /// End a process and its descendants: SIGTERM, then SIGKILL to what still runs after the grace
    /// time. `started` (as the processes view gave it) tells it from a later process with its PID.
    case endProcess(pid: Int32, started: Double)
    /// Start, stop, restart, enable or disable a systemd service (L3).
    case service(name: String, scope: ServiceScope, operation: ServiceOperation)
    /// Turn a startup entry on or off (L7): an autostart entry through a user-level copy with
    /// `Hidden`, a service by enabling or disabling it.
    case startup(kind: StartupEntry.Kind, name: String, scope: ServiceScope, enabled: Bool)
    /// Uninstall an application (L4): needs `uninstall_applications`, the customer's yes and, for a
    /// Debian package or a snap, the applet with administrator rights.
    case uninstall(source: PackageRemoval.Source, name: String)

    private enum Keys: String, CodingKey { case kind, pid, started, name, scope, operation, entry, enabled, source }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "end_process": self = .endProcess(pid: try container.decode(Int32.self, forKey: .pid),
                                               started: try container.decode(Double.self, forKey: .started))
        case "service": self = .service(name: try container.decode(String.self, forKey: .name),
                                        scope: try container.decode(ServiceScope.self, forKey: .scope),
                                        operation: try container.decode(ServiceOperation.self, forKey: .operation))
        case "startup": self = .startup(kind: try container.decode(StartupEntry.Kind.self, forKey: .entry),
                                        name: try container.decode(String.self, forKey: .name),
                                        scope: try container.decode(ServiceScope.self, forKey: .scope),
                                        enabled: try container.decode(Bool.self, forKey: .enabled))
        case "uninstall": self = .uninstall(source: try container.decode(PackageRemoval.Source.self, forKey: .source),
                                            name: try container.decode(String.self, forKey: .name))
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown action \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .endProcess(let pid, let started):
            try container.encode("end_process", forKey: .kind)
            try container.encode(pid, forKey: .pid)
            try container.encode(started, forKey: .started)
        case .service(let name, let scope, let operation):
            try container.encode("service", forKey: .kind)
            try container.encode(name, forKey: .name)
            try container.encode(scope, forKey: .scope)
            try container.encode(operation, forKey: .operation)
        case .startup(let entry, let name, let scope, let enabled):
            try container.encode("startup", forKey: .kind)
            try container.encode(entry, forKey: .entry)
            try container.encode(name, forKey: .name)
            try container.encode(scope, forKey: .scope)
            try container.encode(enabled, forKey: .enabled)
        case .uninstall(let source, let name):
            try container.encode("uninstall", forKey: .kind)
            try container.encode(source, forKey: .source)
            try container.encode(name, forKey: .name)
        }
    }

    /// Values the applet could never act on, refused by the gateway before they reach it.
    public var isValid: Bool {
        switch self {
        case .endProcess(let pid, let started): pid > 0 && started.isFinite && started >= 0
        case .service(let name, _, _): ServiceUnit.isServiceName(name)
        case .startup(.autostart, let name, _, _): DesktopEntry.isAutostartName(name)
        case .startup(.service, let name, _, _): ServiceUnit.isServiceName(name)
        case .uninstall(let source, let name): PackageRemoval.isValidName(name, source: source)
        }
    }

    /// The group permission the action needs.
    public var permission: Permission {
        if case .uninstall = self { .uninstallApplications } else { .systemActions }
    }
}

/// `system_action_request` from a console (with the session) and to the applet (without).
public struct SystemActionRequestMessage: WireMessage {
    public let sessionId: String?
    public let requestId: String
    public let action: SystemAction

    public init(sessionId: String?, requestId: String, action: SystemAction) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.action = action
    }
}

/// `system_action_reply` from the applet (without the session) and to the console (with it).
public struct SystemActionReplyMessage: WireMessage {
    public let sessionId: String?
    public let requestId: String
    public let result: SystemActionResult

    public init(sessionId: String?, requestId: String, result: SystemActionResult) {
        self.sessionId = sessionId
        self.requestId = requestId
        self.result = result
    }
}

/// What came of a `SystemAction`.
public enum SystemActionResult: Codable, Equatable, Sendable {
    /// The process and `children` descendants ended; `forced` when SIGKILL was needed.
    case processEnded(pid: Int32, name: String, children: Int, forced: Bool)
    /// The service after the operation; `job` is systemd's result for start, stop and restart
    /// (`done`, `failed`, `timeout`, `canceled`, `dependency`, `skipped`), nil for enable and disable.
    case serviceChanged(unit: ServiceUnit, operation: ServiceOperation, job: String?)
    /// The startup entry after it was turned on or off.
    case startupChanged(StartupEntry)
    /// The application is gone (L4); `output` is the package manager's last lines.
    case uninstalled(source: PackageRemoval.Source, name: String, output: String)
    /// Nothing was done (`process_gone`, `not_permitted`, `refused`, `still_running`, `io_error`),
    /// with a sentence for the technician.
    case failed(code: String, message: String)

    private enum Keys: String, CodingKey { case kind, pid, name, children, forced, unit, operation, job, entry, code, message, source, output }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "process_ended":
            self = .processEnded(pid: try container.decode(Int32.self, forKey: .pid), name: try container.decode(String.self, forKey: .name),
                                 children: try container.decode(Int.self, forKey: .children), forced: try container.decode(Bool.self, forKey: .forced))
        case "service_changed":
            self = .serviceChanged(unit: try container.decode(ServiceUnit.self, forKey: .unit),
                                   operation: try container.decode(ServiceOperation.self, forKey: .operation),
                                   job: try container.decodeIfPresent(String.self, forKey: .job))
        case "startup_changed": self = .startupChanged(try container.decode(StartupEntry.self, forKey: .entry))
        case "uninstalled":
            self = .uninstalled(source: try container.decode(PackageRemoval.Source.self, forKey: .source),
                                name: try container.decode(String.self, forKey: .name), output: try container.decode(String.self, forKey: .output))
        case "failed": self = .failed(code: try container.decode(String.self, forKey: .code), message: try container.decode(String.self, forKey: .message))
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown result \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .processEnded(let pid, let name, let children, let forced):
            try container.encode("process_ended", forKey: .kind)
            try container.encode(pid, forKey: .pid)
            try container.encode(name, forKey: .name)
            try container.encode(children, forKey: .children)
            try container.encode(forced, forKey: .forced)
        case .serviceChanged(let unit, let operation, let job):
            try container.encode("service_changed", forKey: .kind)
            try container.encode(unit, forKey: .unit)
            try container.encode(operation, forKey: .operation)
            try container.encodeIfPresent(job, forKey: .job)
        case .startupChanged(let entry):
            try container.encode("startup_changed", forKey: .kind)
            try container.encode(entry, forKey: .entry)
        case .uninstalled(let source, let name, let output):
            try container.encode("uninstalled", forKey: .kind)
            try container.encode(source, forKey: .source)
            try container.encode(name, forKey: .name)
            try container.encode(output, forKey: .output)
        case .failed(let code, let message):
            try container.encode("failed", forKey: .kind)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }
    }
}
