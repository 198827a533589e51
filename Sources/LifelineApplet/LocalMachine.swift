import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LifelineProtocol
import LifelineCore

/// What the applet tells the technician about this computer.
enum LocalMachine {
    /// The device's id for History and notes (D6): a hash of the machine id, salted for Lifeline,
    /// so it is stable across sessions but says nothing about the machine (and is not the
    /// machine id other software uses).
    static func deviceId() -> String? {
        for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let machineId = text.trimmed
            guard !machineId.isEmpty else { continue }
            return SHA256.hash(data: Data("lifeline-device:\(machineId)".utf8)).prefix(16).hexString
        }
        return nil
    }

    /// The computer's IANA time zone: $TZ, else where /etc/localtime points in the zoneinfo folder,
    /// else /etc/timezone (Debian's).
    static func timeZone() -> String? {
        if let zone = ProcessInfo.processInfo.environment["TZ"], !zone.isEmpty, !zone.hasPrefix(":"), !zone.hasPrefix("/") { return zone }
        var buffer = [CChar](repeating: 0, count: 512)
        let length = readlink("/etc/localtime", &buffer, buffer.count - 1)
        if length > 0 {
            let target = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let range = target.firstRange(of: "zoneinfo/") { return String(target[range.upperBound...]) }
        }
        guard let text = FileManager.default.contents(atPath: "/etc/timezone") else { return nil }
        let zone = String(decoding: text, as: UTF8.self).trimmed
        return zone.isEmpty ? nil : zone
    }

    static func describe() -> CustomerInfo {
        var system = utsname()
        uname(&system)
        let machine = withUnsafeBytes(of: &system.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let kernel = withUnsafeBytes(of: &system.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let user = LocalPaths.userName()
        // Under sudo the customer is still the user who started the applet.
        let customer = getuid() == 0 ? (ProcessInfo.processInfo.environment["SUDO_USER"] ?? user) : user
        return CustomerInfo(hostname: ProcessInfo.processInfo.hostName, user: customer, platform: "\(kernel) \(machine)",
                            privileged: getuid() == 0, deviceId: deviceId(), timeZone: timeZone())
    }
}
