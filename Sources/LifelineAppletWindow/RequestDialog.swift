/// A question from the technician (screen, file, Calling Card): a small window above the others, naming who asks and what it allows, with one button per answer. Closing it answers
/// with the last button (the refusal). GTK thread only.
final class RequestDialog {
    private let ui: GTKThread
    private let window: GTK.Object?
    private var isOpen = true

    struct Choice {
        let mnemonic: String
        let classes: [String]
        let action: () -> Void
    }

    init(ui: GTKThread, title: String, heading: String, body: String, choices: [Choice]) {
        self.ui = ui
        window = ui.window(title: title, width: 440, height: 1)
        let buttons = choices.map { choice in
            ui.button(choice.mnemonic, classes: choice.classes) { [weak self] in self?.answer(choice.action) }
        }
        let content = ui.box(.vertical, spacing: 12, classes: ["dialog"], [
            ui.label(heading, classes: ["dialog-heading"]),
            ui.label(body),
            ui.box(.horizontal, spacing: 8, classes: ["buttons"], buttons),
        ])
        ui.gtk.windowSetChild(window, content)
        ui.onCloseRequest(window) { [weak self] in
            if let refuse = choices.last { self?.answer(refuse.action) }
        }
        ui.gtk.windowPresent(window)
        LifelineAppletWindow.keepAbove(window, true, ui: ui)
        // The first choice (the one asked for) has the keyboard; Alt and a letter picks any.
        _ = ui.gtk.widgetGrabFocus(buttons.first ?? nil)
    }

    private func answer(_ action: () -> Void) {
        guard isOpen else { return }
        action()
        close()
    }

    /// Also when the question went away unanswered (the technician withdrew it, the network dropped).
    func close() {
        guard isOpen else { return }
        isOpen = false
        ui.gtk.windowDestroy(window)
    }
}
