import LifelineApplet
import LifelineProtocol

/// Who is asking, first (the anti-scam check): the technician's initials and name, the
/// organisation, and that the gateway at this address vouches for both. GTK thread only.
final class IdentityCard {
    private let ui: GTKThread
    private let text: AppletText
    private let gatewayHost: String
    private let initials: GTK.Object?
    private let name: GTK.Object?
    private let organisation: GTK.Object?
    private let vouched: GTK.Object?
    let root: GTK.Object?

    init(ui: GTKThread, text: AppletText, gatewayHost: String) {
        self.ui = ui
        self.text = text
        self.gatewayHost = gatewayHost
        initials = ui.label("", classes: ["avatar"], wrap: false)
        ui.gtk.labelSetXAlign(initials, 0.5)
        ui.gtk.widgetSetHAlign(initials, GTK.Align.start.rawValue)
        name = ui.label(text("window.connecting"), classes: ["technician-name"], selectable: true)
        organisation = ui.label("", classes: ["organisation"], selectable: true)
        vouched = ui.label("", classes: ["vouched"])
        let words = ui.box(.vertical, spacing: 2, [name, organisation])
        ui.expand(words, horizontally: true)
        root = ui.box(.vertical, spacing: 8, classes: ["identity"], [
            ui.box(.horizontal, spacing: 12, [initials, words]),
            vouched,
        ])
    }

    func show(_ invitation: Invitation) {
        let organisationName = Transcript.clean(invitation.organisation)
        technician(invitation.technicianName, organisation: organisationName)
        ui.gtk.labelSetText(organisation, organisationName)
    }

    /// A transfer changes who helps; the organisation stays.
    func technician(_ technicianName: String, organisation organisationName: String? = nil) {
        let clean = Transcript.clean(technicianName)
        ui.gtk.labelSetText(name, clean.isEmpty ? text("your_technician") : clean)
        ui.gtk.labelSetText(initials, Self.initials(of: clean))
        if let organisationName {
            ui.gtk.labelSetText(vouched, text(clean.isEmpty ? "window.vouched_channel" : "window.vouched",
                                              ["gateway": gatewayHost, "technician": clean, "organisation": organisationName]))
        }
    }

    /// "Alice Martin" → "AM"; one word → its first letter; nobody yet → "?".
    static func initials(of name: String) -> String {
        let words = name.split(whereSeparator: { $0.isWhitespace })
        let letters = [words.first, words.count > 1 ? words.last : nil].compactMap { $0?.first.map(String.init) }
        return letters.isEmpty ? "?" : letters.joined().uppercased()
    }
}
