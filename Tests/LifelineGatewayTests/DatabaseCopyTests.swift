import Foundation
import LifelineCore
@testable import LifelineGateway
import LifelineStore
import LifelineTestSupport
import Logging
import Testing

/// `lifeline-server migrate`: a gateway's SQLite data copied into PostgreSQL arrives whole.
@Suite("Copying a gateway's data from SQLite to PostgreSQL", .enabled(if: TestDatabase.postgresServer != nil))
struct DatabaseCopyTests {
    @Test("sessions, their logs and the audit chain arrive intact; audit verify passes on the copy; a second copy is refused")
    func copyToPostgres() async throws {
        let directory = GatewayHarness.newDataDirectory()
        let source = DatabaseLocation.sqlite(path: "\(directory)/lifeline.sqlite")
        try await GatewayHarness.run(dataDirectory: directory, database: source) { gw in
            let token = try await gw.login()
            for index in 1...3 {
                let (id, pin) = try await gw.createSession(token: token, name: "Customer \(index)")
                let (applet, _) = try await gw.connectApplet(pin: pin)
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: token, json: ["text": "Hello \(index)"]).status == .created)
                if index < 3 { #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: token).status == .ok) }
                await applet.close()
            }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let destination = try await TestDatabase.postgres.location(for: "copy_\(UUID().uuidString)", in: directory)
        let report = try await DatabaseCopy.copy(from: source, to: destination, logger: logger)
        #expect(report.rows["sessions"] == 3)
        #expect((report.rows["audit_log"] ?? 0) > 3)

        let original = try await SQLStore(source, logger: logger)
        let copy = try await SQLStore(destination, logger: logger)
        #expect(try await copy.allAuditEntries() == original.allAuditEntries())
        for record in try await original.liveSessions() + original.closedSessions(technicianId: #require(original.technician(email: GatewayHarness.adminEmail)).id, limit: 10) {
            let copied = try #require(try await copy.session(id: record.id))
            #expect(copied.machine.state == record.machine.state && copied.name == record.name && copied.customer == record.customer)
            #expect(try await copy.log(sessionId: record.id).map(\.text) == original.log(sessionId: record.id).map(\.text))
        }
        guard case .intact = try await verifyAuditLog(in: destination, logger: logger) else {
            Issue.record("audit verify fails on the copy")
            return
        }
        // New log lines continue after the copied ones.
        let live = try #require(try await copy.liveSessions().first)
        let before = try await copy.log(sessionId: live.id).map(\.id).max() ?? 0
        let added = try await copy.appendLog(sessionId: live.id, at: Date(), kind: .chat, authorRole: .technician, author: "T", text: "after the copy", state: nil)
        #expect(added.id > before)
        await #expect(throws: StoreError.self, "a second copy into a database that holds data") {
            _ = try await DatabaseCopy.copy(from: source, to: destination, logger: logger)
        }
        await original.close()
        await copy.close()
    }
}
