import Foundation
import LifelineCore
import LifelineProtocol

/// Everything the applet shows the customer. Interactive mode speaks to a person; the
/// non-interactive mode prints one machine-readable line per event (see docs/protocol.md).
public struct Transcript: Sendable {
    let machineReadable: Bool
    let write: @Sendable (String) -> Void

    public init(machineReadable: Bool, write: @escaping @Sendable (String) -> Void) {
        self.machineReadable = machineReadable
        self.write = write
    }

    func invitation(technician: String, organisation: String) {
        if machineReadable {
            write("INVITATION technician=\(Self.quoted(technician)) organisation=\(Self.quoted(organisation))")
        } else {
            // A channel session has no technician until one takes it from the queue.
            let who = technician.isEmpty ? "A technician" : Self.clean(technician)
            write("\(who) from \(Self.clean(organisation)) is asking to connect to this computer to help you.")
        }
    }

    /// The installed Calling Card's title bar in the brand's colours (256-colour terminals) and its welcome text.
    func callingCard(_ card: CallingCardInfo) {
        if machineReadable {
            write("CARD name=\(Self.quoted(card.name)) organisation=\(Self.quoted(card.organisation)) channel=\(Self.quoted(card.channelName))")
            return
        }
        let background = CallingCardRules.terminalColour(card.headerColour)
        let foreground = CallingCardRules.terminalColour(card.textColour)
        write("\u{1B}[48;5;\(background)m\u{1B}[38;5;\(foreground)m\u{1B}[1m  \(Self.clean(card.name))  \u{1B}[0m  \(Self.clean(card.organisation))")
        write(card.welcomeText.split(separator: "\n", omittingEmptySubsequences: false).map { Self.clean(String($0)) }.joined(separator: "\n"))
    }

    func welcome(sessionId: String, technician: String, state: SessionState) {
        if machineReadable {
            write("WELCOME session=\(Self.clean(sessionId)) technician=\(Self.quoted(technician)) state=\(state.rawValue)")
        } else {
            write("Connected (session \(Self.clean(sessionId))). \(Self.customerWording(of: state, technician: technician))")
            write("Type a message and press Enter to chat. /revoke takes back every right you gave; /quit ends the session.")
        }
    }

    func chat(_ entry: LogEntry) {
        if machineReadable {
            write("CHAT \(Self.time(entry.at)) \(entry.authorRole.rawValue) \(Self.clean(entry.author)): \(Self.clean(entry.text))")
        } else {
            let who = entry.authorRole == .customer ? "You" : Self.clean(entry.author)
            write("[\(Self.clock(entry.at))] \(who): \(Self.clean(entry.text))")
        }
    }

    func status(_ entry: LogEntry, technician: String) {
        guard let state = entry.state else { return }
        if machineReadable {
            write("STATUS \(Self.time(entry.at)) \(state.rawValue)")
        } else {
            write("[\(Self.clock(entry.at))] \(Self.customerWording(of: state, technician: technician))")
        }
    }

    func technicianChanged(to name: String) {
        write(machineReadable ? "TECHNICIAN technician=\(Self.quoted(name))" : "\(Self.clean(name)) is now helping you.")
    }

    func ended(reason: String) {
        // The customer already saw why (the last status line); the reason is for scripts.
        write(machineReadable ? "ENDED \(Self.clean(reason))" : "The session has ended.")
    }

    func error(code: String, message: String) {
        write(machineReadable ? "ERROR \(Self.clean(code)) \(Self.clean(message))" : "Error: \(Self.clean(message))")
    }

    func reconnecting(attempt: Int, delay: Double) {
        if machineReadable {
            write("RECONNECTING attempt=\(attempt) delay=\(String(format: "%.1f", delay))")
        } else if attempt == 1 {
            write("The connection to your technician was interrupted. Reconnecting…")
        }
    }

    func remoteRequested(mode: RemoteMode, technician: String) {
        let who = technician.isEmpty ? "Your technician" : Self.clean(technician)
        if machineReadable {
            write("REMOTE_REQUEST mode=\(mode.rawValue) technician=\(Self.quoted(technician))")
        } else {
            let what = mode == .control ? "see and control your screen (mouse and keyboard)" : "see your screen"
            write("\(who) asks to \(what). Type /allow to accept or /deny to refuse.")
        }
    }

    func remoteStarted(mode: RemoteMode, technician: String) {
        let who = technician.isEmpty ? "Your technician" : Self.clean(technician)
        if machineReadable {
            write("REMOTE_STARTED mode=\(mode.rawValue)")
        } else {
            let what = mode == .control ? "can now see and control your screen" : "can now see your screen"
            write("\(who) \(what). Type /stop to take back control at any time.")
        }
    }

    func remoteDenied() {
        write(machineReadable ? "REMOTE_DENIED" : "You refused. Your screen is not shared.")
    }

    func remoteEnded(reason: String) {
        write(machineReadable ? "REMOTE_ENDED \(Self.clean(reason))" : "Screen sharing ended: \(Self.clean(reason))")
    }

    /// The customer is told whenever recording starts or stops, even with control already granted (J14).
    func recording(active: Bool, technician: String) {
        let who = technician.isEmpty ? "Your technician" : Self.clean(technician)
        if machineReadable {
            write(active ? "RECORDING_STARTED technician=\(Self.quoted(technician))" : "RECORDING_STOPPED")
        } else {
            write(active ? "\(who) started recording your screen." : "\(who) stopped recording your screen.")
        }
    }

