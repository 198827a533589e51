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
import LifelineCore
import LifelineProtocol

/// The applet as a window (issue 16), for customers who never open a terminal: who is asking
/// (what the gateway vouches for) and the terms first, Allow or Decline, then the chat, each
/// request as a dialog, what is granted now (each revocable) and a big Stop everything. It says
/// what the terminal interface says, from the same events, in the customer's language.
///
/// Unchecked Sendable: other threads only call `show`, `confirm` and `finished`, which hand their
/// work to the GTK thread; every other member is touched there only.
public final class CustomerWindow: @unchecked Sendable {
    let ui: GTKThread
    let text: AppletText
    let gatewayHost: String
    /// What the customer asks for, clicked (or typed in the chat box).
    public let commands: AsyncStream<CustomerCommand>
    let send: AsyncStream<CustomerCommand>.Continuation

    var window: GTK.Object?
    var isOpen = true
    var technician = ""
    var identity: IdentityCard!
    var consent: GTK.Object?
    var sessionArea: GTK.Object?
    var status: GTK.Object?
    var permissions: PermissionsPanel!
    var chatScroll: GTK.Object?
    var chatLines: GTK.Object?
    var entry: GTK.Object?
    var sessionButtons: GTK.Object?
    var closeButton: GTK.Object?
    var miniBar: GTK.Object?
    var miniStatus: GTK.Object?
    var remoteRequest: RequestDialog?
    var fileOffer: RequestDialog?
    var cardOffer: RequestDialog?
    var adminRequest: RequestDialog?
    var filesRequest: RequestDialog?
    /// The question to uninstall a program (L4), while it waits.
    var uninstallRequest: RequestDialog?
    /// The question to restart this computer (M1–M3), while it waits.
    var restartRequest: RequestDialog?
    /// The question of unattended access (F5), while it waits.
    var unattendedRequest: RequestDialog?
    var answerConsent: ((ConsentAnswer) -> Void)?
    var whenClosed: [() -> Void] = []
    var ended = false

    private init(ui: GTKThread, text: AppletText, gateway: URL) {
        self.ui = ui
        self.text = text
        gatewayHost = gateway.host.map { host in gateway.port.map { "\(host):\($0)" } ?? host } ?? gateway.absoluteString
        (commands, send) = AsyncStream<CustomerCommand>.makeStream()
    }

    /// Opens the window; throws when GTK 4 or the display is not there (the terminal serves then).
    public static func open(text: AppletText, gateway: URL) throws -> CustomerWindow {
        // The cairo renderer needs no OpenGL: virtual machines and remote X servers draw it too.
        setenv("GSK_RENDERER", "cairo", 0)
        let ui = try GTKThread.start()
        let window = CustomerWindow(ui: ui, text: text, gateway: gateway)
        let built = DispatchSemaphore(value: 0)
        ui.post {
            window.build()
            built.signal()
        }
        built.wait()
        return window
    }

    /// Shows who asks and the terms; the customer allows the session (accepting the terms), declines, or closes the window.
    public func confirm(_ invitation: Invitation) async -> ConsentAnswer {
        await withCheckedContinuation { continuation in
            ui.post { [self] in
                guard isOpen else { return continuation.resume(returning: .close) }
                askConsent(invitation) { continuation.resume(returning: $0) }
            }
        }
    }

    /// One event of the session, from any thread.
    public func show(_ event: CustomerEvent, _ line: String) {
        ui.post { [self] in
            if isOpen { handle(event, line) }
        }
    }

    /// The session is over: the window says so (and `message` when there is one) and this returns
    /// when the customer closes it.
    public func finished(_ message: String?) async {
        await withCheckedContinuation { continuation in
            ui.post { [self] in
                guard isOpen else { return continuation.resume() }
                if let message { addLine(message, classes: ["chat-system"]) }
                showEnded()
                whenClosed.append { continuation.resume() }
            }
        }
        await ui.quitAndWait()
    }

    // MARK: - Layout (GTK thread)

