import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LifelineApplet
import LifelineAppletWindow
import LifelineCore
import LifelineProtocol
import Logging

/// The customer's applet. Started from the command the PIN page or link page shows.
@main
struct LifelineAppletCommand: AsyncParsableCommand {
    /// The applet is also the small process between itself and a script (N2): that mode comes
    /// before any option parsing, with nothing else started.
    static func main() async {
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == ScriptRunner.flag { Glibc.exit(ScriptRunner.main(Array(arguments.dropFirst(2)))) }
        await main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "lifeline-applet",
        abstract: "Lets a Lifeline technician help you: chat, and see or control your screen if you allow it.",
        discussion: """
            Start it with the PIN or link your technician gave you. On a desktop it opens a window; in a terminal \
            (--terminal, or without a display) type /quit to end the session, and when the technician asks for your \
            screen, type /allow or /deny; /stop takes control back at any time.
            """)

    @Option(help: "The support gateway's address, e.g. https://support.example.com.")
    var gateway: String?

    @Option(help: "The 6-digit PIN your technician read to you.")
    var pin: String?

    @Option(help: "The link your technician sent you.")
    var link: String?

    @Option(name: .customLong("resume-file"), help: ArgumentHelp(
        "Used by the applet itself when it restarts with administrator rights: the session to continue.", visibility: .hidden))
    var resumeFile: String?

    @Option(name: .customLong("after-restart"), help: ArgumentHelp(
        "Used by the one-shot entry written before a restart the technician asked for: the ticket's file.", visibility: .hidden))
    var afterRestart: String?

    @Flag(name: .customLong("restore-autologin"), help: ArgumentHelp(
        "Used by the unit written for a one-boot automatic sign-in: put the sign-in screen's settings back.", visibility: .hidden))
    var restoreAutoLogin = false

