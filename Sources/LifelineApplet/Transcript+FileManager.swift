import LifelineCore
import LifelineProtocol

/// What the customer is told of the file manager (K1–K5): the question, that it opened or closed,
/// and each change the technician makes on their computer as it is made.
extension Transcript {
    func fileManagerRequested(technician: String) {
        if machineReadable {
            write("FILE_MANAGER_REQUEST technician=\(Self.quoted(technician))")
        } else {
            say(.fileManagerRequested(technician: technician), text("files.ask", ["technician": who(technician)]))
        }
    }

    func fileManagerOpened(technician: String) {
        say(.fileManagerOpened(technician: technician),
            machineReadable ? "FILE_MANAGER_OPEN" : text("files.opened", ["technician": who(technician)]))
    }

    func fileManagerDenied() {
        say(.fileManagerClosed, machineReadable ? "FILE_MANAGER_DENIED" : text("files.denied"))
    }

    func fileManagerClosed(reason: String) {
        say(.fileManagerClosed, machineReadable ? "FILE_MANAGER_CLOSED \(Self.clean(reason))" : text("files.closed", ["reason": Self.clean(reason)]))
    }

    /// A file copied to the technician.
    func fileManagerCopied(_ path: WirePath, size: Int64, technician: String) {
        say(.fileManagerActivity, machineReadable ? "FILE_MANAGER_COPY to_technician \(Self.clean(path.shown)) size=\(size)"
            : text("files.copied_to_technician", ["technician": who(technician), "path": Self.clean(path.shown)]))
    }

    /// A file copied from the technician onto this computer.
    func fileManagerReceived(_ path: WirePath, size: Int64, technician: String) {
        say(.fileManagerActivity, machineReadable ? "FILE_MANAGER_COPY from_technician \(Self.clean(path.shown)) size=\(size)"
            : text("files.copied_from_technician", ["technician": who(technician), "path": Self.clean(path.shown)]))
    }

    /// A change made on the customer's side, named the way they would look for it.
    func fileManagerChanged(_ request: FileManagerRequest, technician: String) {
        let line: String
        switch request {
        case .makeFolder(let path):
            line = machineReadable ? "FILE_MANAGER_CHANGE make_folder \(Self.clean(path.shown))"
                : text("files.made", ["technician": who(technician), "path": Self.clean(path.shown)])
        case .rename(let path, let newName):
            let name = FileManagerPath.displayName(newName.bytes)
            line = machineReadable ? "FILE_MANAGER_CHANGE rename \(Self.clean(path.shown)) \(Self.quoted(name))"
                : text("files.renamed", ["technician": who(technician), "path": Self.clean(path.shown), "name": Self.clean(name)])
        case .delete(let path):
            line = machineReadable ? "FILE_MANAGER_CHANGE delete \(Self.clean(path.shown))"
                : text("files.deleted", ["technician": who(technician), "path": Self.clean(path.shown)])
        case .roots, .list, .read, .write, .partial, .discard, .hash, .readFiles, .writeFiles:
            return
        }
        say(.fileManagerActivity, line)
    }
}

extension Transcript {
    /// The technician read a view of this computer (L1–L8): nothing changed, the customer is told.
    func systemInfoRead(_ view: SystemInfoView) {
        say(.notice, machineReadable ? "SYSTEM_INFO \(view.rawValue)" : text("system.viewed_\(view.rawValue)"))
    }

    /// A service the technician started, stopped, restarted, enabled or disabled (L3).
    func serviceChanged(_ name: String, operation: ServiceOperation, job: String?) {
        say(.notice, machineReadable ? "SERVICE \(operation.rawValue) \(Self.clean(name)) \(job ?? "-")"
            : text("system.service_\(operation.rawValue)", ["name": Self.clean(name)]))
    }

    /// A startup entry the technician turned on or off (L7).
    func startupChanged(_ entry: StartupEntry) {
        say(.notice, machineReadable ? "STARTUP \(entry.enabled ? "on" : "off") \(Self.clean(entry.name))"
            : text(entry.enabled ? "system.startup_on" : "system.startup_off", ["name": Self.clean(entry.title)]))
    }

    /// A process the technician ended (L2), with the programs it had started.
    func processEnded(name: String, pid: Int32, children: Int, forced: Bool) {
        say(.notice, machineReadable ? "PROCESS_ENDED \(pid) children=\(children) forced=\(forced)"
            : text("system.ended_process", ["name": Self.clean(name), "pid": "\(pid)"]))
    }
}
