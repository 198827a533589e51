import ArgumentParser
import Foundation
import LifelineApplet
import Logging

/// The customer's applet. Started from the command the PIN page or link page shows.
@main
struct LifelineAppletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifeline-applet",
        abstract: "Lets a Lifeline technician help you: chat, and see or control your screen if you allow it.",
        discussion: """
            Start it with the PIN or link your technician gave you. Type /quit to end the session. When the \
            technician asks for your screen, type /allow or /deny; /stop takes control back at any time.
            """)

    @Option(help: "The support gateway's address, e.g. https://support.example.com.")
    var gateway: String

    @Option(help: "The 6-digit PIN your technician read to you.")
    var pin: String?

    @Option(help: "The link your technician sent you.")
    var link: String?

    @Option(name: .customLong("resume-file"), help: ArgumentHelp(
        "Used by the applet itself when it restarts with administrator rights: the session to continue.", visibility: .hidden))
    var resumeFile: String?

    @Option(help: "The X display whose screen may be shared (default: $DISPLAY).")
    var display: String?

    @Option(help: "The X authority file for that display (default: $XAUTHORITY).")
    var xauthority: String?

    @Flag(name: .customLong("remove-when-done"), help: "Delete this applet's file when the session is over (the PIN and link pages' command uses it).")
    var removeWhenDone = false

    @Flag(name: .customLong("non-interactive"), help: "For scripts: no questions; standard input lines are chat; one line per event on standard output.")
    var nonInteractive = false

    @Option(name: .customLong("max-backoff"), help: "Longest pause between reconnection attempts, in seconds.")
    var maximumBackoff: Double = 30

    @Option(name: .customLong("remote-consent"),
            help: "When the technician asks for your screen: ask (type /allow or /deny), accept, or deny.")
    var remoteConsent: String = RemoteConsent.ask.rawValue

    func validate() throws {
        guard [pin, link, resumeFile].compactMap({ $0 }).count == 1 else { throw ValidationError("Give either --pin or --link.") }
        guard RemoteConsent(rawValue: remoteConsent) != nil else {
            throw ValidationError("--remote-consent must be one of: \(RemoteConsent.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let url = URL(string: gateway), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("--gateway must be an http:// or https:// address.")
        }
        _ = url
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LIFELINE_APPLET_DEBUG"] == nil ? .warning : .debug
            return handler
        }
        // sudo clears the environment: a restarted copy gets the display on its command line.
        if let display { setenv("DISPLAY", display, 1) }
        if let xauthority { setenv("XAUTHORITY", xauthority, 1) }
        let credential: AppletOptions.Credential = resumeFile.map { .resume(file: $0) } ?? pin.map { .pin($0) } ?? .link(link ?? "")
        var options = AppletOptions(gateway: URL(string: gateway)!, credential: credential,
                                    nonInteractive: nonInteractive, maximumBackoff: maximumBackoff,
                                    remoteConsent: RemoteConsent(rawValue: remoteConsent) ?? .ask)
        options.restartArguments = restartArguments()
        let transcript = Transcript(machineReadable: nonInteractive) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        let lines = StandardInput.lines()
        let interactive = !nonInteractive
        let applet = Applet(options: options, transcript: transcript, logger: Logger(label: "lifeline-applet"))
        let outcome = await applet.run(input: lines.stream) { _, _ in
            guard interactive else { return true }
            FileHandle.standardOutput.write(Data("Allow this and start the session? [Y/n] ".utf8))
            let answer = await lines.next()?.lowercased().trimmingCharacters(in: .whitespaces) ?? "n"
            return answer.isEmpty || answer == "y" || answer == "yes" || answer == "o" || answer == "oui"
        }
        // A downloaded applet leaves nothing behind (G1); an elevated copy never deletes itself.
        if removeWhenDone && resumeFile == nil {
            let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            try? FileManager.default.removeItem(atPath: path)
        }
        switch outcome {
        case .sessionEnded, .handedOver: break
        case .declined: transcript.note("You declined. Nothing was shared.")
        case .failed(let message):
            FileHandle.standardError.write(Data("lifeline-applet: \(message)\n".utf8))
        }
        throw ExitCode(outcome.exitCode)
    }
}

extension LifelineAppletCommand {
    /// The same choices for the copy an elevated restart starts (J3), with the display made explicit.
    func restartArguments() -> [String] {
        let environment = ProcessInfo.processInfo.environment
        var arguments = ["--gateway", gateway, "--max-backoff", String(maximumBackoff), "--remote-consent", remoteConsent]
        if let display = environment["DISPLAY"] { arguments += ["--display", display] }
        if let xauthority = environment["XAUTHORITY"] { arguments += ["--xauthority", xauthority] }
        if nonInteractive { arguments.append("--non-interactive") }
        return arguments
    }
}

/// Standard input as lines, read on a thread of its own (reading blocks). The first line can be
/// taken alone (the consent answer) before the rest flows as chat; both read the same stream,
/// one after the other, never at once.
struct StandardInput: Sendable {
    let stream: AsyncStream<String>

    static func lines() -> StandardInput {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }.start()
        return StandardInput(stream: stream)
    }

    func next() async -> String? {
        var iterator = stream.makeAsyncIterator()
        return await iterator.next()
    }
}
