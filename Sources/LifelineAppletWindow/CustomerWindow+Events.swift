#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineApplet
import LifelineDesktop
import LifelineProtocol
import Logging
import LifelineCore

/// How the window draws each event of the session (GTK thread).
extension CustomerWindow {
    func handle(_ event: CustomerEvent, _ line: String) {
        switch event {
        case .invitation, .terminalHelp:
            break
        case .rejoining(let name, let organisation):
            rejoin(technician: name, organisation: organisation)
            setStatus(line)
            addLine(line, classes: ["chat-system"])
        case .welcome(_, let name, _):
            technicianIs(name)
            setStatus(line)
        case .chat(let entry):
            addLine(line, classes: [entry.authorRole == .customer ? "chat-customer" : "chat-technician"])
        case .status:
            setStatus(line)
            addLine(line, classes: ["chat-system"])
        case .technicianChanged(let name):
            technicianIs(name)
            addLine(line, classes: ["chat-system"])
        case .remoteRequested(let mode, let name):
            askForScreen(mode, technician: name)
        case .remoteStarted(let mode, let name):
            remoteRequest?.close()
            permissions.grant(mode == .control ? .control : .view, technician: Transcript.clean(name.isEmpty ? technician : name))
            addLine(text(mode == .control ? "window.grant_control" : "window.grant_view", ["technician": who]), classes: ["chat-system"])
            keepAbove(true)
        case .remoteDenied:
            remoteRequest?.close()
            addLine(line, classes: ["chat-system"])
        case .remoteEnded:
            remoteRequest?.close()
            permissions.take([.control, .view, .recording])
            keepAbove(false)
            addLine(line, classes: ["chat-system"])
        case .remoteViewers:
            addLine(line, classes: ["chat-system"])
        case .recording(let active, _):
            if active { permissions.grant(.recording, technician: who) } else { permissions.take([.recording]) }
            addLine(line, classes: ["chat-system"])
        case .elevationRequested(let name):
            addLine(line, classes: ["chat-system"])
            askForAdministrator(technician: name)
        case .elevation(let step):
            adminRequest?.close()
            if step == "ELEVATED" { permissions.grant(.administrator, technician: who) }
            addLine(line, classes: ["chat-system"])
        case .fileOffered(let offer, let folder):
            offerFile(offer, folder: folder)
        case .fileProgress:
            setStatus(line)
        case .fileDone:
            fileOffer?.close()
            setStatus(line)
            addLine(line, classes: ["chat-system"])
        case .fileManagerRequested(let name):
            addLine(line, classes: ["chat-system"])
            askForFiles(technician: name)
        case .fileManagerOpened(let name):
            filesRequest?.close()
            permissions.grant(.files, technician: Transcript.clean(name.isEmpty ? technician : name))
            addLine(line, classes: ["chat-system"])
        case .fileManagerClosed:
            filesRequest?.close()
            permissions.take([.files])
            addLine(line, classes: ["chat-system"])
        case .fileManagerActivity:
            setStatus(line)
            addLine(line, classes: ["chat-system"])
        case .scriptStarted(_, let name):
            permissions.grant(.script, technician: Transcript.clean(name.isEmpty ? technician : name))
            addLine(line, classes: ["chat-system"])
        case .scriptEnded:
            permissions.take([.script])
            addLine(line, classes: ["chat-system"])
        case .uninstallRequested(let name):
            addLine(line, classes: ["chat-system"])
            askToUninstall(name)
        case .uninstallAnswered:
            uninstallRequest?.close()
            addLine(line, classes: ["chat-system"])
        case .restartRequested(let kind, let autoLogin):
            addLine(line, classes: ["chat-system"])
            askToRestart(kind, autoLogin: autoLogin)
        case .restartAnswered:
            restartRequest?.close()
            addLine(line, classes: ["chat-system"])
        case .unattendedRequested(let details):
            addLine(line, classes: ["chat-system"])
            askForUnattendedAccess(details)
        case .unattendedPasswordAsked(let account, _):
            askForUnattendedPassword(account: account, line)
        case .unattendedAnswered:
            unattendedRequest?.close()
            addLine(line, classes: ["chat-system"])
        case .unattendedInPlace(let name):
            permissions.grant(.unattended, technician: Transcript.clean(name))
        case .unattendedRevoked:
            permissions.take([.unattended])
            addLine(line, classes: ["chat-system"])
        case .callingCardOffer(let offer):
            addLine(line, classes: ["chat-system"])
            offerCard(offer)
        case .callingCardDone:
            cardOffer?.close()
            addLine(line, classes: ["chat-system"])
        case .ended:
            addLine(line, classes: ["chat-system"])
            setStatus(line)
            showEnded()
        case .revoked:
            permissions.take([.control, .view, .recording, .files])
            keepAbove(false)
            addLine(line, classes: ["chat-system"])
        case .reconnecting:
            remoteRequest?.close()
            setStatus(line)
            addLine(line, classes: ["chat-system"])
        case .notice:
            addLine(line, classes: ["chat-system"])
        }
    }

