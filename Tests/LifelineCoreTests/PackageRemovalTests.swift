import LifelineCore
import Testing

/// Uninstalling (L4): only package names reach a package manager, never an option, and the
/// command removes exactly one package.
@Suite("Package removal")
struct PackageRemovalTests {
    @Test("names each package manager knows are accepted", arguments: [
        ("libfoo1", PackageRemoval.Source.dpkg), ("NetworkManager-wifi", .rpm), ("python3.11", .rpm), ("g++-12", .dpkg), ("libc6:i386", .dpkg), ("python3.11", .dpkg),
        ("org.gnome.Calculator", .flatpak), ("com.example.My_App-2", .flatpak), ("hello-world", .snap), ("core22", .snap),
    ])
    func accepted(_ name: String, _ source: PackageRemoval.Source) {
        #expect(PackageRemoval.isValidName(name, source: source))
    }

    @Test("options, paths, spaces and other shapes are refused", arguments: [
        ("--force-all", PackageRemoval.Source.dpkg), ("--nodeps", .rpm), ("a b", .rpm), ("x/../y", .rpm), ("-r", .dpkg), ("Foo", .dpkg), ("a", .dpkg), ("foo bar", .dpkg), ("../x", .dpkg),
        ("foo:", .dpkg), ("foo:i386:x", .dpkg), ("fóo", .dpkg), ("org.gnome", .flatpak), ("-org.gnome.App", .flatpak), ("org..App", .flatpak),
        ("org/gnome/App", .flatpak), ("Hello", .snap), ("hello-", .snap), ("--purge", .snap), (String(repeating: "a", count: 41), .snap),
    ])
    func refused(_ name: String, _ source: PackageRemoval.Source) {
        #expect(!PackageRemoval.isValidName(name, source: source))
    }

    @Test("the command removes exactly the package, with no shell")
    func commands() {
        #expect(PackageRemoval.command(for: "cowsay", source: .dpkg, asRoot: true) == ["/usr/bin/dpkg", "--remove", "cowsay"])
        #expect(PackageRemoval.command(for: "org.gnome.Calculator", source: .flatpak, asRoot: false)
            == ["/usr/bin/flatpak", "uninstall", "--noninteractive", "--user", "org.gnome.Calculator"])
        #expect(PackageRemoval.command(for: "hello-world", source: .snap, asRoot: true) == ["/usr/bin/snap", "remove", "hello-world"])
        #expect(PackageRemoval.command(for: "htop", source: .rpm, asRoot: true) == ["/usr/bin/rpm", "--erase", "htop"])
        #expect(PackageRemoval.needsRoot(.dpkg) && PackageRemoval.needsRoot(.snap) && !PackageRemoval.needsRoot(.flatpak))
    }
}

@Suite("RPM query")
struct RpmQueryTests {
    @Test("rpm's lines become packages by name; the signing keys rpm lists as packages are left out")
    func parse() {
        let output = "zsh\t5.9-6.fc40\t8437193\t1714000000\tPowerful interactive shell\n"
            + "gpg-pubkey\tabc-def\t0\t1714000000\tgpg(Fedora)\n"
            + "bash\t5.2.26-3.fc40\t8211367\t1713000000\tThe GNU Bourne Again shell\twith a tab\n"
        #expect(RpmQuery.packages(output) == [
            .init(name: "bash", version: "5.2.26-3.fc40", size: 8_211_367, installed: 1_713_000_000, summary: "The GNU Bourne Again shell\twith a tab"),
            .init(name: "zsh", version: "5.9-6.fc40", size: 8_437_193, installed: 1_714_000_000, summary: "Powerful interactive shell"),
        ])
    }
}