    private func build() {
        // Arabic and Hebrew read right to left: the window mirrors, whatever locales the system has.
        if ["ar", "he"].contains(text.language) { ui.gtk.widgetSetDefaultDirection(2) }  // GTK_TEXT_DIR_RTL
        ui.loadStyle(Self.style)
        window = ui.window(title: "Lifeline", width: 460, height: 600)
        identity = IdentityCard(ui: ui, text: text, gatewayHost: gatewayHost)
        consent = ui.box(.vertical, spacing: 10, classes: ["consent"], [])
        status = ui.label("", classes: ["status"])
        permissions = PermissionsPanel(ui: ui, text: text) { [weak self] grant in self?.revoke(grant) }
        chatLines = ui.box(.vertical, spacing: 2, classes: ["chat"], [])
        chatScroll = ui.gtk.scrolledWindowNew()
        ui.gtk.scrolledWindowSetPolicy(chatScroll, 2, 1)  // never sideways, vertically when needed
        ui.gtk.scrolledWindowSetChild(chatScroll, chatLines)
        ui.expand(chatScroll, vertically: true)
        entry = ui.gtk.entryNew()
        ui.expand(entry, horizontally: true)
        ui.gtk.widgetSetTooltipText(entry, text("window.message_hint"))
        ui.connect(entry, "activate") { [weak self] in self?.sendChat() }
        let stop = ui.button(text("window.stop_everything"), classes: ["stop"]) { [weak self] in self?.stopEverything() }
        sessionButtons = ui.box(.horizontal, spacing: 8, classes: ["buttons"], [
            stop,
            ui.button(text("window.minimise")) { [weak self] in self?.minimise(true) },
            ui.button(text("window.end")) { [weak self] in self?.send.yield(.quit) },
        ])
        closeButton = ui.button(text("window.close"), classes: ["allow"]) { [weak self] in self?.close() }
        ui.setVisible(closeButton, false)
        sessionArea = ui.box(.vertical, spacing: 10, [
            status, permissions.root, chatScroll,
            ui.box(.horizontal, spacing: 6, [entry, ui.button(text("window.send")) { [weak self] in self?.sendChat() }]),
            sessionButtons,
        ])
        ui.expand(sessionArea, vertically: true)
        ui.setVisible(sessionArea, false)
        miniStatus = ui.label("", classes: ["status"])
        ui.expand(miniStatus, horizontally: true)
        miniBar = ui.box(.horizontal, spacing: 8, classes: ["mini"], [
            miniStatus,
            ui.button(text("window.stop_everything"), classes: ["stop"]) { [weak self] in self?.stopEverything() },
            ui.button(text("window.restore")) { [weak self] in self?.minimise(false) },
        ])
        ui.setVisible(miniBar, false)
        let content = ui.box(.vertical, spacing: 12, classes: ["content"], [identity.root, consent, sessionArea, closeButton, miniBar])
        ui.gtk.windowSetChild(window, content)
        ui.onCloseRequest(window) { [weak self] in self?.closeRequested() }
        ui.gtk.windowPresent(window)
    }

    private func askConsent(_ invitation: Invitation, answer: @escaping (ConsentAnswer) -> Void) {
        technician = invitation.technicianName
        identity.show(invitation)
        ui.gtk.windowSetTitle(window, title)
        var parts: [GTK.Object?] = []
        if let terms = invitation.terms {
            let termsText = ui.label(Transcript.clean(terms).replacing("  ", with: "\n"), selectable: true)
            let scroll = ui.gtk.scrolledWindowNew()
            ui.gtk.scrolledWindowSetPolicy(scroll, 2, 1)
            ui.gtk.scrolledWindowSetChild(scroll, termsText)
            ui.expand(scroll, vertically: true)
            ui.style(scroll, ["terms"])
            parts.append(ui.label(text("terms.heading", ["organisation": Transcript.clean(invitation.organisation)]), classes: ["section-heading"]))
            parts.append(scroll)
        }
        parts.append(ui.label(text(invitation.terms == nil ? "window.question" : "window.question_terms", ["technician": who])))
        let allow = ui.button(text(invitation.terms == nil ? "window.allow" : "window.accept"), classes: ["allow"]) { [weak self] in
            self?.consented(.allow)
        }
        parts.append(ui.box(.horizontal, spacing: 8, classes: ["buttons"], [
            allow, ui.button(text("window.decline")) { [weak self] in self?.consented(.decline) },
        ]))
        for part in parts { ui.gtk.boxAppend(consent, part) }
        answerConsent = answer
        _ = ui.gtk.widgetGrabFocus(allow)
    }

