#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// Everything the applet shows the customer. Interactive mode speaks to a person; the
/// non-interactive mode prints one machine-readable line per event (see docs/protocol.md).
public struct Transcript: Sendable {
    let machineReadable: Bool
    /// The customer's language; machine-readable lines stay English for scripts.
    public let text: AppletText
    let write: @Sendable (String) -> Void
    /// The window, when there is one: it hears every line with what it is about.
    let events: (@Sendable (CustomerEvent, String) -> Void)?

    public init(machineReadable: Bool, text: AppletText = .english, write: @escaping @Sendable (String) -> Void,
                events: (@Sendable (CustomerEvent, String) -> Void)? = nil) {
        self.machineReadable = machineReadable
        self.text = text
        self.write = write
        self.events = events
    }

    /// Whether the customer has the window (else a terminal, or a script).
    var hasWindow: Bool { events != nil }

    /// One line for the terminal, and the event for the window.
    func say(_ event: CustomerEvent, _ line: String) {
        write(line)
        events?(event, line)
    }

    /// The technician's name, or "Your technician" when the session has none yet.
    func who(_ technician: String) -> String {
        technician.isEmpty ? text("your_technician") : Self.clean(technician)
    }

    func invitation(technician: String, organisation: String) {
        if machineReadable {
            write("INVITATION technician=\(Self.quoted(technician)) organisation=\(Self.quoted(organisation))")
        } else {
            // A channel session has no technician until one takes it from the queue.
            say(.invitation(technician: technician, organisation: organisation), technician.isEmpty ? text("invitation.channel", ["organisation": Self.clean(organisation)])
                  : text("invitation", ["technician": Self.clean(technician), "organisation": Self.clean(organisation)]))
        }
    }

    /// Started again with the session it had joined (issue 16): no questions this time.
    func rejoining(technician: String, organisation: String) {
        if machineReadable {
            write("REJOINING technician=\(Self.quoted(technician)) organisation=\(Self.quoted(organisation))")
        } else {
            say(.rejoining(technician: technician, organisation: organisation), text("rejoining", ["technician": who(technician)]))
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
            say(.welcome(sessionId: sessionId, technician: technician, state: state),
                text("welcome", ["session": Self.clean(sessionId)]) + " " + customerWording(of: state, technician: technician))
            say(.terminalHelp, text("welcome.help"))
        }
    }

    func chat(_ entry: LogEntry) {
        if machineReadable {
            write("CHAT \(Self.time(entry.at)) \(entry.authorRole.rawValue) \(Self.clean(entry.author)): \(Self.clean(entry.text))")
        } else {
            let who = entry.authorRole == .customer ? text("chat.you") : Self.clean(entry.author)
            say(.chat(entry), "[\(Self.clock(entry.at))] \(who): \(Self.clean(entry.text))")
        }
    }

    func status(_ entry: LogEntry, technician: String) {
        guard let state = entry.state else { return }
        if machineReadable {
            write("STATUS \(Self.time(entry.at)) \(state.rawValue)")
        } else {
            say(.status(state, technician: technician), "[\(Self.clock(entry.at))] \(customerWording(of: state, technician: technician))")
        }
    }

    func technicianChanged(to name: String) {
        say(.technicianChanged(name), machineReadable ? "TECHNICIAN technician=\(Self.quoted(name))" : text("technician.changed", ["technician": who(name)]))
    }

    /// Someone from outside the organisation joined or left (I2).
    func collaborator(name: String, joined: Bool) {
        if machineReadable {
            write("COLLABORATOR \(joined ? "joined" : "left") name=\(Self.quoted(name))")
        } else {
            say(.notice, text(joined ? "collaborator.joined" : "collaborator.left", ["name": Self.clean(name)]))
        }
    }

    func ended(reason: String) {
        // The customer already saw why (the last status line); the reason is for scripts.
        say(.ended(reason: reason), machineReadable ? "ENDED \(Self.clean(reason))" : text("ended"))
    }

    func error(code: String, message: String) {
        say(.notice, machineReadable ? "ERROR \(Self.clean(code)) \(Self.clean(message))" : text("error", ["message": Self.clean(message)]))
    }

    func reconnecting(attempt: Int, delay: Double) {
        if machineReadable {
            write("RECONNECTING attempt=\(attempt) delay=\(delay.fixed(1))")
        } else if attempt == 1 {
            say(.reconnecting, text("reconnecting"))
        }
    }

