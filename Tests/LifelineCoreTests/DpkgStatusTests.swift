import Testing
@testable import LifelineCore

/// dpkg's status file: installed packages only, with version, architecture, size and summary;
/// continuation lines and removed packages left out; where each one's file list is.
@Suite("Installed packages from dpkg's status (L4)")
struct DpkgStatusTests {
    @Test("installed stanzas only, their fields; continuation lines ignored")
    func installed() {
        let text = """
        Package: adduser
        Status: install ok installed
        Installed-Size: 686
        Architecture: all
        Version: 3.134
        Conffiles:
         /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18
        Description: add and remove users and groups
         This package includes the 'adduser' and 'deluser' commands.
         .

        Package: oldthing
        Status: deinstall ok config-files
        Version: 1.0

        Package: zlib1g
        Status: install ok installed
        Multi-Arch: same
        Architecture: amd64
        Version: 1:1.2.13.dfsg-1
        Description: compression library - runtime
        """
        #expect(DpkgStatus.installed(text) == [
            .init(name: "adduser", version: "3.134", architecture: "all", installedKiB: 686, summary: "add and remove users and groups"),
            .init(name: "zlib1g", version: "1:1.2.13.dfsg-1", architecture: "amd64", installedKiB: nil, summary: "compression library - runtime",
                  perArchitecture: true),
        ])
        #expect(DpkgStatus.installed(text).map(\.fileList) == ["adduser.list", "zlib1g:amd64.list"])
        #expect(DpkgStatus.installed("") == [])
    }

    @Test("fields named like the ones read are not taken for them; tabs continue lines; blank lines between stanzas may repeat")
    func lookalikes() {
        let text = "\n\nPackage-Type: udeb\nPackage: a\nStatus: install ok installed\nStatus-Note: x\nVersions: 9\nVersion: 1\n"
            + "Description-md5: 0123\nDescription: first line\n\tsecond line\nPre-Depends: b\nMulti-Arch: foreign\n\n\n"
            + "Package: c\nStatus: install ok installed\nVersion: 2"
        #expect(DpkgStatus.installed(text) == [
            .init(name: "a", version: "1", architecture: "", installedKiB: nil, summary: "first line"),
            .init(name: "c", version: "2", architecture: "", installedKiB: nil, summary: ""),
        ])
    }
}
