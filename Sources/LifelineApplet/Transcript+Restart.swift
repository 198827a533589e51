import LifelineProtocol

extension Transcript {
    /// The technician asks to restart this computer (M1–M3): the customer answers.
    func restartRequested(kind: RebootKind, autoLogin: Bool, technician: String) {
        if machineReadable {
            return write("RESTART_REQUEST kind=\(kind.rawValue) autoLogin=\(autoLogin) technician=\(Self.quoted(technician))")
        }
        say(.restartRequested(kind: kind, autoLogin: autoLogin), text("restart.ask", ["technician": who(technician)]))
    }

    func restartRefused() {
        if machineReadable { return write("RESTART_REFUSED") }
        say(.restartAnswered, text("restart.refused"))
    }

    /// The restart was taken by the system: the applet comes back by itself after it.
    func restarting(kind: RebootKind) {
        if machineReadable { return write("RESTARTING kind=\(kind.rawValue)") }
        say(.restartAnswered, text("restart.now"))
    }

    func restartFailed(_ reason: String) {
        if machineReadable { return write("RESTART_FAILED \(Self.quoted(reason))") }
        say(.restartAnswered, text("restart.failed", ["reason": Self.clean(reason)]))
    }

    /// Started again after the restart, back in the session.
    func resumedAfterRestart(technician: String) {
        if machineReadable { return write("RESUMED_AFTER_RESTART technician=\(Self.quoted(technician))") }
        say(.notice, text("restart.back", ["technician": who(technician)]))
    }
}