    private func technicianIs(_ name: String) {
        guard !name.isEmpty else { return }
        technician = name
        identity.technician(name)
        permissions.technician(who)
        ui.gtk.windowSetTitle(window, title)
    }

    func setStatus(_ line: String) {
        ui.gtk.labelSetText(status, line)
        ui.gtk.labelSetText(miniStatus, line)
    }

    func addLine(_ line: String, classes: [String]) {
        ui.gtk.boxAppend(chatLines, ui.label(line, classes: ["chat-line"] + classes, selectable: true))
        // Scrolled to the newest line once GTK has measured it.
        ui.post { [ui, chatScroll] in
            let adjustment = ui.gtk.scrolledWindowGetVAdjustment(chatScroll)
            ui.gtk.adjustmentSetValue(adjustment, ui.gtk.adjustmentGetUpper(adjustment))
        }
    }

    private func askForScreen(_ mode: RemoteMode, technician name: String) {
        remoteRequest?.close()
        let person = Transcript.clean(name.isEmpty ? technician : name)
        let values = ["technician": person.isEmpty ? who : person]
        remoteRequest = allowOrDeny(heading: text(mode == .control ? "window.ask_control" : "window.ask_view", values),
                                    body: text(mode == .control ? "window.ask_control_detail" : "window.ask_view_detail", values))
    }

    /// A request answered Allow or Deny: the same answers as /allow and /deny in the terminal.
    private func allowOrDeny(heading: String, body: String) -> RequestDialog {
        RequestDialog(
            ui: ui, title: text("window.request_title"), heading: heading, body: body,
            choices: [
                .init(mnemonic: text("window.allow"), classes: ["allow"]) { [send] in send.yield(.allowRemote) },
                .init(mnemonic: text("window.deny"), classes: []) { [send] in send.yield(.denyRemote) },
            ])
    }

    private func askForAdministrator(technician name: String) {
        adminRequest?.close()
        let person = Transcript.clean(name.isEmpty ? technician : name)
        let values = ["technician": person.isEmpty ? who : person]
        adminRequest = allowOrDeny(heading: text("window.ask_admin", values), body: text("window.ask_admin_detail", values))
    }

    /// The file manager's question: Allow or Deny, answered for the file manager only.
    private func askForFiles(technician name: String) {
        filesRequest?.close()
        let person = Transcript.clean(name.isEmpty ? technician : name)
        let values = ["technician": person.isEmpty ? who : person]
        filesRequest = RequestDialog(
            ui: ui, title: text("window.request_title"), heading: text("window.ask_files", values), body: text("window.ask_files_detail", values),
            choices: [
                .init(mnemonic: text("window.allow"), classes: ["allow"]) { [send] in send.yield(.allowFiles) },
                .init(mnemonic: text("window.deny"), classes: []) { [send] in send.yield(.denyFiles) },
            ])
    }

    /// The technician asks to uninstall a program (L4): nothing is removed unless the customer allows it.
    private func askToUninstall(_ name: String) {
        uninstallRequest?.close()
        let values = ["technician": who, "name": name]
        uninstallRequest = RequestDialog(
            ui: ui, title: text("window.request_title"), heading: text("system.ask_uninstall", values), body: text("window.ask_uninstall_detail", values),
            choices: [
                .init(mnemonic: text("window.allow"), classes: ["allow"]) { [send] in send.yield(.allowUninstall) },
                .init(mnemonic: text("window.deny"), classes: []) { [send] in send.yield(.denyUninstall) },
            ])
    }

