import LifelineProtocol

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
