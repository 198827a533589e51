import Testing
@testable import LifelineCore

/// XDG autostart's rules (L7): which entries start on this desktop, and turning one off or on
/// by `Hidden` in a user-level copy, every other line kept.
@Suite("Desktop entries for startup programs (L7)")
struct DesktopEntryTests {
    static let evolution = """
    [Desktop Entry]
    Type=Application
    Name=Evolution Alarm Notify
    Name[fr]=Notification d'alarme
    Exec=/usr/libexec/evolution-data-server/evolution-alarm-notify
    OnlyShowIn=GNOME;Unity;
    X-GNOME-Autostart-enabled=false

    [Desktop Action New]
    Exec=evolution --new
    """

    @Test("started or not, and why", arguments: [
        ("[Desktop Entry]\nExec=a\n", ["GNOME"], String?.none),
        ("[Desktop Entry]\nExec=a\nHidden=true\n", ["GNOME"], "hidden"),
        ("[Desktop Entry]\nExec=a\nHidden=false\n", ["GNOME"], nil),
        ("[Desktop Entry]\nExec=a\nOnlyShowIn=KDE;\n", ["GNOME"], "only_show_in"),
        ("[Desktop Entry]\nExec=a\nOnlyShowIn=KDE;XFCE;\n", ["ubuntu", "XFCE"], nil),
        ("[Desktop Entry]\nExec=a\nNotShowIn=GNOME;\n", ["GNOME"], "not_show_in"),
        (evolution, ["GNOME"], "disabled"),
        ("[Other]\nHidden=true\n[Desktop Entry]\nExec=a\n", ["GNOME"], nil),
    ])
    func started(text: String, desktops: [String], reason: String?) {
        #expect(DesktopEntry(text).reasonNotStarted(desktops: desktops) == reason)
    }

    @Test("the keys of the entry group only, localised ones left out")
    func parsed() {
        let entry = DesktopEntry(Self.evolution)
        #expect(entry.values["Name"] == "Evolution Alarm Notify" && entry.values["Exec"] == "/usr/libexec/evolution-data-server/evolution-alarm-notify")
        #expect(entry.values["Name[fr]"] == nil)
    }

    @Test("Hidden set in the entry group, everything else kept; GNOME's switch on again when shown")
    func hidden() {
        let off = DesktopEntry.settingHidden(true, in: Self.evolution)
        #expect(off.contains("X-GNOME-Autostart-enabled=false\nHidden=true\n\n[Desktop Action New]"), "\(off)")
        #expect(DesktopEntry(off).reasonNotStarted(desktops: ["GNOME"]) == "hidden")
        let on = DesktopEntry.settingHidden(false, in: off)
        #expect(on.contains("Hidden=false") && on.contains("X-GNOME-Autostart-enabled=true") && on.contains("Name[fr]=Notification d'alarme"))
        #expect(DesktopEntry(on).reasonNotStarted(desktops: ["GNOME"]) == nil)
        #expect(on.contains("[Desktop Action New]\nExec=evolution --new"))
        #expect(DesktopEntry.settingHidden(true, in: "[Desktop Entry]\nExec=a\n") == "[Desktop Entry]\nExec=a\nHidden=true\n")
    }

    @Test("names of autostart files", arguments: [
        ("org.gnome.Evolution-alarm-notify.desktop", true), ("a b.desktop", true), (".desktop", false), ("x.desktop/..", false),
        ("../x.desktop", false), ("x.txt", false), (".hidden.desktop", false),
    ])
    func names(name: String, valid: Bool) {
        #expect(DesktopEntry.isAutostartName(name) == valid)
    }
}
