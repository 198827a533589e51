import LifelineApplet
import Testing

/// The terminal's lines and the window's buttons mean the same commands.
struct CustomerCommandTests {
    @Test(arguments: [
        ("/quit", CustomerCommand.quit), ("/allow", .allowRemote), ("/deny", .denyRemote), ("/stop", .stopRemote),
        ("/revoke", .stopEverything), ("/install", .installCard), ("/skip", .skipCard), ("/refuse", .refuseFile),
        ("/save", .saveFile(folder: "")), ("/save  ~/Documents ", .saveFile(folder: "~/Documents")),
        ("/send /tmp/report.txt", .sendFile(path: "/tmp/report.txt")), ("  hello there ", .chat("hello there")),
        ("/unknown", .chat("/unknown")), ("/allow unattended", .allowUnattended), ("/revoke unattended", .revokeUnattended),
    ])
    func aLineIsACommand(line: String, command: CustomerCommand) {
        #expect(CustomerCommand(line: line) == command)
    }

    @Test func anEmptyLineIsNothing() {
        #expect(CustomerCommand(line: "   ") == nil)
    }

    /// An elevated copy of the applet reads the window's commands as lines (J3).
    @Test(arguments: [
        CustomerCommand.quit, .allowRemote, .denyRemote, .stopRemote, .stopEverything, .installCard, .skipCard, .refuseFile,
        .saveFile(folder: ""), .saveFile(folder: "/home/ann/Desktop"), .sendFile(path: "/tmp/a b.txt"), .chat("merci"),
        .allowUnattended, .denyUnattended, .revokeUnattended,
    ])
    func everyCommandSurvivesItsLine(command: CustomerCommand) {
        #expect(CustomerCommand(line: command.line) == command)
    }

    /// The window's password field reaches an elevated copy as the line after `/allow unattended`,
    /// which that copy takes as the password while it waits for one.
    @Test func aPasswordIsItsOwnLine() {
        #expect(CustomerCommand.unattendedPassword("s3cret word").line == "s3cret word")
    }
}
