/// A question from the technician (screen, file, Calling Card): a small window above the others, naming who asks and what it allows, with one button per answer. Closing it answers
/// with the last button (the refusal). With a secret field (a password), the first button gives
/// what was typed to its `withSecret`, and Enter in the field is that button. GTK thread only.
final class RequestDialog {
    private let ui: GTKThread
    private let window: GTK.Object?
    private var isOpen = true

    struct Choice {
        let mnemonic: String
        let classes: [String]
        let action: () -> Void
        /// For the answer that takes the secret field's text.
        var withSecret: ((String) -> Void)? = nil
    }

    /// The hidden field, when the question asks for a password.
    private let secret: GTK.Object?

    init(ui: GTKThread, title: String, heading: String, body: String, secretField: Bool = false, choices: [Choice]) {
        self.ui = ui
        window = ui.window(title: title, width: 440, height: 1)
        secret = secretField ? ui.gtk.entryNew() : nil
        let buttons = choices.map { choice in
            ui.button(choice.mnemonic, classes: choice.classes) { [weak self] in self?.answer(choice) }
        }
        if let secret, let first = choices.first {
            ui.gtk.entrySetVisibility(secret, 0)
            ui.connect(secret, "activate") { [weak self] in self?.answer(first) }
        }
        let content = ui.box(.vertical, spacing: 12, classes: ["dialog"], [
            ui.label(heading, classes: ["dialog-heading"]),
            ui.label(body),
            secret,
            ui.box(.horizontal, spacing: 8, classes: ["buttons"], buttons),
        ].filter { $0 != nil })
        ui.gtk.windowSetChild(window, content)
        ui.onCloseRequest(window) { [weak self] in
            if let refuse = choices.last { self?.answer(refuse) }
        }
        ui.gtk.windowPresent(window)
        LifelineAppletWindow.keepAbove(window, true, ui: ui)
        // The field, or the first choice (the one asked for), has the keyboard; Alt and a letter picks any.
        _ = ui.gtk.widgetGrabFocus(secret ?? buttons.first ?? nil)
    }

    private func answer(_ choice: Choice) {
        guard isOpen else { return }
        if let withSecret = choice.withSecret, let secret {
            let typed = ui.gtk.editableGetText(secret).map { String(cString: $0) } ?? ""
            // Not left in the field for as long as the window lives.
            ui.gtk.editableSetText(secret, "")
            withSecret(typed)
        } else {
            choice.action()
        }
        close()
    }

    /// Also when the question went away unanswered (the technician withdrew it, the network dropped).
    func close() {
        guard isOpen else { return }
        isOpen = false
        ui.gtk.windowDestroy(window)
    }
}
