import LifelineCore
import Testing

/// The one-boot automatic sign-in (M4): which display manager, and the settings that name the account.
@Suite("One-boot automatic sign-in")
struct AutoLoginTests {
    @Test("the display manager from Debian's default file or the service's target; others are not handled", arguments: [
        ("/usr/sbin/gdm3\n", nil, AutoLogin.DisplayManager.gdm), (nil, "/lib/systemd/system/lightdm.service", .lightdm),
        ("/usr/bin/sddm\n", "/lib/systemd/system/sddm.service", nil), (nil, "/usr/lib/systemd/system/gdm.service", .gdm), (nil, nil, nil),
    ] as [(String?, String?, AutoLogin.DisplayManager?)])
    func detection(defaultFile: String?, target: String?, expected: AutoLogin.DisplayManager?) {
        #expect(AutoLogin.displayManager(defaultFile: defaultFile, serviceTarget: target) == expected)
    }

    @Test("GDM: the two settings under [daemon], old ones of the section replaced, everything else kept")
    func gdm() {
        let original = """
            # GDM configuration storage
            [daemon]
            # Uncomment the line below to force the login screen to use Xorg
            #WaylandEnable=false
            AutomaticLoginEnable = false
            AutomaticLogin = someone

            [security]
            AutomaticLogin=not-this-section

            """
        #expect(AutoLogin.gdmConfiguration(original, user: "ann") == """
            # GDM configuration storage
            [daemon]
            AutomaticLoginEnable=true
            AutomaticLogin=ann
            # Uncomment the line below to force the login screen to use Xorg
            #WaylandEnable=false

            [security]
            AutomaticLogin=not-this-section

            """)
        #expect(AutoLogin.gdmConfiguration("[security]\n", user: "ann") == "[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=ann\n\n[security]\n")
    }

    @Test("LightDM: a drop-in for every seat; account names as useradd takes them")
    func lightdmAndNames() {
        #expect(AutoLogin.lightdmDropIn(user: "ann").contains("[Seat:*]\nautologin-user=ann\nautologin-user-timeout=0\n"))
        #expect(AutoLogin.isAccountName("ann") && AutoLogin.isAccountName("_svc-1"))
        #expect(!AutoLogin.isAccountName("Ann") && !AutoLogin.isAccountName("a\nb") && !AutoLogin.isAccountName("")
                && !AutoLogin.isAccountName("1ann") && !AutoLogin.isAccountName(String(repeating: "a", count: 33)))
    }
}
