#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Who is signed in on which terminal: the login records (utmp) as glibc writes them on 64-bit
/// Linux — fixed 384-byte records, the same file `who` and `wall` read. Read as bytes (a pure
/// parse, tested on records glibc wrote) rather than through getutxent, whose state is process-wide.
enum LoginRecords {
    struct Login: Equatable, Sendable {
        let user: String
        /// Under /dev: `pts/3`, `tty2`.
        let terminal: String
        let pid: Int32
    }

    static let recordSize = 384
    /// `USER_PROCESS`: a signed-in user (the others are boot, run level, dead sessions …).
    static let userProcess: Int16 = 7
    static let file = "/var/run/utmp"

    static func parse(_ bytes: [UInt8]) -> [Login] {
        stride(from: 0, to: bytes.count - recordSize + 1, by: recordSize).compactMap { start in
            let record = bytes[start..<start + recordSize]
            guard Int16(littleEndian: integer(record, at: 0)) == userProcess else { return nil }
            let terminal = text(record, at: 8, length: 32)
            let user = text(record, at: 44, length: 32)
            guard isTerminalName(terminal), !user.isEmpty else { return nil }
            return Login(user: user, terminal: terminal, pid: Int32(littleEndian: integer(record, at: 4)))
        }
    }

    /// The signed-in users of this computer whose session still runs (a crash leaves its record).
    static func current(path: String = file) -> [Login] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return parse([UInt8](data)).filter { kill($0.pid, 0) == 0 || errno == EPERM }
    }

    /// `pts/N` or `ttyX` only: a record cannot lead a write anywhere else under /dev.
    static func isTerminalName(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0] == "pts" { return !parts[1].isEmpty && parts[1].allSatisfy(\.isNumber) }
        return parts.count == 1 && name.hasPrefix("tty") && name.count > 3
            && name.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    private static func integer<T: FixedWidthInteger>(_ record: ArraySlice<UInt8>, at offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { target in
            for index in 0..<MemoryLayout<T>.size { target[index] = record[record.startIndex + offset + index] }
        }
        return value
    }

    private static func text(_ record: ArraySlice<UInt8>, at offset: Int, length: Int) -> String {
        let field = record[(record.startIndex + offset)..<(record.startIndex + offset + length)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// A few words on the terminals of the people signed in, as `wall` writes them: for an unattended
/// connection when no window can show who is connected. Only character devices are written, never
/// waiting for one that blocks; an account's agent reaches that account's terminals, the system's
/// agent every one.
enum TerminalNotice {
    /// The terminals written to.
    @discardableResult
    static func announce(_ text: String, to logins: [LoginRecords.Login] = LoginRecords.current()) -> [String] {
        let message = Array(("\r\n*** " + text + " ***\r\n").utf8)
        var told: [String] = []
        for terminal in Set(logins.map(\.terminal)).sorted() where LoginRecords.isTerminalName(terminal) {
            let descriptor = open("/dev/" + terminal, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFCHR else { continue }
            if message.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == message.count { told.append(terminal) }
        }
        return told
    }
}
