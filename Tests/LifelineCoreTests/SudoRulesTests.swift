import LifelineCore
import Testing

/// The sudo rules that apply to an account (L5), read as sudo reads /etc/sudoers.
@Suite("Sudo rules")
struct SudoRulesTests {
    static let sudoers = """
        # /etc/sudoers
        Defaults\tenv_reset
        Defaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
        User_Alias  PRINTING = tess, %lpadmin : NOBODY = ghost
        Cmnd_Alias  QUEUE = /usr/bin/cancel, /usr/sbin/cupsenable

        root\tALL=(ALL:ALL) ALL
        %sudo   ALL=(ALL:ALL) ALL   # members of sudo
        PRINTING ALL = (root) NOPASSWD: QUEUE
        alice, bob  ALL = (root) /usr/bin/apt-get update, \\
                          /usr/bin/apt-get upgrade
        ALL, !tess ALL = /usr/bin/id
        #1000 ALL = /usr/bin/true

        @includedir /etc/sudoers.d
        #include /etc/sudoers.local
        """

    @Test("rules, user aliases and includes are read; comments, Defaults and other aliases left out; continuations joined")
    func parse() {
        let file = SudoRules.parse(Self.sudoers)
        #expect(file.rules == ["root ALL=(ALL:ALL) ALL", "%sudo ALL=(ALL:ALL) ALL", "PRINTING ALL = (root) NOPASSWD: QUEUE",
                               "alice, bob ALL = (root) /usr/bin/apt-get update, /usr/bin/apt-get upgrade",
                               "ALL, !tess ALL = /usr/bin/id", "#1000 ALL = /usr/bin/true"])
        #expect(file.userAliases == ["PRINTING": ["tess", "%lpadmin"], "NOBODY": ["ghost"]])
        #expect(file.includeDirectories == ["/etc/sudoers.d"] && file.includes == ["/etc/sudoers.local"])
    }

    @Test("the rules naming the account, its groups, an alias holding them, or ALL (unless taken back)", arguments: [
        ("tess", ["tess", "lpadmin"], ["PRINTING ALL = (root) NOPASSWD: QUEUE"]),
        ("olga", ["olga", "lpadmin", "sudo"], ["%sudo ALL=(ALL:ALL) ALL", "PRINTING ALL = (root) NOPASSWD: QUEUE", "ALL, !tess ALL = /usr/bin/id"]),
        ("bob", ["bob"], ["alice, bob ALL = (root) /usr/bin/apt-get update, /usr/bin/apt-get upgrade", "ALL, !tess ALL = /usr/bin/id"]),
        ("root", ["root"], ["root ALL=(ALL:ALL) ALL", "ALL, !tess ALL = /usr/bin/id"]),
    ])
    func applying(_ user: String, _ groups: [String], _ expected: [String]) {
        #expect(SudoRules.applying(to: user, groups: groups, in: [SudoRules.parse(Self.sudoers)]) == expected)
    }

    @Test("an alias defined in one file serves the rules of another; aliases naming aliases resolve, without looping")
    func aliasesAcrossFiles() {
        let base = SudoRules.parse("User_Alias DESK = LEVEL1\nUser_Alias LEVEL1 = %helpdesk, DESK\n")
        let extra = SudoRules.parse("DESK ALL = /usr/bin/systemctl restart cups\n")
        #expect(SudoRules.applying(to: "hana", groups: ["helpdesk"], in: [base, extra]) == ["DESK ALL = /usr/bin/systemctl restart cups"])
        #expect(SudoRules.applying(to: "ivan", groups: ["ivan"], in: [base, extra]) == [])
    }
}
