import Foundation
import Testing
import LifelineProtocol
@testable import LifelineApplet
import LifelineTestSupport

/// Installed applications (L4) from a fixture machine: dpkg's status with each package's file list
/// dating it, a Flatpak and a Snap by their `current` links.
@Suite("Installed applications (L4)")
struct ApplicationsReaderTests {
    @Test("Debian packages, Flatpaks and Snaps with version, size and install date")
    func fixtureMachine() throws {
        let base = NSTemporaryDirectory() + "lifeline-apps-\(UUID().uuidString)"
        let files = FileManager.default
        for folder in ["dpkg/info", "flatpak/org.gimp.GIMP/x86_64/stable", "snap/firefox/4173", "snap/bin"] {
            try files.createDirectory(atPath: "\(base)/\(folder)", withIntermediateDirectories: true)
        }
        try """
        Package: zlib1g
        Status: install ok installed
        Installed-Size: 164
        Architecture: amd64
        Version: 1:1.2.13.dfsg-1
        Description: compression library - runtime

        Package: gone
        Status: deinstall ok config-files
        Version: 1

        """.write(toFile: "\(base)/dpkg/status", atomically: true, encoding: .utf8)
        try "/usr/lib/x86_64-linux-gnu/libz.so.1\n".write(toFile: "\(base)/dpkg/info/zlib1g:amd64.list", atomically: true, encoding: .utf8)
        try files.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_764_000_000)], ofItemAtPath: "\(base)/dpkg/info/zlib1g:amd64.list")
        try files.createSymbolicLink(atPath: "\(base)/flatpak/org.gimp.GIMP/current", withDestinationPath: "x86_64/stable")
        try files.createSymbolicLink(atPath: "\(base)/snap/firefox/current", withDestinationPath: "4173")
        let reader = ApplicationsReader(dpkg: "\(base)/dpkg", flatpakFolders: ["\(base)/flatpak", "\(base)/none"], snaps: "\(base)/snap")
        let applications = reader.read()
        #expect(applications.map(\.name) == ["zlib1g", "org.gimp.GIMP", "firefox"])
        #expect(applications[0] == InstalledApplication(name: "zlib1g", version: "1:1.2.13.dfsg-1", source: "dpkg", size: 164 * 1_024,
                                                         installed: 1_764_000_000, summary: "compression library - runtime"))
        #expect(applications[1].version == "stable" && applications[1].source == "flatpak")
        #expect(applications[2].version == "4173" && applications[2].source == "snap")
    }

    @Test("a database read is kept while its files stay as they were; a change to a file, or to a file of a watched folder, reads it again")
    func remembered() throws {
        let base = NSTemporaryDirectory() + "lifeline-remembered-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base + "/db", withIntermediateDirectories: true)
        try "one".write(toFile: base + "/status", atomically: true, encoding: .utf8)
        try "a".write(toFile: base + "/db/packages.sqlite", atomically: false, encoding: .utf8)
        let remembered = RememberedPackages()
        var reads = 0
        func rows() -> [String] {
            remembered.rows(for: "test", files: [base + "/status"], folders: [base + "/db"]) {
                reads += 1
                return [InstalledApplication(name: "read \(reads)", version: "1", source: "dpkg")]
            }.map(\.name)
        }
        #expect(rows() == ["read 1"] && rows() == ["read 1"] && reads == 1)
        try "one, two".write(toFile: base + "/status", atomically: true, encoding: .utf8)
        #expect(rows() == ["read 2"] && rows() == ["read 2"])
        // A database written in place (SQLite): the file's size and time change, not the folder's.
        let handle = try #require(FileHandle(forWritingAtPath: base + "/db/packages.sqlite"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("bc".utf8))
        try handle.close()
        #expect(rows() == ["read 3"])
        // SQLite's shared-memory index, which readers write, is not a change.
        try "shared".write(toFile: base + "/db/packages.sqlite-shm", atomically: false, encoding: .utf8)
        #expect(rows() == ["read 4"]) // the folder itself changed: a new file
        try "shared, again".write(toFile: base + "/db/packages.sqlite-shm", atomically: false, encoding: .utf8)
        #expect(rows() == ["read 4"])
        // Nothing is kept for files that are missing.
        #expect(remembered.rows(for: "gone", files: [base + "/nothing"]) { [] }.isEmpty)
        #expect(RememberedPackages.stamp(files: [base + "/nothing"], folders: []) == nil)
    }

    @Test("rpm is asked only when one of its databases is there (Debian's rpm with nothing installed is not started), and told where")
    func rpmOnlyWithADatabase() throws {
        let base = NSTemporaryDirectory() + "lifeline-rpm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base + "/db", withIntermediateDirectories: true)
        // A stand-in rpm that leaves a mark each time it is started and lists one package.
        try """
        #!/bin/sh
        echo started "$1" "$2" >> "\(base)/started"
        printf 'hello\\t2.12-1\\t1024\\t1764000000\\tA greeting\\n'
        """.write(toFile: base + "/rpm", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: base + "/rpm")
        let reader = ApplicationsReader(dpkg: base + "/none", flatpakFolders: [], snaps: base + "/none", rpm: base + "/rpm",
                                        rpmDatabases: [base + "/db"])
        #expect(reader.read().isEmpty)
        try "a".write(toFile: base + "/db/lock", atomically: false, encoding: .utf8)
        #expect(reader.read().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: base + "/started"))
        try "a".write(toFile: base + "/db/rpmdb.sqlite", atomically: false, encoding: .utf8)
        #expect(reader.read().map(\.name) == ["hello"])
        // Told where the database is, and asked again only when it changed.
        #expect(reader.read().map(\.name) == ["hello"])
        #expect(try String(contentsOfFile: base + "/started", encoding: .utf8) == "started --dbpath \(base)/db\n")
    }

    @Test("this machine: as many Debian packages as dpkg-query says are installed")
    func liveMachine() throws {
        let text = String(decoding: try TestProgram.run("/usr/bin/dpkg-query", ["-W", "-f", "${db:Status-Status} ${Package}\\n"]).output, as: UTF8.self)
        let installed = Set(text.split(separator: "\n").filter { $0.hasPrefix("installed ") }.map { String($0.dropFirst(10)) })
        let ours = ApplicationsReader.forThisMachine().packages()
        #expect(Set(ours.map(\.name)) == installed && ours.count == installed.count)
    }
}