    @Option(name: .customLong("autostart-entry"), help: ArgumentHelp(
        "With --after-restart: the one-shot entry to remove.", visibility: .hidden))
    var autostartEntry: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp(
        "A PEM file of certificate authorities to trust besides the system's, for a gateway whose certificate your organisation's own CA signed (default: $LIFELINE_CA_FILE).",
        valueName: "path"))
    var caFile: String?

    @Option(help: "The X display whose screen may be shared (default: $DISPLAY).")
    var display: String?

    @Option(help: "The X authority file for that display (default: $XAUTHORITY).")
    var xauthority: String?

    @Flag(name: .customLong("remove-when-done"), help: "Delete this applet's file when the session is over (the PIN and link pages' command uses it).")
    var removeWhenDone = false

    @Flag(help: "Chat in this terminal instead of opening a window (the default without a display).")
    var terminal = false

    @Flag(name: .customLong("non-interactive"), help: "For scripts: no questions; standard input lines are chat; one line per event on standard output.")
    var nonInteractive = false

    @Flag(help: "Started by an unattended agent or a LAN connector (F4, F5): the technician comes in without a question; on a desktop the window shows who is connected and can end it.")
    var unattended = false

    @Flag(name: .customLong("accept-terms"),
          help: "For scripts (--non-interactive): accept the organisation's terms and conditions, which you have read.")
    var acceptTerms = false

    @Option(name: .customLong("max-backoff"), help: "Longest pause between reconnection attempts, in seconds.")
    var maximumBackoff: Double = 30

    @Option(name: .customLong("remote-consent"),
            help: "When the technician asks for your screen or for administrator rights: ask (type /allow or /deny), accept, or deny.")
    var remoteConsent: String = RemoteConsent.ask.rawValue

    @Flag(name: .customLong("calling-card"), help: "Open the Calling Card installed for this user (F3).")
    var callingCard = false

    @Option(name: .customLong("install-calling-card"), help: "Install Calling Card <id> of --gateway for this user, then exit.")
    var installCallingCard: String?

    @Flag(name: .customLong("uninstall-calling-card"), help: "Remove the Calling Card installed for this user.")
    var uninstallCallingCard = false

    @Flag(help: "With --install-calling-card: launch the card at every start (XDG autostart).")
    var autostart = false

    @Flag(help: "With --install-calling-card: open the card once it is installed.")
    var launch = false

    @Option(help: "With --calling-card: your name for the support request (asked when missing).")
    var name: String?

    @Option(name: .customLong("field"), help: "With --calling-card: a custom field, Name=Value (repeatable).")
    var fields: [String] = []

    @Option(name: .customLong("agent"), help: ArgumentHelp("Run as this computer's unattended access agent with these settings (the applet installs it).",
                                                        visibility: .hidden))
    var agent: String?

    @Flag(name: .customLong("uninstall-agent"), help: "Remove unattended access from this computer (it also leaves the technician's list).")
    var uninstallAgent = false

    var mode: Mode {
        if uninstallCallingCard { return .uninstallCard }
        if let installCallingCard { return .installCard(id: installCallingCard) }
        if callingCard { return .callingCard }
        return .session
    }

    enum Mode: Equatable {
        case session, callingCard, installCard(id: String), uninstallCard
    }

    func validate() throws {
        if restoreAutoLogin || agent != nil || uninstallAgent { return }
        switch mode {
        case .uninstallCard: return
        case .installCard(let id):
            guard !id.isEmpty, gateway != nil, pin == nil, link == nil else {
                throw ValidationError("--install-calling-card needs the card's id and --gateway, and no PIN or link.")
            }
        case .callingCard:
            guard link == nil, resumeFile == nil else { throw ValidationError("--calling-card connects by its channel or with --pin only.") }
            for field in fields where !field.contains("=") { throw ValidationError("--field is Name=Value.") }
            return
        case .session:
            guard [pin, link, resumeFile, afterRestart].compactMap({ $0 }).count == 1 else { throw ValidationError("Give either --pin or --link.") }
            // After a restart the gateway and the choices come from the saved file.
            if afterRestart != nil { return }
        }
        guard RemoteConsent(rawValue: remoteConsent) != nil else {
            throw ValidationError("--remote-consent must be one of: \(RemoteConsent.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let gateway, let url = URL(string: gateway), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("--gateway must be an http:// or https:// address.")
        }
        _ = url
    }

    func run() async throws {
        if restoreAutoLogin {
            // Started by lifeline-autologin-restore.service once the customer is signed in (M4).
            OneBootAutoLogin().restore()
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            // The agent runs unseen: its log says when it is online and why not.
            handler.logLevel = ProcessInfo.processInfo.environment["LIFELINE_APPLET_DEBUG"] != nil ? .debug : (agent != nil ? .notice : .warning)
            return handler
        }
        // The organisation's own certificate authority, before anything connects (issue 24).
        if let authorities = caFile ?? ProcessInfo.processInfo.environment["LIFELINE_CA_FILE"] {
            do throws(AppletTrust.Problem) { try AppletTrust.trust(caFile: authorities) } catch {
                StandardStreams.error("lifeline-applet: \(error)\n")
                throw ExitCode(1)
            }
        }
        if let agent { return try await UnattendedAgent(stateFile: agent, logger: Logger(label: "lifeline-agent")).run() }
        if uninstallAgent {
            let told = await UnattendedAgent.uninstall(logger: Logger(label: "lifeline-agent"))
            StandardStreams.output(AppletText.fromEnvironment()(told ? "agent.removed" : "agent.removed_locally") + "\n")
            return
        }
        // sudo clears the environment: a restarted copy gets the display on its command line.
        if let display { setenv("DISPLAY", display, 1) }
        if let xauthority { setenv("XAUTHORITY", xauthority, 1) }
        // The customer's language comes from the session's locale (LC_ALL, LC_MESSAGES, LANG).
        let text = AppletText.fromEnvironment()
        let window = openWindow(text: text)
        var events: (@Sendable (CustomerEvent, String) -> Void)?
        if let window { events = { event, line in window.show(event, line) } }
        let transcript = Transcript(machineReadable: nonInteractive, text: text, write: { line in
            StandardStreams.output((line + "\n"))
        }, events: events)
        let lines = StandardInput.lines()
        var gatewayAddress = gateway ?? ""
        var credential: AppletOptions.Credential = resumeFile.map { .resume(file: $0) } ?? pin.map { .pin($0) } ?? .link(link ?? "")
        var proxy: ProxySettings?
        switch mode {
        case .uninstallCard:
            CallingCardInstallation().uninstall()
            transcript.note(key: "card.removed")
            return
        case .installCard(let id):
            try await installCard(id: id, gateway: gatewayAddress, transcript: transcript)
            return
        case .callingCard:
            guard let start = try await openCallingCard(transcript: transcript, lines: lines) else { return }
            (gatewayAddress, credential, proxy) = start
        case .session:
            break
        }
        var consent = RemoteConsent(rawValue: remoteConsent) ?? .ask
        if let afterRestart {
            // Once: the file and the entry are gone before the ticket is used.
            let saved: RestartResume.Saved
            do { saved = try RestartResume.take(from: afterRestart, entry: autostartEntry) } catch {
                StandardStreams.error("lifeline-applet: \(error)\n")
                throw ExitCode(1)
            }
            guard URL(string: saved.gateway) != nil else { throw ExitCode(1) }
            (gatewayAddress, credential, proxy) = (saved.gateway, .afterRestart(ticket: saved.ticket), saved.proxy)
            if AppletTrust.caFile == nil, let trusted = saved.caFile {
                do throws(AppletTrust.Problem) { try AppletTrust.trust(caFile: trusted) } catch {
                    StandardStreams.error("lifeline-applet: \(error)\n")
                }
            }
            consent = RemoteConsent(rawValue: saved.remoteConsent) ?? .ask
        }
        var options = AppletOptions(gateway: URL(string: gatewayAddress)!, credential: credential,
                                    nonInteractive: nonInteractive, maximumBackoff: maximumBackoff,
                                    remoteConsent: consent)
        options.proxy = proxy
        options.restartArguments = restartArguments(gateway: gatewayAddress)
        // Let in without a question: scripted, or started for a technician by an agent or a connector.
        let interactive = !nonInteractive && !unattended
        let acceptTerms = self.acceptTerms
        let memory = claimSession(gateway: options.gateway, credential: credential, transcript: transcript)
        let applet = Applet(options: options, transcript: transcript, logger: Logger(label: "lifeline-applet"), memory: memory)
        let outcome = await applet.run(input: window?.commands ?? lines.commands) { invitation in
            let hasTerms = invitation.terms != nil
            guard interactive else { return !hasTerms || acceptTerms ? .allow : .decline }
            // Ctrl-C while the question waits: the technician hears the applet was closed.
            return await ClosedWhileAsked.answer {
                if let window { return await window.confirm(invitation) }
                // Terms are accepted only by an explicit yes; letting the technician in is the default otherwise.
                StandardStreams.output(transcript.text(hasTerms ? "terms.prompt" : "prompt.allow"))
                guard let answer = await lines.next()?.lowercased().trimmedOfSpaces else { return .close }
                return Self.isYes(answer, emptyMeansYes: !hasTerms, text: transcript.text) ? .allow : .decline
            }
        }
        // A downloaded applet leaves nothing behind (G1); an elevated copy never deletes itself.
        if removeWhenDone && resumeFile == nil && afterRestart == nil && mode == .session {
            try? FileManager.default.removeItem(atPath: Self.runningBinary)
        }
        switch outcome {
        case .sessionEnded, .handedOver: break
        case .declined: transcript.note(key: "declined")
        case .termsRefused: transcript.note(key: "terms.declined")
        case .closed: break
        case .failed(let message):
            StandardStreams.error("lifeline-applet: \(message)\n")
        }
        // The window stays until the customer has read how it ended.
        if let window {
            if case .failed(let message) = outcome { await window.finished(text("error", ["message": message])) }
            else { await window.finished(nil) }
        }
        throw ExitCode(outcome.exitCode)
    }
}