    /// The technician asks to restart this computer (M1–M3): nothing happens unless the customer allows it.
    private func askToRestart(_ kind: RebootKind, autoLogin: Bool) {
        restartRequest?.close()
        let values = ["technician": who]
        let key = switch kind {
        case .normal: "window.ask_restart_detail"
        case .emergency: "window.ask_restart_emergency"
        case .safeMode: "window.ask_restart_safe_mode"
        }
        let detail = text(key, values)
            + (autoLogin ? "\n\n" + text("window.ask_restart_autologin", values) : "")
        restartRequest = RequestDialog(
            ui: ui, title: text("window.request_title"), heading: text("restart.ask", values), body: detail,
            choices: [
                .init(mnemonic: text("window.allow_restart"), classes: ["allow"]) { [send] in send.yield(.allowRestart) },
                .init(mnemonic: text("window.deny"), classes: []) { [send] in send.yield(.denyRestart) },
            ])
    }

    /// The technician asks for unattended access (F5): the rules in words; nothing is installed unless the customer allows it.
    private func askForUnattendedAccess(_ details: String) {
        unattendedRequest?.close()
        unattendedRequest = RequestDialog(
            ui: ui, title: text("window.request_title"), heading: text("unattended.ask", ["technician": who]), body: details,
            choices: [
                .init(mnemonic: text("window.allow_unattended"), classes: ["allow"]) { [send] in send.yield(.allowUnattended) },
                .init(mnemonic: text("window.deny"), classes: []) { [send] in send.yield(.denyUnattended) },
            ])
    }

    /// Access with the customer's own credentials: their account's password, in a hidden field.
    private func askForUnattendedPassword(account: String, _ line: String) {
        unattendedRequest?.close()
        unattendedRequest = RequestDialog(
            ui: ui, title: text("window.request_title"), heading: text("unattended.ask", ["technician": who]), body: line, secretField: true,
            choices: [
                .init(mnemonic: text("window.allow_unattended"), classes: ["allow"], action: {}) { [send] password in send.yield(.unattendedPassword(password)) },
                .init(mnemonic: text("window.deny"), classes: []) { [send] in send.yield(.denyUnattended) },
            ])
    }

    private func offerFile(_ offer: FileOffer, folder: String) {
        fileOffer?.close()
        let values = ["technician": Transcript.clean(offer.technicianName), "name": Transcript.clean(offer.name),
                      "size": Self.size(offer.size), "folder": URL(fileURLWithPath: folder).lastPathComponent]
        addLine(text("window.file_offer", values), classes: ["chat-system"])
        fileOffer = RequestDialog(
            ui: ui, title: text("window.request_title"),
            heading: text("window.file_offer", values), body: text("window.file_detail", values),
            choices: [
                .init(mnemonic: text("window.save_default", values), classes: ["allow"]) { [send] in send.yield(.saveFile(folder: "")) },
                .init(mnemonic: text("window.save_elsewhere"), classes: []) { [weak self] in self?.chooseFolder(for: offer) },
                .init(mnemonic: text("window.refuse"), classes: []) { [send] in send.yield(.refuseFile) },
            ])
    }

    /// The save dialog: the file is saved where the customer chose, refused when they cancel.
    private func chooseFolder(for offer: FileOffer) {
        ui.chooseFolder(title: text("window.choose_folder", ["name": Transcript.clean(offer.name)]), parent: window) { [send] folder in
            send.yield(folder.map { .saveFile(folder: $0) } ?? .refuseFile)
        }
    }

    private func offerCard(_ offer: CallingCardOffer) {
        cardOffer?.close()
        let values = ["technician": Transcript.clean(offer.technicianName), "name": Transcript.clean(offer.name)]
        cardOffer = RequestDialog(
            ui: ui, title: text("window.request_title"),
            heading: text("window.card_offer", values), body: text("window.card_detail", values),
            choices: [
                .init(mnemonic: text("window.install"), classes: ["allow"]) { [send] in send.yield(.installCard) },
                .init(mnemonic: text("window.not_now"), classes: []) { [send] in send.yield(.skipCard) },
            ])
    }

    /// Above the other windows while the technician sees the screen, so Stop stays in reach (X11).
    func keepAbove(_ above: Bool) {
        LifelineAppletWindow.keepAbove(window, above, ui: ui)
    }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(value.fixed(value < 10 ? 1 : 0)) \(units[unit])"
    }
}