    func remoteRequested(mode: RemoteMode, technician: String) {
        if machineReadable {
            write("REMOTE_REQUEST mode=\(mode.rawValue) technician=\(Self.quoted(technician))")
        } else {
            say(.remoteRequested(mode, technician: technician),
                text(mode == .control ? "remote.ask_control" : "remote.ask_view", ["technician": who(technician)]))
        }
    }

    func remoteStarted(mode: RemoteMode, technician: String) {
        if machineReadable {
            write("REMOTE_STARTED mode=\(mode.rawValue)")
        } else {
            say(.remoteStarted(mode, technician: technician),
                text(mode == .control ? "remote.started_control" : "remote.started_view", ["technician": who(technician)]))
        }
    }

    func remoteDenied() {
        say(.remoteDenied, machineReadable ? "REMOTE_DENIED" : text("remote.denied"))
    }

    /// Who sees the screen now (issue 21): the customer always knows who is watching, and whose
    /// hands are on their mouse and keyboard.
    func remoteViewers(names: [String], inControl: String?) {
        let cleaned = names.map(who)
        if machineReadable {
            write("REMOTE_VIEWERS names=\(Self.quoted(cleaned.joined(separator: ", ")))" + (inControl.map { " control=\(Self.quoted(who($0)))" } ?? ""))
        } else {
            let line = text("remote.viewers", ["names": cleaned.joined(separator: ", ")])
                + (inControl.map { " " + text("remote.in_control", ["technician": who($0)]) } ?? "")
            say(.remoteViewers(names: cleaned, inControl: inControl.map(who)), line)
        }
    }

    func remoteEnded(reason: String) {
        say(.remoteEnded, machineReadable ? "REMOTE_ENDED \(Self.clean(reason))" : text("remote.ended", ["reason": Self.clean(reason)]))
    }

    /// The customer is told whenever recording starts or stops, even with control already granted (J14).
    func recording(active: Bool, technician: String) {
        if machineReadable {
            write(active ? "RECORDING_STARTED technician=\(Self.quoted(technician))" : "RECORDING_STOPPED")
        } else {
            say(.recording(active: active, technician: technician), text(active ? "recording.started" : "recording.stopped", ["technician": who(technician)]))
        }
    }

    /// A technician asks for administrator rights (J3); the customer answers /allow or /deny.
    func elevationRequested(technician: String) {
        if machineReadable {
            write("ELEVATION_REQUEST technician=\(Self.quoted(technician))")
        } else {
            say(.elevationRequested(technician: technician), text("elevation.ask", ["technician": who(technician)]))
        }
    }

    func elevation(_ event: String, detail: String = "") {
        let clean = Self.clean(detail)
        if machineReadable {
            write(clean.isEmpty ? event : "\(event) \(clean)")
        } else {
            switch event {
            case "ELEVATING": say(.elevation(event), text("elevation.elevating", ["technician": who(clean)]))
            case "ELEVATED": say(.elevation(event), text("elevation.elevated"))
            case "ELEVATION_REFUSED": say(.elevation(event), text("elevation.refused"))
            default: say(.elevation(event), text("elevation.failed", ["reason": clean]))
            }
        }
    }

    func fileOffered(_ offer: FileOffer, folder: String) {
        if machineReadable {
            write("FILE_OFFER id=\(offer.id) name=\(Self.quoted(offer.name)) size=\(offer.size) technician=\(Self.quoted(offer.technicianName))")
        } else {
            say(.fileOffered(offer, folder: folder), text("file.offer", ["technician": who(offer.technicianName), "name": Self.clean(offer.name),
                                      "size": "\(offer.size)", "folder": folder]))
        }
    }

    func fileProgress(name: String, percent: Int) {
        say(.fileProgress(name: name, percent: percent), machineReadable ? "FILE_PROGRESS \(percent)% name=\(Self.quoted(name))" : text("file.progress", ["name": Self.clean(name), "percent": "\(percent)"]))
    }

    func fileSaved(path: String, md5: String) {
        say(.fileDone(name: LocalPaths.lastComponent(path)), machineReadable ? "FILE_SAVED path=\(Self.quoted(path)) md5=\(md5)" : text("file.saved", ["path": Self.clean(path), "md5": md5]))
    }

    func fileSent(name: String, md5: String) {
        say(.fileDone(name: name), machineReadable ? "FILE_SENT name=\(Self.quoted(name)) md5=\(md5)" : text("file.sent", ["name": Self.clean(name), "md5": md5]))
    }