extension LifelineAppletCommand {
    /// "y" and "yes", and the customer's own words for yes (the catalog's answer.yes: "o,oui" in French).
    static func isYes(_ answer: String, emptyMeansYes: Bool, text: AppletText) -> Bool {
        if answer.isEmpty { return emptyMeansYes }
        let words = (text("answer.yes") + ",y,yes").split(separator: ",").map { $0.trimmedOfSpaces.lowercased() }
        return words.contains(answer)
    }

    /// The same choices for the copy an elevated restart starts (J3), with the display made explicit.
    func restartArguments(gateway: String) -> [String] {
        let environment = ProcessInfo.processInfo.environment
        var arguments = ["--gateway", gateway, "--max-backoff", String(maximumBackoff), "--remote-consent", remoteConsent]
        if let display = environment["DISPLAY"] { arguments += ["--display", display] }
        if let xauthority = environment["XAUTHORITY"] { arguments += ["--xauthority", xauthority] }
        if nonInteractive { arguments.append("--non-interactive") }
        if terminal { arguments.append("--terminal") }
        if let trusted = AppletTrust.caFile { arguments += ["--ca-file", trusted] }
        return arguments
    }

    /// The session this PIN or link joined, kept for a restart and locked while this applet runs;
    /// a second applet with the same PIN or link stops here. Nil when no private folder can be had.
    func claimSession(gateway: URL, credential: AppletOptions.Credential, transcript: Transcript) -> SessionMemory? {
        guard let memory = SessionMemory(gateway: gateway, credential: credential) else { return nil }
        do throws(SessionMemory.Refusal) {
            try memory.claim()
            return memory
        } catch {
            switch error {
            case .alreadyRunning:
                StandardStreams.error("lifeline-applet: \(transcript.text("already_running"))\n")
                Glibc.exit(1)
            case .unusable(let reason):
                Logger(label: "lifeline-applet").warning("The session will not be kept for a restart", metadata: ["reason": "\(reason)"])
                return nil
            }
        }
    }

