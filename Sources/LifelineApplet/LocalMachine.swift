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

    static func describe() -> CustomerInfo {
        var system = utsname()
        uname(&system)
        let machine = withUnsafeBytes(of: &system.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let kernel = withUnsafeBytes(of: &system.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let user = LocalPaths.userName()
        // Under sudo the customer is still the user who started the applet.
        let customer = getuid() == 0 ? (ProcessInfo.processInfo.environment["SUDO_USER"] ?? user) : user
        return CustomerInfo(hostname: ProcessInfo.processInfo.hostName, user: customer, platform: "\(kernel) \(machine)",
                            privileged: getuid() == 0, deviceId: deviceId())
    }
}