    func fileFailed(name: String?, reason: String) {
        if machineReadable {
            write("FILE_FAILED \(name.map { "name=\(Self.quoted($0)) " } ?? "")\(Self.clean(reason))")
        } else {
            say(.fileDone(name: name), name.map { text("file.failed", ["name": Self.clean($0), "reason": Self.clean(reason)]) }
                  ?? text("file.failed_unnamed", ["reason": Self.clean(reason)]))
        }
    }

    func link(_ url: String, technician: String, opened: Bool) {
        linkLine("URL", url, technician: technician, opened: opened, says: "link.sent")
    }

    /// The customer survey (D5), opened in the default browser when possible.
    func survey(_ url: String, technician: String, opened: Bool) {
        linkLine("SURVEY", url, technician: technician, opened: opened, says: "survey.sent")
    }

    /// A link from the technician (D3) or the survey (D5), and whether xdg-open was started for it.
    private func linkLine(_ tag: String, _ url: String, technician: String, opened: Bool, says: String) {
        if machineReadable {
            write("\(tag) \(opened ? "opened" : "shown") technician=\(Self.quoted(technician)) url=\(Self.quoted(url))")
        } else {
            say(.notice, text(says, ["technician": who(technician), "url": Self.clean(url)]) + " " + text(opened ? "link.opening" : "link.open_it"))
        }
    }

    func callingCardOffer(_ offer: CallingCardOffer) {
        if machineReadable {
            write("CARD_OFFER name=\(Self.quoted(offer.name)) technician=\(Self.quoted(offer.technicianName)) autostart=\(offer.launchAtStartup)")
        } else {
            say(.callingCardOffer(offer), text(offer.launchAtStartup ? "card.offer_autostart" : "card.offer",
                                                ["technician": who(offer.technicianName), "name": Self.clean(offer.name)]))
            say(.terminalHelp, text("card.offer_help"))
        }
    }

    func callingCardInstalled(name: String, path: String, launched: Bool, atStartup: Bool) {
        if machineReadable {
            write("CARD_INSTALLED path=\(Self.quoted(path)) launched=\(launched) autostart=\(atStartup)")
        } else {
            say(.callingCardDone, text(atStartup ? "card.installed_autostart" : "card.installed", ["name": Self.clean(name), "path": path]))
        }
    }

    func chatSwitched(enabled: Bool) {
        if machineReadable {
            write("CHAT_SWITCHED \(enabled ? "on" : "off")")
        } else {
            say(.notice, text(enabled ? "chat.on" : "chat.off"))
        }
    }

    func revoked() {
        say(.revoked, machineReadable ? "REVOKED" : text("revoked"))
    }

    public func note(_ text: String, event: CustomerEvent = .notice) {
        say(event, machineReadable ? "INFO \(Self.clean(text))" : text)
    }

    /// A note in the customer's language; scripts get the English one.
    public func note(key: String, _ values: [String: String] = [:], event: CustomerEvent = .notice) {
        note(machineReadable ? AppletText.english(key, values) : text(key, values), event: event)
    }

    /// How the customer sees each state: they never see the technician's queue words.
    func customerWording(of state: SessionState, technician: String) -> String {
        let name = ["technician": who(technician)]
        switch state {
        case .connecting, .waiting: return technician.isEmpty ? text("state.waiting_any") : text("state.waiting", name)
        case .active, .collaboration: return text("state.active", name)
        case .onHold: return text("state.on_hold", name)
        case .incoming, .outgoing: return text("state.transferring")
        case .rebooting: return text("state.rebooting")
        case .reconnecting, .offline: return text("state.reconnecting")
        case .timedOut: return text("state.timed_out")
        case .closedByCustomer, .closedByCustomerWaiting: return text("state.closed_by_customer")
        case .closed, .invitation: return text("state.closed")
        }
    }

    /// The organisation's terms, shown before the customer is asked to accept them (R4).
    func terms(_ terms: String, organisation: String) {
        if machineReadable {
            write("TERMS organisation=\(Self.quoted(organisation)) text=\(Self.quoted(terms))")
        } else {
            say(.notice, text("terms.heading", ["organisation": Self.clean(organisation)]))
            // Line breaks of the terms are kept; other control characters are not.
            say(.notice, terms.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + Self.clean(String($0)) }.joined(separator: "\n"))
        }
    }

    /// Text from the network: no control characters, one line.
    public static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
    }

    static func quoted(_ text: String) -> String {
        "\"" + clean(text).replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func clock(_ date: Date) -> String {
        // The local time, from the C library: Foundation's formatters would bring ICU into the applet.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "" }
        return "\(Int(local.tm_hour).padded(to: 2)):\(Int(local.tm_min).padded(to: 2))"
    }
}
