import Foundation
import Testing
@testable import LifelineProtocol

/// Which of the event viewer's three logs an entry belongs to (L8), what a search finds, and
/// which queries the gateway passes on.
@Suite("The event viewer's logs and searches (L8)")
struct EventViewerTests {
    @Test("authentication, then the kernel and system services, then the rest", arguments: [
        (Int?.some(10), String?.some("syslog"), "sshd", String?.some("ssh.service"), UInt32?.some(0), EventLog.security),
        (4, "syslog", "cron", "cron.service", 0, .security),            // auth facility, whoever wrote it
        (nil, "journal", "sudo", nil, 1000, .security),
        (nil, "audit", "", nil, nil, .security),
        (0, "kernel", "kernel", nil, nil, .system),
        (nil, "journal", "systemd", "init.scope", 0, .system),
        (3, "syslog", "cupsd", "cups.service", 0, .system),             // daemon facility
        (nil, "stdout", "nginx", "nginx.service", 0, .system),          // a system service run by root
        (nil, "stdout", "nginx", "nginx.service", 33, .application),    // … one run by another account
        (nil, "journal", "firefox", "user@1000.service", 1000, .application),
        (1, "syslog", "myapp", nil, 1000, .application),
    ])
    func logs(facility: Int?, transport: String?, program: String, unit: String?, uid: UInt32?, expected: EventLog) {
        #expect(EventLog.of(facility: facility, transport: transport, program: program, systemUnit: unit, uid: uid) == expected)
    }

    @Test("every word, in any case, in the message, source or unit")
    func search() {
        let entry = JournalEntry(time: 0, priority: 3, source: "sshd", message: "Failed password for root from 10.0.0.7", unit: "ssh.service")
        let table: [(String?, Bool)] = [(nil, true), ("", true), ("failed ROOT", true), ("ssh.service password", true), ("failed bob", false)]
        for (text, found) in table {
            #expect(EventQuery(log: .security, text: text).matches(entry) == found, "\(text ?? "nil")")
        }
    }

    @Test("a query may leave out its priority (everything) and its size (200)")
    func defaults() throws {
        let query = try JSONDecoder().decode(EventQuery.self, from: Data(#"{"log":"security","text":"sshd"}"#.utf8))
        #expect(query == EventQuery(log: .security, maximumPriority: 7, text: "sshd", limit: 200))
    }

    @Test("queries the gateway passes on", arguments: [
        (EventQuery(log: .system), true), (EventQuery(log: .system, maximumPriority: 8), false),
        (EventQuery(log: .system, maximumPriority: -1), false), (EventQuery(log: .system, limit: 0), false),
        (EventQuery(log: .system, limit: 501), false), (EventQuery(log: .system, text: String(repeating: "a", count: 201)), false),
        (EventQuery(log: .application, maximumPriority: 3, text: "disk", before: "s=abc;i=1", limit: 500), true),
    ])
    func valid(query: EventQuery, expected: Bool) {
        #expect(query.isValid == expected)
    }
}
