import LifelineProtocol
import LifelineCore

extension Transcript {
    /// A script the technician runs here (N2): its name, what the technician says it does, and how to stop it.
    func scriptStarted(_ name: String, description: String, technician: String, atStart: Bool) {
        if machineReadable {
            return write("SCRIPT_STARTED \(Self.quoted(name)) technician=\(Self.quoted(technician)) atStart=\(atStart)")
        }
        say(.scriptStarted(name: Self.clean(name), technician: technician), text("script.started", ["technician": who(technician), "name": Self.clean(name)]))
        let said = Self.clean(description)
        if !said.isEmpty { say(.notice, said) }
    }

    func scriptFinished(_ name: String, result: ScriptResult) {
        if machineReadable { return write("SCRIPT_FINISHED \(Self.quoted(name)) \(result.summary.replacing(" ", with: "_"))") }
        let key = switch (result.outcome, result.refusal) {
        case (.exited, _) where result.exitCode == 0: "script.finished"
        case (.cancelledByCustomer, _): "script.stopped_by_you"
        case (.refused, .hashMismatch?): "script.refused_hash"
        case (.refused, _): "script.refused"
        default: "script.ended"
        }
        say(.scriptEnded, text(key, ["name": Self.clean(name), "result": result.summary]))
    }
}

extension Transcript {
    /// The technician asks to uninstall an application (L4): the customer answers.
    func uninstallRequested(name: String, source: PackageRemoval.Source, technician: String) {
        if machineReadable { return write("UNINSTALL_REQUEST name=\(Self.quoted(name)) source=\(source.rawValue)") }
        say(.uninstallRequested(name: Self.clean(name)), text("system.ask_uninstall", ["technician": who(technician), "name": Self.clean(name)]))
    }

    func uninstallRefused(name: String) {
        if machineReadable { return write("UNINSTALL_REFUSED name=\(Self.quoted(name))") }
        say(.uninstallAnswered, text("system.uninstall_refused", ["name": Self.clean(name)]))
    }

    func uninstalled(name: String) {
        if machineReadable { return write("UNINSTALLED name=\(Self.quoted(name))") }
        say(.uninstallAnswered, text("system.uninstalled", ["name": Self.clean(name)]))
    }
}
