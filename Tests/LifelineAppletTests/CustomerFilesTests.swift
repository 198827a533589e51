import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineApplet

/// The customer's side of the file manager on a real folder: listings without following links,
/// in pages; walks that refuse links on the way; renames that never replace; deletes that stop
/// between two entries when the file manager closes.
@Suite("The customer's files (K1–K5) on a real folder")
struct CustomerFilesTests {
    let home: String
    let files: CustomerFiles

    init() throws {
        home = NSTemporaryDirectory() + "lifeline-files-\(UUID().uuidString)"
        let manager = FileManager.default
        try manager.createDirectory(atPath: home + "/many", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: home + "/outside", withIntermediateDirectories: true)
        try "hello".write(toFile: home + "/a.txt", atomically: true, encoding: .utf8)
        try "secret".write(toFile: home + "/.hidden", atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: home + "/link", withDestinationPath: home + "/outside")
        for index in 0..<1_200 { manager.createFile(atPath: home + "/many/f\(index)", contents: Data([1, 2, 3])) }
        files = CustomerFiles(home: home, mountInfo: "")
    }

    func path(_ names: String...) -> FileManagerPath { FileManagerPath(root: "home", names: names.map { Array($0.utf8) }) }

    /// The failure's code, nil when it went through.
    func code(_ body: () throws(FileManagerFailure) -> Void) -> String? {
        do { try body(); return nil } catch { return error.code }
    }

    func listing(_ place: FileManagerPath, hidden: Bool = false) throws(FileManagerFailure) -> [[FileManagerEntry]] {
        var pages: [[FileManagerEntry]] = []
        var last = false
        try files.list(place, hidden: hidden) { entries, done in
            pages.append(entries)
            last = done
        }
        #expect(last)
        return pages
    }

    @Test("entries read without following links; hidden ones on request; 500 a page")
    func list() throws {
        let entries = try listing(path()).flatMap { $0 }
        let byName = Dictionary(uniqueKeysWithValues: entries.map { (String(decoding: $0.name.bytes, as: UTF8.self), $0) })
        #expect(byName["a.txt"]?.kind == .file && byName["a.txt"]?.size == 5)
        #expect(byName["link"]?.kind == .symlink && byName["link"]?.target == WireFileName(home + "/outside"))
        #expect(byName["many"]?.kind == .folder)
        #expect(byName[".hidden"] == nil)
        #expect(try listing(path(), hidden: true).flatMap { $0 }.contains { $0.name == WireFileName(".hidden") })
        #expect(try listing(path("many")).map(\.count) == [500, 500, 200])
        #expect(files.roots.map(\.id) == ["home", "system"])
    }

    @Test("a link on the way is refused, not followed; a rename never replaces")
    func refusals() throws {
        #expect(code { () throws(FileManagerFailure) in _ = try listing(path("link")) } == "symlink_refused")
        #expect(code { () throws(FileManagerFailure) in try files.makeFolder(path("link", "planted")) } == "symlink_refused")
        #expect(!FileManager.default.fileExists(atPath: home + "/outside/planted"))
        try "other".write(toFile: home + "/b.txt", atomically: true, encoding: .utf8)
        #expect(code { () throws(FileManagerFailure) in try files.rename(path("b.txt"), to: Array("a.txt".utf8)) } == "exists")
        #expect(try String(contentsOfFile: home + "/a.txt", encoding: .utf8) == "hello")
        #expect(code { () throws(FileManagerFailure) in try files.rename(path("b.txt"), to: Array("../x".utf8)) } == "bad_name")
    }

    @Test("a delete stops between two entries when the file manager closes, and says how far it got")
    func deleteStops() throws {
        var asked = 0
        do {
            _ = try files.delete(path("many")) {
                asked += 1
                return asked > 10
            }
            Issue.record("the delete should have stopped")
        } catch {
            #expect(error.code == "stopped")
            #expect(error.message.hasPrefix("Stopped after removing 9 files"), "\(error.message)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: home + "/many").count
        #expect(left == 1_200 - 9)
        let removed = try files.delete(path("many"))
        #expect(removed == FileManagerReply.Removed(files: 1_191, folders: 1, bytes: 3 * 1_191))
        // A link is removed, its target stays.
        _ = try files.delete(path("link"))
        #expect(FileManager.default.fileExists(atPath: home + "/outside"))
    }
}
