import Foundation
import Glibc
@testable import LifelineApplet
import Testing

/// The login records as glibc itself writes them (pututxline into a file of the test's own), and
/// the notice written on a real pseudo-terminal, read back from its other side.
@Suite("Signed-in users and the notice on their terminals (F5)", .serialized)
struct LoginRecordsTests {
    /// glibc functions Swift's Glibc module leaves out (GNU and XSI extensions), found by name.
    static func libc<T>(_ name: String, as type: T.Type) -> T {
        unsafeBitCast(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)!, to: type)
    }

    static let utmpxname = libc("utmpxname", as: (@convention(c) (UnsafePointer<CChar>) -> Int32).self)
    static let posixOpenpt = libc("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grantpt = libc("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = libc("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsname = libc("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)

    /// Writes records with glibc into `path` (utmpxname is process-wide: put back at once).
    func write(_ records: [(type: Int32, terminal: String, user: String, id: String)], to path: String) {
        FileManager.default.createFile(atPath: path, contents: Data())
        _ = path.withCString { Self.utmpxname($0) }
        setutxent()
        for record in records {
            var entry = utmpx()
            entry.ut_type = Int16(record.type)
            entry.ut_pid = getpid()
            withUnsafeMutableBytes(of: &entry.ut_line) { $0.copyBytes(from: Array(record.terminal.utf8)) }
            withUnsafeMutableBytes(of: &entry.ut_user) { $0.copyBytes(from: Array(record.user.utf8)) }
            withUnsafeMutableBytes(of: &entry.ut_id) { $0.copyBytes(from: Array(record.id.utf8)) }
            #expect(pututxline(&entry) != nil, "glibc wrote \(record)")
        }
        endutxent()
        _ = Self.utmpxname("/var/run/utmp")
    }

    @Test("glibc's records read back: signed-in users and their terminals; other kinds and odd names left out")
    func glibcRecords() throws {
        let path = NSTemporaryDirectory() + "lifeline-utmp-\(UUID().uuidString)"
        defer { unlink(path) }
        write([(USER_PROCESS, "pts/7", "ann", "s/7"), (DEAD_PROCESS, "pts/8", "bob", "s/8"), (LOGIN_PROCESS, "tty1", "LOGIN", "tty1"),
               (USER_PROCESS, "../etc/passwd", "eve", "x"), (USER_PROCESS, "tty2", "carl", "tty2")], to: path)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        #expect(bytes.count == 5 * LoginRecords.recordSize)
        #expect(LoginRecords.parse(bytes) == [.init(user: "ann", terminal: "pts/7", pid: getpid()), .init(user: "carl", terminal: "tty2", pid: getpid())])
        // This process runs, so both are current; a record cut short is not read past its end.
        #expect(LoginRecords.current(path: path).count == 2)
        #expect(LoginRecords.parse(Array(bytes.prefix(LoginRecords.recordSize + 100))).count == 1)
    }

    @Test("only pts/N and ttyX are terminals", arguments: [
        ("pts/0", true), ("pts/12", true), ("tty1", true), ("ttyS0", true), ("pts/", false), ("pts/1/../../x", false),
        ("../tty1", false), ("tty", false), ("console", false), ("tty1/x", false), ("", false),
    ])
    func terminalNames(name: String, isTerminal: Bool) {
        #expect(LoginRecords.isTerminalName(name) == isTerminal)
    }

    @Test("the notice arrives on a real terminal; a name that is not a terminal is never opened")
    func noticeOnAPseudoTerminal() throws {
        let master = Self.posixOpenpt(O_RDWR | O_NOCTTY)
        try #require(master >= 0 && Self.grantpt(master) == 0 && Self.unlockpt(master) == 0)
        defer { close(master) }
        let device = String(cString: try #require(Self.ptsname(master)))
        // The other side must be open for the master to read what is written to it.
        let slave = open(device, O_RDWR | O_NOCTTY)
        defer { close(slave) }
        let terminal = String(device.dropFirst("/dev/".count))
        let told = TerminalNotice.announce("Lifeline: Ann is connected", to: [
            .init(user: "me", terminal: terminal, pid: getpid()), .init(user: "me", terminal: "../null", pid: getpid()),
        ])
        #expect(told == [terminal])
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(master, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).contains("*** Lifeline: Ann is connected ***"))
    }
}
