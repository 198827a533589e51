import Testing
@testable import LifelineApplet

@Suite("Local paths: what NSString's path methods did")
struct LocalPathsTests {
    @Test("last component, parent folder and extension")
    func paths() {
        let table: [(String, String, String)] = [
            ("/home/ann/report.pdf", "report.pdf", "/home/ann"),
            ("report.pdf", "report.pdf", "."),
            ("/report.pdf", "report.pdf", "/"),
            ("/home/ann/", "ann", "/home"),
            ("/", "/", "/"),
            ("a/b", "b", "a"),
        ]
        for (path, last, parent) in table {
            #expect(LocalPaths.lastComponent(path) == last, "\(path)")
            #expect(LocalPaths.parent(path) == parent, "\(path)")
        }
        #expect(LocalPaths.splitExtension("report.final.pdf") == ("report.final", "pdf"))
        #expect(LocalPaths.splitExtension(".bashrc") == (".bashrc", ""))
        #expect(LocalPaths.splitExtension("notes") == ("notes", ""))
        #expect(LocalPaths.splitExtension("trailing.") == ("trailing.", ""))
    }
}
