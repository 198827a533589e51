import Testing
@testable import LifelineCore

/// The one-click launcher's text: what it runs, and nothing a PIN, a link or an address could slip in.
struct DesktopLauncherTests {
    let sha = String(repeating: "ab", count: 32)

    @Test func aPinLauncherFetchesChecksAndStartsTheApplet() throws {
        let entry = try #require(DesktopLauncher.entry(gateway: "https://support.example.com", credential: .pin("123456"), sha256: sha,
                                                       name: "Lifeline support (PIN 123456)"))
        #expect(entry.hasPrefix("[Desktop Entry]\nType=Application\n"))
        #expect(entry.contains("Name=Lifeline support (PIN 123456)\n"))
        #expect(entry.contains("Terminal=false\n"))
        let exec = try #require(entry.split(separator: "\n").first { $0.hasPrefix("Exec=") })
        #expect(exec.hasPrefix("Exec=sh -c \""))
        #expect(exec.contains("https://support.example.com/download/lifeline-applet"))
        #expect(exec.contains("echo \\\\\"\(sha)  \\\\$f\\\\\" | sha256sum -c --quiet"), "the download is checked before it runs")
        #expect(exec.contains("--gateway https://support.example.com --pin 123456 --remove-when-done"))
    }

    @Test func aLinkLauncherCarriesTheLink() throws {
        let entry = try #require(DesktopLauncher.entry(gateway: "http://127.0.0.1:8080", credential: .link("Abc_12-x"), sha256: sha, name: "L"))
        #expect(entry.contains("--link http://127.0.0.1:8080/c/Abc_12-x --remove-when-done"))
    }

    @Test(arguments: [
        DesktopLauncher.Credential.pin("12345"), .pin("1234567"), .pin("12a456"), .pin("١٢٣٤٥٦"),
        .link(""), .link("abc$(reboot)"), .link("a b"), .link("a\"b"), .link(String(repeating: "a", count: 129)),
    ])
    func onlyPlainCredentialsGetIn(credential: DesktopLauncher.Credential) {
        #expect(DesktopLauncher.entry(gateway: "https://support.example.com", credential: credential, sha256: sha, name: "L") == nil)
    }

    @Test(arguments: ["ftp://example.com", "https://example.com/$(id)", "https://exa mple.com", "https://example.com/\"", "https://example.com/%41"])
    func onlyPlainAddressesGetIn(gateway: String) {
        #expect(DesktopLauncher.entry(gateway: gateway, credential: .pin("123456"), sha256: sha, name: "L") == nil)
    }

    @Test func aBadChecksumIsRefused() {
        #expect(DesktopLauncher.entry(gateway: "https://example.com", credential: .pin("123456"), sha256: "xyz", name: "L") == nil)
    }

    /// The specification's quoting: " ` $ \ escaped, then every backslash doubled, then % doubled.
    @Test func execArgumentsAreQuotedAsTheSpecificationSays() {
        #expect(DesktopLauncher.execArgument(#"a"b$c\d%`e"#) == #""a\\"b\\$c\\\\d%%\\`e""#)
    }

    @Test func namesStayOnOneLine() {
        #expect(DesktopLauncher.entryText("a\nExec=rm -rf ~\\") == #"a Exec=rm -rf ~\\"#)
    }
}
