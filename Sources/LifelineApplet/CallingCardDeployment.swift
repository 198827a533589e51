#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol

/// A Calling Card offered from the session (O1): nothing is installed until the customer types
/// /install; /skip (or /revoke) says no. The gateway hears the outcome.
actor CallingCardDeployment {
    private let gateway: URL
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private let installation: CallingCardInstallation
    private var pending: CallingCardOffer?

    init(gateway: URL, transcript: Transcript, outgoing: OutgoingMessages, installation: CallingCardInstallation = CallingCardInstallation()) {
        self.gateway = gateway
        self.transcript = transcript
        self.outgoing = outgoing
        self.installation = installation
    }

    func offered(_ offer: CallingCardOffer) {
        pending = offer
        transcript.callingCardOffer(offer)
    }

    var isPending: Bool { pending != nil }

    /// The customer's yes: this applet copies itself into place with the card's settings.
    func install() async {
        guard let offer = pending else { return }
        pending = nil
        do {
            let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            _ = try await installation.install(cardId: offer.cardId, gateway: gateway.absoluteString.trimmingSuffix("/"),
                                               launchAtStartup: offer.launchAtStartup, runningBinary: binary)
            let launched = offer.launchAfterInstall ? CallingCardLauncher.launch(installation.binary.path) : false
            transcript.callingCardInstalled(name: offer.name, path: installation.binary.path, launched: launched,
                                            atStartup: offer.launchAtStartup)
            await outgoing.send(.callingCardResult(.init(installed: true, error: nil)))
        } catch {
            transcript.note(key: "card.failed", ["reason": "\(error)"])
            await outgoing.send(.callingCardResult(.init(installed: false, error: "\(error)")))
        }
    }

    func decline() async {
        guard pending != nil else { return }
        pending = nil
        transcript.note(key: "card.declined")
        await outgoing.send(.callingCardResult(.init(installed: false, error: nil)))
    }
}

/// Opens the installed card in a terminal window of the customer's desktop ("launch after install").
enum CallingCardLauncher {
    static func launch(_ binary: String) -> Bool {
        guard ProcessInfo.processInfo.environment["DISPLAY"] != nil else { return false }
        for terminal in ["/usr/bin/x-terminal-emulator", "/usr/bin/xterm"] where FileManager.default.isExecutableFile(atPath: terminal) {
            do throws(ChildProcess.Failure) {
                try ChildProcess.start(terminal, ["-e", binary, "--calling-card"]).reapWhenDone()
                return true
            } catch {
                continue
            }
        }
        return false
    }
}
