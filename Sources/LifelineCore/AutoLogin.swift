/// A one-boot automatic sign-in (M4): after a restart the technician asked for, the customer's
/// desktop comes back without anyone typing a password, so the applet can return. Only the display
/// managers Debian ships with a documented setting for it are handled (GDM and LightDM); their
/// settings name the account, never a password. Pure: the applet reads and writes the files.
public enum AutoLogin {
    public enum DisplayManager: String, Sendable, CaseIterable {
        case gdm, lightdm
    }

    /// The machine's display manager, from /etc/X11/default-display-manager (a program's path) or
    /// the target of display-manager.service; nil when it is none of those handled.
    public static func displayManager(defaultFile: String?, serviceTarget: String?) -> DisplayManager? {
        for source in [defaultFile, serviceTarget] {
            guard let text = source?.split(separator: "\n").first, let name = text.split(separator: "/").last else { continue }
            let program = name.hasSuffix(".service") ? name.dropLast(".service".count) : name
            switch program.trimmed {
            case "gdm", "gdm3": return .gdm
            case "lightdm": return .lightdm
            default: continue
            }
        }
        return nil
    }

    /// A Linux account name as `useradd` takes it: the setting names it on one line.
    public static func isAccountName(_ name: String) -> Bool {
        guard (1...32).contains(name.utf8.count), let first = name.unicodeScalars.first,
              first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-".unicodeScalars.contains($0) }
    }

    /// GDM's daemon.conf with automatic sign-in for `user` in its [daemon] section; every other
    /// line is kept as it was (the file is put back whole afterwards anyway).
    public static func gdmConfiguration(_ original: String, user: String) -> String {
        let settings = ["AutomaticLoginEnable=true", "AutomaticLogin=\(user)"]
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var section = ""
        lines.removeAll { line in
            let trimmed = line.trimmedOfSpaces
            if trimmed.hasPrefix("[") { section = trimmed }
            guard section == "[daemon]", let equals = trimmed.firstIndex(of: "=") else { return false }
            let key = String(trimmed[..<equals]).trimmedOfSpaces
            return key == "AutomaticLoginEnable" || key == "AutomaticLogin"
        }
        if let header = lines.firstIndex(where: { $0.trimmedOfSpaces == "[daemon]" }) {
            lines.insert(contentsOf: settings, at: header + 1)
        } else {
            lines.insert(contentsOf: ["[daemon]"] + settings + [""], at: 0)
        }
        return lines.joined(separator: "\n")
    }

    /// A LightDM drop-in (lightdm.conf.d) signing `user` in at once on every seat.
    public static func lightdmDropIn(user: String) -> String {
        """
        # Written by Lifeline for one restart the customer allowed; removed once they are signed in.
        [Seat:*]
        autologin-user=\(user)
        autologin-user-timeout=0

        """
    }
}
