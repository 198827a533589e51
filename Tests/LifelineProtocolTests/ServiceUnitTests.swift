import Testing
@testable import LifelineProtocol

/// A service name reaches the applet only if systemd could hold it for a service: no path, no
/// shell, no open template.
@Suite("Service names (L3)")
struct ServiceUnitTests {
    @Test("which names are services", arguments: [
        ("ssh.service", true), ("getty@tty1.service", true), ("systemd-fsck@dev-disk-by\\x2duuid-1.service", true),
        ("NetworkManager.service", true), ("ssh", false), ("ssh.socket", false), ("getty@.service", false), (".service", false),
        ("../../etc/passwd.service", false), ("a b.service", false), ("ssh.service; reboot", false), ("ssh.service\n", false),
        ("é.service", false), (String(repeating: "a", count: 248) + ".service", false),
    ])
    func names(name: String, valid: Bool) {
        #expect(ServiceUnit.isServiceName(name) == valid)
        #expect(SystemAction.service(name: name, scope: .system, operation: .restart).isValid == valid)
    }

    @Test("a long services list is cut into parts like the others")
    func parts() {
        let units = (0..<1_000).map { ServiceUnit(name: "unit\($0).service", scope: .system, description: "A service with a long description",
                                                  loadState: "loaded", activeState: "active", subState: "running", enablement: "enabled") }
        let parts = SystemInfoReply.services(units).parts(maximumBytes: SystemInfoReply.maximumPartBytes)
        #expect(parts.count > 1)
        let gathered: [ServiceUnit] = parts.flatMap { part -> [ServiceUnit] in
            if case .services(let rows) = part { return rows }
            return []
        }
        #expect(gathered == units)
    }
}
