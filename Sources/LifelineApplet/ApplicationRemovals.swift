#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// Uninstalling an application (L4) on the customer's side: the customer says yes first (the
/// window's dialog, `/allow` in the terminal, or `--remote-consent`), a Debian package or a snap
/// needs the applet running as root, and the package manager removes exactly the package chosen
/// (`dpkg --remove`, `rpm --erase`: never the programs that depend on it, never an essential package) through the
/// script runner, with no shell. The list is read again after: gone, or it says why not.
actor ApplicationRemovals {
    private let consent: RemoteConsent
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private var reader = ApplicationsReader.forThisMachine()
    /// The removal the customer has not answered yet.
    private var waiting: (request: SystemActionRequestMessage, source: PackageRemoval.Source, name: String)?

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
    }

    var isPending: Bool { waiting != nil }

    func requested(_ request: SystemActionRequestMessage, source: PackageRemoval.Source, name: String, technician: String) async {
        if let refusal = check(source: source, name: name) { return await answer(request, refusal) }
        // One question at a time: an older unanswered one is refused.
        if let older = waiting {
            waiting = nil
            await answer(older.request, .failed(code: "refused_by_customer", message: "Another uninstall was asked before the customer answered this one."))
        }
        switch consent {
        case .accept: await remove(request, source: source, name: name)
        case .deny: await refuse(request, name: name)
        case .ask:
            waiting = (request, source, name)
            transcript.uninstallRequested(name: name, source: source, technician: technician)
        }
    }

    /// The customer's Allow or Deny.
    func customerAnswered(allow: Bool) async {
        guard let asked = waiting else { return }
        waiting = nil
        if allow { await remove(asked.request, source: asked.source, name: asked.name) } else { await refuse(asked.request, name: asked.name) }
    }

    private func refuse(_ request: SystemActionRequestMessage, name: String) async {
        transcript.uninstallRefused(name: name)
        await answer(request, .failed(code: "refused_by_customer", message: "The customer did not allow \(name) to be uninstalled."))
    }

    private func check(source: PackageRemoval.Source, name: String) -> SystemActionResult? {
        guard PackageRemoval.isValidName(name, source: source) else { return .failed(code: "refused", message: "\(name) is not a package name.") }
        if PackageRemoval.needsRoot(source), geteuid() != 0 {
            return .failed(code: "not_root", message: "Uninstalling needs the applet with administrator rights.")
        }
        guard installed(source: source, name: name) else { return .failed(code: "not_installed", message: "\(name) is not installed.") }
        return nil
    }

    private func installed(source: PackageRemoval.Source, name: String) -> Bool {
        let listed = switch source {
        case .dpkg: reader.packages()
        case .rpm: reader.rpmDatabase().map { reader.rpmPackages(in: $0) } ?? []
        case .flatpak: reader.flatpaks()
        case .snap: reader.snapPackages()
        }
        return listed.contains { $0.name == name }
    }

    private func remove(_ request: SystemActionRequestMessage, source: PackageRemoval.Source, name: String) async {
        let command = PackageRemoval.command(for: name, source: source, asRoot: geteuid() == 0)
        guard access(command[0], X_OK) == 0 else {
            return await answer(request, .failed(code: "no_package_manager", message: "\(command[0]) is not on this computer."))
        }
        var environment = ScriptFolder.environment(variables: ["DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C"])
        let ending: (output: String, status: ScriptProcess.Ending)
        do {
            let runner = try ScriptProcess.start(directory: "/", account: nil, command: command, environment: &environment)
            ending = await PosixThread.offThread { runner.collectAll() }
        } catch {
            return await answer(request, .failed(code: "io_error", message: error.description))
        }
        guard !installed(source: source, name: name) else {
            let said = ending.status.error ?? ending.output
            return await answer(request, .failed(code: "package_manager_failed", message: "\(name) is still installed: \(said)".clipped(toUTF8Bytes: 4_096)))
        }
        transcript.uninstalled(name: name)
        await answer(request, .uninstalled(source: source, name: name, output: ending.output))
    }

    private func answer(_ request: SystemActionRequestMessage, _ result: SystemActionResult) async {
        await outgoing.send(.systemActionReply(.init(sessionId: nil, requestId: request.requestId, result: result)))
    }
}