    func elevation(_ event: String, detail: String = "") {
        let clean = Self.clean(detail)
        if machineReadable {
            write(clean.isEmpty ? event : "\(event) \(clean)")
        } else {
            switch event {
            case "ELEVATING": write("\(clean.isEmpty ? "Your technician" : clean) is restarting Lifeline with administrator rights…")
            case "ELEVATED": write("Lifeline now runs with administrator rights. They end with this session.")
            default: write("Lifeline could not restart with administrator rights: \(clean)")
            }
        }
    }

    func fileOffered(_ offer: FileOffer, folder: String) {
        if machineReadable {
            write("FILE_OFFER id=\(offer.id) name=\(Self.quoted(offer.name)) size=\(offer.size) technician=\(Self.quoted(offer.technicianName))")
        } else {
            write("\(Self.clean(offer.technicianName)) offers you the file \(Self.quoted(offer.name)) (\(offer.size) bytes). "
                + "Type /save to save it in \(folder), /save <folder> to choose where, or /refuse.")
        }
    }

    func fileProgress(name: String, percent: Int) {
        write(machineReadable ? "FILE_PROGRESS \(percent)% name=\(Self.quoted(name))" : "\(Self.clean(name)): \(percent) %")
    }

    func fileSaved(path: String, md5: String) {
        write(machineReadable ? "FILE_SAVED path=\(Self.quoted(path)) md5=\(md5)" : "Saved \(Self.clean(path)). MD5 \(md5).")
    }

    func fileSent(name: String, md5: String) {
        write(machineReadable ? "FILE_SENT name=\(Self.quoted(name)) md5=\(md5)" : "Sent \(Self.clean(name)) to your technician. MD5 \(md5).")
    }

    func fileFailed(name: String?, reason: String) {
        if machineReadable {
            write("FILE_FAILED \(name.map { "name=\(Self.quoted($0)) " } ?? "")\(Self.clean(reason))")
        } else {
            write("The file\(name.map { " \(Self.clean($0))" } ?? "") was not transferred: \(Self.clean(reason)) Nothing was kept.")
        }
    }

    func link(_ url: String, technician: String, opened: Bool) {
        linkLine("URL", url, technician: technician, opened: opened, says: "sent you a link")
    }

    /// The customer survey (D5), opened in the default browser when possible.
    func survey(_ url: String, technician: String, opened: Bool) {
        linkLine("SURVEY", url, technician: technician, opened: opened, says: "would like you to fill in a short customer survey")
    }

    /// A link from the technician (D3) or the survey (D5), and whether xdg-open was started for it.
    private func linkLine(_ tag: String, _ url: String, technician: String, opened: Bool, says: String) {
        if machineReadable {
            write("\(tag) \(opened ? "opened" : "shown") technician=\(Self.quoted(technician)) url=\(Self.quoted(url))")
        } else {
            write("\(Self.clean(technician)) \(says): \(Self.clean(url))" + (opened ? " (opening it in your browser)" : " (open it in your browser)"))
        }
    }

    func callingCardOffer(_ offer: CallingCardOffer) {
        if machineReadable {
            write("CARD_OFFER name=\(Self.quoted(offer.name)) technician=\(Self.quoted(offer.technicianName)) autostart=\(offer.launchAtStartup)")
        } else {
            write("\(Self.clean(offer.technicianName)) offers to install \(Self.clean(offer.name)), so you can reach support in one click next time"
                  + (offer.launchAtStartup ? " (it would start with your session)." : "."))
            write("Type /install to install it for your user account (no administrator rights needed), or /skip.")
        }
    }

    func callingCardInstalled(name: String, path: String, launched: Bool, atStartup: Bool) {
        if machineReadable {
            write("CARD_INSTALLED path=\(Self.quoted(path)) launched=\(launched) autostart=\(atStartup)")
        } else {
            write("\(Self.clean(name)) is installed: find it in your applications menu, or run \(path) --calling-card."
                  + (atStartup ? " It starts with your session; remove it any time with --uninstall-calling-card." : ""))
        }
    }

    func chatSwitched(enabled: Bool) {
        if machineReadable {
            write("CHAT_SWITCHED \(enabled ? "on" : "off")")
        } else {
            write(enabled ? "Your technician turned the chat back on." : "Your technician turned the chat off for this session.")
        }
    }

    func revoked() {
        write(machineReadable ? "REVOKED" : "Every right you gave is taken back: nothing of your screen is shared and no file is coming.")
    }

    public func note(_ text: String) {
        write(machineReadable ? "INFO \(Self.clean(text))" : text)
    }

    /// How the customer sees each state: they never see the technician's queue words.
    static func customerWording(of state: SessionState, technician: String) -> String {
        let name = technician.isEmpty ? "a technician" : clean(technician)
        switch state {
        case .connecting, .waiting: return "Waiting for \(name) to start the session."
        case .active, .collaboration: return "\(name) has joined the session."
        case .onHold: return "\(name) has put the session on hold. Please wait."
        case .incoming, .outgoing: return "Your session is being passed to another technician. Please wait."
        case .rebooting: return "Restarting."
        case .reconnecting, .offline: return "The connection was interrupted. Reconnecting…"
        case .timedOut: return "The session timed out."
        case .closedByCustomer, .closedByCustomerWaiting: return "You ended the session."
        case .closed, .invitation: return "The session was closed."
        }
    }

    /// Text from the network: no control characters, one line.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
    }

    static func quoted(_ text: String) -> String {
        "\"" + clean(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }
}
