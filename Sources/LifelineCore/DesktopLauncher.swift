#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one-click launcher the PIN and link pages offer on Linux (issue 16): a freedesktop.org
/// `.desktop` file that downloads the applet, checks its SHA-256, makes it executable and starts
/// it with the customer's PIN or link, so nobody types a command. Pure text; the gateway serves it.
public enum DesktopLauncher {
    /// What the launcher connects with: a six-digit PIN or a link's token (both checked by the caller's rules).
    public enum Credential: Equatable, Sendable {
        case pin(String)
        case link(String)

        /// Only characters the shell and the desktop entry treat as plain text get through.
        public var isPlain: Bool {
            switch self {
            case .pin(let pin): pin.count == 6 && pin.allSatisfy(\.isASCII) && pin.allSatisfy(\.isNumber)
            case .link(let token): !token.isEmpty && token.count <= 128
                && token.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)) }
            }
        }
    }

    /// The file; nil when the credential or the addresses are not plain enough to be quoted safely.
    public static func entry(gateway: String, credential: Credential, sha256: String, name: String) -> String? {
        guard credential.isPlain, isPlainURL(gateway), sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else { return nil }
        let flag = switch credential {
        case .pin(let pin): "--pin \(pin)"
        case .link(let token): "--link \(gateway)/c/\(token)"
        }
        // POSIX sh; the applet lands in the user's cache, is checked, runs, and removes itself.
        let script = [
            #"d="${XDG_CACHE_HOME:-$HOME/.cache}/lifeline" && mkdir -p "$d" && f="$d/lifeline-applet-$$""#,
            #"(curl -fsSL --compressed "\#(gateway)/download/lifeline-applet" -o "$f" || wget -qO "$f" "\#(gateway)/download/lifeline-applet")"#,
            #"{ echo "\#(sha256)  $f" | sha256sum -c --quiet || { rm -f "$f"; exit 1; }; }"#,
            #"chmod 700 "$f" && exec "$f" --gateway \#(gateway) \#(flag) --remove-when-done"#,
        ].joined(separator: " && ")
        return """
            [Desktop Entry]
            Type=Application
            Version=1.0
            Name=\(entryText(name))
            Comment=\(entryText("Lifeline remote support: \(gateway)"))
            Icon=help-browser
            Terminal=false
            Exec=sh -c \(execArgument(script))

            """
    }

    /// An argument of Exec, quoted as the Desktop Entry Specification says: in double quotes,
    /// with " ` $ \ escaped by a backslash, then the string escape (\ → \\), and % doubled.
    static func execArgument(_ argument: String) -> String {
        var quoted = ""
        for character in argument {
            if "\"`$\\".contains(character) { quoted += "\\" }
            quoted.append(character)
        }
        return ("\"" + quoted + "\"").replacing("\\", with: "\\\\").replacing("%", with: "%%")
    }

    /// A localestring value: one line, with the specification's escapes.
    static func entryText(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\n", with: " ").replacing("\r", with: " ")
    }

    /// http(s)://host[:port][/path] with nothing a shell or an entry could read otherwise.
    static func isPlainURL(_ url: String) -> Bool {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else { return false }
        return url.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ":/.-_[]".unicodeScalars.contains(scalar))
        }
    }
}