    private func consented(_ choice: ConsentAnswer) {
        guard let answer = answerConsent else { return }
        answerConsent = nil
        ui.setVisible(consent, false)
        if case .allow = choice { showSession(status: text("window.connecting")) }
        answer(choice)
    }

    private func showSession(status line: String) {
        ui.setVisible(sessionArea, true)
        permissions.technician(who)
        setStatus(line)
        _ = ui.gtk.widgetGrabFocus(entry)
    }

    /// Started again after a close or a crash: straight back to the session, no question.
    func rejoin(technician name: String, organisation: String) {
        technician = name
        identity.show(Invitation(technicianName: name, organisation: organisation, sessionName: ""))
        ui.gtk.windowSetTitle(window, title)
        showSession(status: "")
    }

    /// The technician's name as the customer reads it.
    var who: String {
        technician.isEmpty ? text("your_technician") : Transcript.clean(technician)
    }

    var title: String {
        text("window.title", ["technician": who])
    }

    // MARK: - The customer's actions (GTK thread)

    private func sendChat() {
        guard let typed = ui.gtk.editableGetText(entry) else { return }
        let message = String(cString: typed).trimmed
        guard !message.isEmpty, !ended else { return }
        // Typed in a window, a line starting with "/" is chat: the buttons are the commands here.
        send.yield(.chat(message))
        ui.gtk.editableSetText(entry, "")
    }

    private func revoke(_ grant: PermissionsPanel.Grant) {
        switch grant {
        case .control, .view, .recording: send.yield(.stopRemote)
        case .files: send.yield(.closeFiles)
        case .script: send.yield(.stopScript)
        case .administrator: break
        case .unattended: send.yield(.revokeUnattended)
        }
    }

    private func stopEverything() {
        remoteRequest?.close()
        filesRequest?.close()
        uninstallRequest?.close()
        fileOffer?.close()
        cardOffer?.close()
        send.yield(.stopEverything)
    }

    func minimise(_ small: Bool) {
        for part in [identity.root, sessionArea] { ui.setVisible(part, !small) }
        ui.setVisible(miniBar, small)
        ui.gtk.windowSetDefaultSize(window, 460, small ? 1 : 600)
    }

    /// The window's close button: before joining it declines, during the session it ends it.
    private func closeRequested() {
        if answerConsent != nil { consented(.close) }
        else if !ended { send.yield(.quit) }
        close()
    }

    private func close() {
        guard isOpen else { return }
        isOpen = false
        for dialog in [remoteRequest, filesRequest, uninstallRequest, fileOffer, cardOffer] { dialog?.close() }
        ui.gtk.windowDestroy(window)
        send.finish()
        let waiting = whenClosed
        whenClosed = []
        for resume in waiting { resume() }
    }

    func showEnded() {
        ended = true
        if answerConsent != nil { consented(.decline) }
        minimise(false)
        for dialog in [remoteRequest, filesRequest, uninstallRequest, fileOffer, cardOffer] { dialog?.close() }
        permissions.take(PermissionsPanel.Grant.allCases)
        keepAbove(false)
        ui.setVisible(sessionButtons, false)
        ui.gtk.widgetSetSensitive(entry, 0)
        ui.setVisible(closeButton, true)
        _ = ui.gtk.widgetGrabFocus(closeButton)
    }
}
