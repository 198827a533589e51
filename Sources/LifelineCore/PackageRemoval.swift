/// Uninstalling an application (L4): which names may reach a package manager, and the argument
/// vector that removes one — a list of arguments, never a shell command line, and a name that
/// cannot be read as an option.
public enum PackageRemoval {
    public enum Source: String, Codable, Sendable, CaseIterable {
        case dpkg
        case rpm
        case flatpak
        case snap
    }

    /// A Debian package (`libfoo1`, `g++-12`, `libc6:i386`), an RPM package (`NetworkManager-wifi`,
    /// `python3.11`), a Flatpak application id (`org.gnome.Calculator`) or a snap (`hello-world`).
    public static func isValidName(_ name: String, source: Source) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, (2...255).contains(scalars.count), scalars.allSatisfy(\.isASCII) else { return false }
        let lower: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        switch source {
        case .dpkg:
            let parts = name.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, lower(first), parts[0].unicodeScalars.allSatisfy({ lower($0) || "+.-".unicodeScalars.contains($0) }) else {
                return false
            }
            return parts.count == 1 || (!parts[1].isEmpty && parts[1].unicodeScalars.allSatisfy { lower($0) || $0 == "-" })
        case .rpm:
            let allowed: (Unicode.Scalar) -> Bool = { lower($0) || ("A"..."Z").contains($0) || "._+-".unicodeScalars.contains($0) }
            return (lower(first) || ("A"..."Z").contains(first)) && scalars.allSatisfy(allowed)
        case .flatpak:
            let letter: (Unicode.Scalar) -> Bool = { lower($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "-" }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count >= 3 && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(letter) } && first != "-"
        case .snap:
            return scalars.count <= 40 && lower(first) && scalars.allSatisfy { lower($0) || $0 == "-" } && scalars.last != "-"
        }
    }

    /// Whether removing it needs root: a Debian or RPM package or a snap always; a Flatpak only when the
    /// applet runs as root (it then removes the machine's installation, otherwise the customer's).
    public static func needsRoot(_ source: Source) -> Bool {
        source != .flatpak
    }

    /// The program and arguments that remove `name`; `asRoot` picks the Flatpak installation.
    public static func command(for name: String, source: Source, asRoot: Bool) -> [String] {
        switch source {
        // dpkg, not apt: exactly this package goes, never the programs that depend on it (dpkg
        // refuses then), and an essential package is refused.
        case .dpkg: ["/usr/bin/dpkg", "--remove", name]
        // rpm --erase refuses too when another package needs it.
        case .rpm: ["/usr/bin/rpm", "--erase", name]
        case .flatpak: ["/usr/bin/flatpak", "uninstall", "--noninteractive", asRoot ? "--system" : "--user", name]
        case .snap: ["/usr/bin/snap", "remove", name]
        }
    }
}