    /// The window, for a session started on a desktop; nil in the terminal: asked for, scripted,
    /// no display, or no GTK 4 (said on standard error, and the terminal serves).
    func openWindow(text: AppletText) -> CustomerWindow? {
        let environment = ProcessInfo.processInfo.environment
        let hasDisplay = [environment["DISPLAY"], environment["WAYLAND_DISPLAY"]].contains { !($0 ?? "").isEmpty }
        guard !terminal, !nonInteractive, mode == .session, hasDisplay, let gateway, let url = URL(string: gateway) else { return nil }
        do { return try CustomerWindow.open(text: text, gateway: url) } catch {
            StandardStreams.error("lifeline-applet: no window (\(error)); chatting in this terminal.\n")
            return nil
        }
    }
}

extension LifelineAppletCommand {
    /// The path of this running binary, to copy it into place or delete it.
    static var runningBinary: String { LocalPaths.runningBinary() }

    /// `--install-calling-card`: installs for this user, then opens the card when asked to.
    func installCard(id: String, gateway: String, transcript: Transcript) async throws {
        let installation = CallingCardInstallation()
        let card: CallingCardInfo
        do {
            card = try await installation.install(cardId: id, gateway: gateway, launchAtStartup: autostart, runningBinary: Self.runningBinary)
        } catch {
            StandardStreams.error("lifeline-applet: the Calling Card could not be installed: \(error)\n")
            throw ExitCode(1)
        }
        transcript.note("INSTALLED \(card.name): \(installation.binary.path) --calling-card"
                        + (autostart ? " (launches at every start)" : ""))
        if launch {
            // The installed copy takes this process over, in this terminal.
            let path = installation.binary.path
            let arguments = [path, "--calling-card"] + (nonInteractive ? ["--non-interactive"] : [])
            execv(path, arguments.map { strdup($0) } + [nil])
            // Only reached when the exec failed.
            StandardStreams.error("lifeline-applet: could not open the installed Calling Card.\n")
            throw ExitCode(1)
        }
    }

    /// `--calling-card`: the card's front desk; nil when the customer quits before connecting.
    func openCallingCard(transcript: Transcript, lines: StandardInput) async throws -> (String, AppletOptions.Credential, ProxySettings?)? {
        let installation = CallingCardInstallation()
        let settings: CallingCardInstallation.Settings
        do {
            settings = try installation.loadSettings()
            if AppletTrust.caFile == nil, let trusted = settings.caFile { try AppletTrust.trust(caFile: trusted) }
        } catch {
            StandardStreams.error("lifeline-applet: \(error)\n")
            throw ExitCode(1)
        }
        let typedFields = Dictionary(fields.map { field in
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { _, last in last })
        let answers = CallingCardFrontDesk.Answers(name: name, fields: typedFields, pin: pin)
        let desk = CallingCardFrontDesk(installation: installation, transcript: transcript, interactive: !nonInteractive) { prompt in
            StandardStreams.output(prompt)
            return await lines.next()
        }
        let choice: CallingCardFrontDesk.Choice
        do { choice = try await desk.run(answers: answers) } catch {
            StandardStreams.error("lifeline-applet: \(error)\n")
            throw ExitCode(1)
        }
        guard case .connect(let credential) = choice else { return nil }
        // The card's saved settings may have changed (proxy) while the customer used the menu.
        let current = (try? installation.loadSettings()) ?? settings
        return (current.gateway, credential, CallingCardFrontDesk.proxy(current.proxy))
    }
}
