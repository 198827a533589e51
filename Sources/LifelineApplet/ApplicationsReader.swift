#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol

/// The installed applications view (L4): Debian packages from dpkg's status file (installed or
/// upgraded when their file list last changed), RPM packages where rpm is (its own query: the
/// database's format is rpm's business), Flatpaks (the machine's and the customer's) and Snaps,
/// read from their folders. Read-only.
struct ApplicationsReader: Sendable {
    var dpkg = "/var/lib/dpkg"
    var flatpakFolders: [String]
    var snaps = "/snap"
    var rpm = "/usr/bin/rpm"
    /// Where rpm keeps its database: Fedora's newer place, the older, and (`forThisMachine`) Debian's
    /// rpm's, whose macros put it in the user's home.
    var rpmDatabases = ["/usr/lib/sysimage/rpm", "/var/lib/rpm"]
    /// The files of rpm's sqlite, ndb and Berkeley DB databases.
    static let rpmDatabaseFiles = ["rpmdb.sqlite", "Packages.db", "Packages"]

    static func forThisMachine() -> ApplicationsReader {
        let home = getenv("HOME").map { String(cString: $0) } ?? ""
        var reader = ApplicationsReader(flatpakFolders: ["/var/lib/flatpak/app", "\(home)/.local/share/flatpak/app"])
        if !home.isEmpty { reader.rpmDatabases.append("\(home)/.rpmdb") }
        return reader
    }

    /// The first of `rpmDatabases` holding a database, when rpm is on this machine.
    func rpmDatabase() -> String? {
        guard access(rpm, X_OK) == 0 else { return nil }
        return rpmDatabases.first { folder in Self.rpmDatabaseFiles.contains { access("\(folder)/\($0)", F_OK) == 0 } }
    }

    func read() -> [InstalledApplication] {
        let reader = self
        let remembered = RememberedPackages.shared
        let rpmDatabase = rpmDatabase()
        // rpm answers from its own process on another thread while dpkg's file is parsed here.
        let (rpmRows, debian) = alongside({
            // Without a database (Debian's rpm package, nothing installed with it) rpm is not
            // started: nothing to list. A database's files change in place: each is watched.
            rpmDatabase.map { database in
                remembered.rows(for: "rpm \(reader.rpm) \(database)", files: [reader.rpm], folders: [database]) { reader.rpmPackages(in: database) }
            } ?? []
        }, {
            // dpkg rewrites its status file and renames new file lists into info/ (which changes the folder).
            remembered.rows(for: "dpkg \(dpkg)", files: ["\(dpkg)/status", "\(dpkg)/info"]) { packages() }
        })
        return debian + rpmRows + flatpaks() + snapPackages()
    }

    func packages() -> [InstalledApplication] {
        // Each package's file list dates it: the info folder's lists are looked at on another
        // thread while the status file is parsed on this one.
        let info = "\(dpkg)/info"
        let (times, installed) = alongside({ Self.fileListTimes(in: info) }, {
            LocalText.bytes("\(dpkg)/status", limit: 64 << 20).map { DpkgStatus.installed($0) } ?? []
        })
        return installed.map { package in
            // By the name dpkg gives the list, the other name tried after.
            var other = package
            other.perArchitecture.toggle()
            return InstalledApplication(name: package.name, version: package.version, source: "dpkg", size: package.installedKiB.map { $0 * 1_024 },
                                        installed: times[package.fileList] ?? times[other.fileList], summary: package.summary)
        }
    }

    /// The modification time of each `*.list` file in dpkg's info folder, by name.
    static func fileListTimes(in folder: String) -> [String: Double] {
        guard let listing = opendir(folder) else { return [:] }
        defer { closedir(listing) }
        let descriptor = dirfd(listing)
        var times: [String: Double] = [:]
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasSuffix(".list"), let time = modified(name, in: descriptor) else { continue }
            times[name] = time
        }
        return times
    }

    /// What `rpm --query --all` says of `database` (named, rpm does not work out where it is: on
    /// Debian, by starting a shell).
    func rpmPackages(in database: String) -> [InstalledApplication] {
        guard let output = ChildProcess.output(of: rpm, ["--dbpath", database] + RpmQuery.arguments) else { return [] }
        return RpmQuery.packages(output).map { package in
            InstalledApplication(name: package.name, version: package.version, source: "rpm", size: package.size, installed: package.installed,
                                 summary: package.summary)
        }
    }

    /// `<folder>/<app id>/current` → `<arch>/<branch>`: one row per app, its branch as version.
    func flatpaks() -> [InstalledApplication] {
        flatpakFolders.flatMap { folder in
            SystemInfoReader.names(in: folder).compactMap { id -> InstalledApplication? in
                guard let target = Self.link("\(folder)/\(id)/current") else { return nil }
                return InstalledApplication(name: id, version: String(target.split(separator: "/").last ?? ""), source: "flatpak",
                                            installed: Self.modified("\(folder)/\(id)/current"))
            }
        }
    }

    /// `/snap/<name>/current` → its revision.
    func snapPackages() -> [InstalledApplication] {
        SystemInfoReader.names(in: snaps).compactMap { name -> InstalledApplication? in
            guard name != "bin", let revision = Self.link("\(snaps)/\(name)/current") else { return nil }
            return InstalledApplication(name: name, version: revision, source: "snap", installed: Self.modified("\(snaps)/\(name)/current"))
        }
    }

    static func modified(_ path: String, in folder: Int32 = AT_FDCWD) -> Double? {
        var status = stat()
        guard fstatat(folder, path, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1_000_000_000
    }

    static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4_096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
