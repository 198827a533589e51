import Foundation
import LifelineProtocol

/// What the applet tells the technician about this computer.
enum LocalMachine {
    static func describe() -> CustomerInfo {
        var system = utsname()
        uname(&system)
        let machine = withUnsafeBytes(of: &system.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let kernel = withUnsafeBytes(of: &system.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        // Under sudo the customer is still the user who started the applet.
        let customer = getuid() == 0 ? (ProcessInfo.processInfo.environment["SUDO_USER"] ?? user) : user
        return CustomerInfo(hostname: ProcessInfo.processInfo.hostName, user: customer, platform: "\(kernel) \(machine)",
                            privileged: getuid() == 0)
    }
}
