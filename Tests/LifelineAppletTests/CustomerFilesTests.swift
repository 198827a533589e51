import Crypto
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
        (home, files) = try temporaryHome(folders: ["many", "outside"], texts: ["a.txt": "hello", ".hidden": "secret"])
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: home + "/link", withDestinationPath: home + "/outside")
        for index in 0..<1_200 { manager.createFile(atPath: home + "/many/f\(index)", contents: Data([1, 2, 3])) }
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

    @Test("a bundle's stream: each file's bytes in turn, exactly its announced size; a file that changed keeps its place, zero-filled, and fails")
    func bundleReader() throws {
        let manager = FileManager.default
        manager.createFile(atPath: home + "/b.txt", contents: Data("bye".utf8))
        manager.createFile(atPath: home + "/grew.txt", contents: Data("12".utf8))
        manager.createFile(atPath: home + "/empty", contents: Data())
        let announced = try [path("a.txt"), path("empty"), path("grew.txt"), path("b.txt")].map { place throws(FileManagerFailure) in
            BundleReader.Slot(path: place, size: try files.statForReading(place).size)
        }
        // Changed after it was announced: its two places are kept, the file after it is where it was.
        manager.createFile(atPath: home + "/grew.txt", contents: Data("1234".utf8))
        let reader = BundleReader(files: files, slots: announced, stop: StopFlag())
        var stream: [UInt8] = []
        while let piece = reader.next() { stream += piece.readableBytesView }
        #expect(stream == Array("hello".utf8) + [0, 0] + Array("bye".utf8))
        let results = reader.results
        let digest = { (text: String) -> (sha256: String, blocks: String) in
            var one = CopyDigest()
            Array(text.utf8).withUnsafeBytes { one.update(bufferPointer: $0) }
            return one.finalize()
        }
        #expect(results[0] == .transferred(size: 5, sha256: digest("hello").sha256, blocks: digest("hello").blocks))
        if case .transferred(0, let sha, _) = results[1] { #expect(sha == digest("").sha256) } else { Issue.record("\(results[1])") }
        if case .failed(let code, _) = results[2] { #expect(code == "changed") } else { Issue.record("\(results[2])") }
        if case .transferred(3, let sha, _) = results[3] { #expect(sha == digest("bye").sha256) } else { Issue.record("\(results[3])") }
        // Links and folders are not read, not even announced.
        #expect(code { () throws(FileManagerFailure) in _ = try files.statForReading(path("link")) } == "not_a_file")
        #expect(code { () throws(FileManagerFailure) in _ = try files.statForReading(path("many")) } == "not_a_file")
    }
}

/// Arriving files: written under a part name, then put in place with their mode and time by one
/// rename, as the conflict rule says; files read without following links.
@Suite("Copies on the customer's side (K3): part files, conflicts, links")
struct CustomerFileCopiesTests {
    let home: String
    let files: CustomerFiles

    init() throws {
        (home, files) = try temporaryHome(folders: ["folder"], texts: ["taken.txt": "old"])
    }

    func path(_ names: String...) -> FileManagerPath { FileManagerPath(root: "home", names: names.map { Array($0.utf8) }) }

    /// Writes `text` as an arriving file and finishes it with `conflict`; the name it took.
    func arrive(_ name: String, _ text: String, modified: Double, conflict: FileConflict) throws -> String? {
        let part = try files.openPart(path(name), resume: false)
        let bytes = Array(text.utf8)
        #expect(write(part.descriptor, bytes, bytes.count) == bytes.count)
        return try files.finish(part, mode: 0o640, modified: modified, conflict: conflict).map { String(decoding: $0, as: UTF8.self) }
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: home + "/" + name, encoding: .utf8) }

    @Test("a new file lands with its mode and time; nothing of the part file stays")
    func newFile() throws {
        #expect(try arrive("new.txt", "hello", modified: 1_700_000_000.5, conflict: .skip) == "new.txt")
        let attributes = try FileManager.default.attributesOfItem(atPath: home + "/new.txt")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        #expect(abs(((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) - 1_700_000_000.5) < 0.001)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).sorted() == ["folder", "new.txt", "taken.txt"])
    }

    @Test("conflicts: skip, keep newer, rename to a numbered copy, overwrite; never onto a folder")
    func conflicts() throws {
        #expect(try arrive("taken.txt", "skipped", modified: 1, conflict: .skip) == nil)
        #expect(try read("taken.txt") == "old")
        #expect(try arrive("taken.txt", "older", modified: 1, conflict: .keepNewer) == nil)
        #expect(try read("taken.txt") == "old")
        #expect(try arrive("taken.txt", "kept both", modified: 1, conflict: .rename) == "taken (2).txt")
        #expect(try arrive("taken.txt", "kept both again", modified: 1, conflict: .rename) == "taken (3).txt")
        #expect(try read("taken (3).txt") == "kept both again")
        #expect(try arrive("taken.txt", "newer", modified: Date().timeIntervalSince1970 + 3_600, conflict: .keepNewer) == "taken.txt")
        #expect(try read("taken.txt") == "newer")
        #expect(try arrive("taken.txt", "replaced", modified: 1, conflict: .overwrite) == "taken.txt")
        #expect(try read("taken.txt") == "replaced")
        #expect(throws: FileManagerFailure.self) { try arrive("folder", "not onto a folder", modified: 1, conflict: .overwrite) }
        #expect(CustomerFiles.numbered(Array(".bashrc".utf8), 2) == Array(".bashrc (2)".utf8))
        #expect(CustomerFiles.numbered(Array("archive".utf8), 4) == Array("archive (4)".utf8))
    }

    @Test("an interrupted copy resumes from what arrived; reading refuses links and folders; links are made as links")
    func resumeReadAndLinks() throws {
        let first = try files.openPart(path("big.bin"), resume: false)
        #expect(write(first.descriptor, [UInt8]([1, 2, 3]), 3) == 3)
        files.discard(first, keepForResume: true)
        let again = try files.openPart(path("big.bin"), resume: true)
        #expect(again.existing == 3)
        _ = lseek(again.descriptor, off_t(again.existing), SEEK_SET)
        #expect(write(again.descriptor, [UInt8]([4, 5]), 2) == 2)
        #expect(try files.finish(again, mode: 0o600, modified: 5, conflict: .skip) == Array("big.bin".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: home + "/big.bin")) == Data([1, 2, 3, 4, 5]))

        let opened = try files.openForReading(path("big.bin"))
        #expect(opened.size == 5 && opened.mode == 0o600 && opened.modified == 5)
        close(opened.descriptor)
        try files.makeLink(path("link"), target: Array((home + "/big.bin").utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: home + "/link") == home + "/big.bin")
        do { _ = try files.openForReading(path("link")); Issue.record("a link was followed") } catch { #expect(error.code == "symlink_refused") }
        do { _ = try files.openForReading(path("folder")); Issue.record("a folder was read") } catch { #expect(error.code == "not_a_file") }
    }

    func copy(_ name: String, conflict: FileConflict, from: Int64 = 0, size: Int64 = 5) -> IncomingCopy {
        IncomingCopy(path: WirePath(root: "home", names: [WireFileName(name)]), size: size, mode: 0o644, modified: 10, conflict: conflict, from: from)
    }

    @Test("before any byte moves: a taken name is reported, skipped or kept as the rule says; a resume starts after the bytes it matched")
    func preparingWrites() throws {
        guard case .taken(let entry) = try files.prepareWrite(path("taken.txt"), copy: copy("taken.txt", conflict: .ask)) else {
            Issue.record("a taken name was not reported"); return
        }
        #expect(entry.size == 3 && entry.kind == .file)
        guard case .notWanted = try files.prepareWrite(path("taken.txt"), copy: copy("taken.txt", conflict: .skip)) else {
            Issue.record("skip wrote"); return
        }
        // The file there is newer than the arriving one (time 10): kept.
        guard case .notWanted = try files.prepareWrite(path("taken.txt"), copy: copy("taken.txt", conflict: .keepNewer)) else {
            Issue.record("keep newer wrote over a newer file"); return
        }
        #expect(throws: FileManagerFailure.self) { try files.prepareWrite(path("folder"), copy: copy("folder", conflict: .overwrite)) }

        // Three bytes left by an interrupted copy: the probe names them, a resume hashes them first.
        let first = try files.openPart(path("part.bin"), resume: false)
        #expect(write(first.descriptor, [UInt8]([1, 2, 3]), 3) == 3)
        files.discard(first, keepForResume: true)
        let (size, left) = try files.partial(path("part.bin"))
        #expect(size == 3 && left.finalize().sha256 == "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81")
        guard case .ready(let part, var prefix) = try files.prepareWrite(path("part.bin"), copy: copy("part.bin", conflict: .ask, from: 3)) else {
            Issue.record("no part to resume"); return
        }
        #expect(write(part.descriptor, [UInt8]([4, 5]), 2) == 2)
        [UInt8]([4, 5]).withUnsafeBytes { prefix.update(bufferPointer: $0) }
        #expect(prefix.finalize().sha256 == "74f81fe167d99b4cb41d6d0ccda82278caee9f3e2f25d5e5a3936ff3dcec60d0")
        #expect(try files.finish(part, mode: 0o600, modified: 5, conflict: .ask) == Array("part.bin".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: home + "/part.bin")) == Data([1, 2, 3, 4, 5]))
        #expect(try files.partial(path("part.bin")).size == 0)

        // A resume past what is there is refused, and the stale part removed.
        let short = try files.openPart(path("short.bin"), resume: false)
        files.discard(short, keepForResume: true)
        #expect(throws: FileManagerFailure.self) { try files.prepareWrite(path("short.bin"), copy: copy("short.bin", conflict: .ask, from: 2)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).filter { $0.hasPrefix(".lifeline-part") }.isEmpty)
    }
}

@Suite("The block SHA-256 a browser checks copies with (K3)")
struct CopyDigestTests {
    /// SHA-256 of the SHA-256s of each 8 MiB block, however the bytes are cut on the way.
    @Test("the block list over 8 MiB blocks, cut anywhere; an empty file's is the empty hash")
    func blocks() {
        let size = CopyDigest.blockSize * 2 + 12_345
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var expected = SHA256()
        for start in stride(from: 0, to: size, by: CopyDigest.blockSize) {
            expected.update(data: Array(SHA256.hash(data: bytes[start..<min(size, start + CopyDigest.blockSize)])))
        }
        for cut in [4_093, 1_000_003, CopyDigest.blockSize] {
            var digest = CopyDigest()
            for start in stride(from: 0, to: size, by: cut) {
                bytes[start..<min(size, start + cut)].withUnsafeBytes { digest.update(bufferPointer: $0) }
            }
            let (sha256, blocks) = digest.finalize()
            #expect(sha256 == SHA256.hash(data: bytes).hexString)
            #expect(blocks == expected.finalize().hexString, "cut \(cut)")
        }
        let empty = CopyDigest().finalize()
        #expect(empty.sha256 == empty.blocks && empty.blocks == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

}

/// A fresh folder standing for the customer's home, with its folders and text files, and the
/// file manager's side rooted there.
func temporaryHome(folders: [String], texts: [String: String]) throws -> (String, CustomerFiles) {
    let home = NSTemporaryDirectory() + "lifeline-home-\(UUID().uuidString)"
    for folder in folders { try FileManager.default.createDirectory(atPath: home + "/" + folder, withIntermediateDirectories: true) }
    for (name, text) in texts { try text.write(toFile: home + "/" + name, atomically: true, encoding: .utf8) }
    return (home, CustomerFiles(home: home, mountInfo: ""))
}
