import LifelineApplet

/// What the technician may do on this computer right now, each with a button to take it back
/// (issue 16); empty, it says so. GTK thread only.
final class PermissionsPanel {
    enum Grant: CaseIterable {
        case control, view, recording, files, script, administrator, unattended

        var textKey: String {
            switch self {
            case .control: "window.grant_control"
            case .view: "window.grant_view"
            case .recording: "window.grant_recording"
            case .files: "window.grant_files"
            case .script: "window.grant_script"
            case .administrator: "window.grant_administrator"
            case .unattended: "window.grant_unattended"
            }
        }
    }

    private let ui: GTKThread
    private let text: AppletText
    private let revoke: (Grant) -> Void
    private let heading: GTK.Object?
    private let nothing: GTK.Object?
    private let list: GTK.Object?
    private var rows: [Grant: GTK.Object?] = [:]
    let root: GTK.Object?

    init(ui: GTKThread, text: AppletText, revoke: @escaping (Grant) -> Void) {
        self.ui = ui
        self.text = text
        self.revoke = revoke
        heading = ui.label("", classes: ["section-heading"])
        nothing = ui.label(text("window.nothing_granted"), classes: ["muted"])
        list = ui.box(.vertical, spacing: 4, [])
        root = ui.box(.vertical, spacing: 4, classes: ["permissions"], [heading, nothing, list])
    }

    var granted: [Grant] { Grant.allCases.filter { rows[$0] != nil } }

    func technician(_ name: String) {
        ui.gtk.labelSetText(heading, text("window.permissions", ["technician": name]))
    }

    func grant(_ grant: Grant, technician: String) {
        guard rows[grant] == nil else { return }
        let description = ui.label(text(grant.textKey, ["technician": technician]))
        ui.expand(description, horizontally: true)
        // Administrator rights end with the session (J3): the copy running as root cannot be called back.
        let button = grant == .administrator ? nil : ui.button(text("window.revoke"), classes: ["revoke"]) { [weak self] in
            self?.revoke(grant)
        }
        let row = ui.box(.horizontal, spacing: 8, classes: ["grant"], [description] + (button.map { [$0] } ?? []))
        ui.gtk.boxAppend(list, row)
        rows[grant] = row
        ui.setVisible(nothing, false)
    }

    func take(_ grants: [Grant]) {
        for grant in grants {
            guard let row = rows.removeValue(forKey: grant) else { continue }
            ui.gtk.boxRemove(list, row)
        }
        ui.setVisible(nothing, rows.isEmpty)
    }
}
