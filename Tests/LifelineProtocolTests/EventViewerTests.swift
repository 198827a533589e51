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

    @Test("the search on raw bytes agrees with matches where it decides, and leaves non-ASCII, long messages and newlines to it")
    func matchesOnBytes() {
        let entries = [
            JournalEntry(time: 0, priority: 3, source: "sshd", message: "Failed password for root from 10.0.0.7", unit: "ssh.service"),
            JournalEntry(time: 0, priority: 6, source: "CRON", message: "(root) CMD (run-parts /etc/cron.hourly)", unit: nil),
            JournalEntry(time: 0, priority: 6, source: "kernel", message: "", unit: nil),
        ]
        let texts = ["failed ROOT", "ssh.service password", "failed bob", "cron HOURLY", "cmd (run", "kernel", "xkernel", "d p", "F"]
        for entry in entries {
            for text in texts {
                let query = EventQuery(log: .system, text: text)
                let decided = Array(entry.message.utf8).withUnsafeBytes { message in
                    Array(entry.source.utf8).withUnsafeBytes { source in
                        Array((entry.unit ?? "").utf8).withUnsafeBytes { unit in
                            EventQuery.ByteSearch(query.words ?? [])?.matches(message: message, source: source, unit: unit)
                        }
                    }
                }
                #expect(decided == query.matches(entry), "\(text) in \(entry.message)")
            }
        }
        let undecided: [(word: String, message: String)] = [
            ("café", "Café ouvert"), ("straße", "STRASSE"), ("a", "Ärger"), ("a\nb", "a"),
            ("x", String(repeating: "x", count: JournalEntry.maximumMessageBytes + 1)),
        ]
        for (word, message) in undecided {
            let decided = Array(message.utf8).withUnsafeBytes { bytes in
                EventQuery.ByteSearch([word])?.matches(message: bytes, source: UnsafeRawBufferPointer(start: nil, count: 0),
                                                       unit: UnsafeRawBufferPointer(start: nil, count: 0))
            }
            #expect(decided == nil, "\(word) in \(message)")
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
