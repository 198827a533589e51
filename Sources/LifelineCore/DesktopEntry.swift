/// A freedesktop.org desktop entry (`.desktop` file), as XDG autostart reads it (L7): the keys of
/// its `[Desktop Entry]` group, and whether it starts with this desktop. Pure: the applet reads
/// and writes the files.
public struct DesktopEntry: Equatable, Sendable {
    /// The `[Desktop Entry]` group's keys (localised ones like `Name[fr]` left out).
    public var values: [String: String]

    public init(_ text: String) {
        var values: [String: String] = [:]
        var inEntry = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmedOfSpaces
            if trimmed.hasPrefix("[") {
                inEntry = trimmed == "[Desktop Entry]"
                continue
            }
            guard inEntry, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmedOfSpaces
            guard !key.contains("["), values[key] == nil else { continue }
            values[key] = trimmed[trimmed.index(after: equals)...].trimmedOfSpaces
        }
        self.values = values
    }

    private func flag(_ key: String) -> Bool { values[key]?.lowercased() == "true" }

    private func list(_ key: String) -> [String] {
        (values[key] ?? "").split(separator: ";", omittingEmptySubsequences: true).map { String($0) }
    }

    /// Why it does not start on a desktop named by `desktops` (XDG_CURRENT_DESKTOP's names), nil
    /// when it does: `hidden`, `disabled` (GNOME's own switch), `only_show_in`, `not_show_in`.
    public func reasonNotStarted(desktops: [String]) -> String? {
        if flag("Hidden") { return "hidden" }
        if values["X-GNOME-Autostart-enabled"]?.lowercased() == "false" { return "disabled" }
        let only = list("OnlyShowIn")
        if !only.isEmpty, !only.contains(where: desktops.contains) { return "only_show_in" }
        if list("NotShowIn").contains(where: desktops.contains) { return "not_show_in" }
        return nil
    }

    /// The file's text with `Hidden` set in its `[Desktop Entry]` group (and GNOME's switch turned
    /// on when showing it again), every other line kept as it was.
    public static func settingHidden(_ hidden: Bool, in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var inEntry = false
        var entryEnd: Int?
        var found = false
        for index in lines.indices {
            let trimmed = lines[index].trimmedOfSpaces
            if trimmed.hasPrefix("[") {
                if inEntry, entryEnd == nil { entryEnd = index }
                inEntry = trimmed == "[Desktop Entry]"
                continue
            }
            guard inEntry else { continue }
            if trimmed.hasPrefix("Hidden=") || trimmed.hasPrefix("Hidden =") {
                lines[index] = "Hidden=\(hidden)"
                found = true
            } else if !hidden, trimmed.hasPrefix("X-GNOME-Autostart-enabled") {
                lines[index] = "X-GNOME-Autostart-enabled=true"
            }
        }
        if !found {
            if let groupStart = lines.firstIndex(where: { $0.trimmedOfSpaces == "[Desktop Entry]" }) {
                let end = entryEnd ?? lines.count
                // After the group's last key, before blank lines and the next group.
                var insertAt = end
                while insertAt > groupStart + 1, lines[insertAt - 1].trimmedOfSpaces.isEmpty { insertAt -= 1 }
                lines.insert("Hidden=\(hidden)", at: insertAt)
            } else {
                lines += ["[Desktop Entry]", "Hidden=\(hidden)"]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A name a file of an autostart folder may have: `name.desktop`, no path.
    public static func isAutostartName(_ name: String) -> Bool {
        name.hasSuffix(".desktop") && name.count > 8 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
            && name.utf8.count <= 255 && !name.contains("\n")
    }
}
