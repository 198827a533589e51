import LifelineCore
import Testing

/// A file name the gateway accepts can always be saved by the applet (NAME_MAX, with a copy number and its part file).
@Suite("File names")
struct FileTransferRulesTests {
    @Test("names up to 232 bytes are kept; longer ones are refused with the limit, before any byte is sent")
    func nameLength() throws {
        let longest = String(repeating: "é", count: 116)
        #expect(longest.utf8.count == 232)
        #expect(try FileTransferRules.safeName(longest) == longest)
        #expect(throws: FileTransferRules.Problem.nameTooLong) { try FileTransferRules.safeName(longest + "x") }
        #expect(FileTransferRules.describe(.nameTooLong) == "The file name is longer than 232 bytes.")
        // Beside 99,999 copies, the applet's part file (".<name> (99999).lifeline-part") still fits NAME_MAX.
        #expect(("." + longest + " (99999)" + ".lifeline-part").utf8.count <= 255)
    }

    @Test("paths, control characters and dot names cannot point outside the chosen folder")
    func safeNames() throws {
        #expect(try FileTransferRules.safeName("../../etc/passwd") == "passwd")
        #expect(try FileTransferRules.safeName("a\u{0}b\u{1B}.txt") == "ab.txt")
        // A right-to-left override would show "report\u{202E}gnp.exe" as "reportexe.png": removed, the real extension shows.
        #expect(try FileTransferRules.safeName("report\u{202E}gnp.exe") == "reportgnp.exe")
        #expect(try FileTransferRules.safeName("\u{2067}invoice\u{2069}\u{200F}.pdf\u{202D}") == "invoice.pdf")
        #expect(try FileTransferRules.safeName("family 👨‍👩‍👧.jpg") == "family 👨‍👩‍👧.jpg", "joiners in emoji stay")
        #expect(throws: FileTransferRules.Problem.badName) { try FileTransferRules.safeName("..") }
        #expect(throws: FileTransferRules.Problem.emptyName) { try FileTransferRules.safeName("/") }
    }
}
