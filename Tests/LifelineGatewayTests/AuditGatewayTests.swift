import Foundation
import Logging
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway
@testable import LifelineStore

@Suite("Audit log: sign-ins, PINs, admin changes with before/after, consent; hash-chained and reported")
struct AuditGatewayTests {
    @Test("what happens is written in order, chained, readable by administrators only, and verifies")
    func trail() async throws {
        try await GatewayHarness.run { gw in
            _ = try await gw.request(.post, "/api/v1/auth/login", json: ["email": GatewayHarness.adminEmail, "password": "wrong guess"])
            let admin = try await gw.login()
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin,
                                             json: ["name": "Desk", "permissions": ["chat", "start_private_sessions", "connect_by_pin", "remote_control"]]).json()
            let created = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": "rene@lifeline.test", "name": "René", "password": "tea kettle on the sill", "groupId": group["id"] as! String,
            ]).json()
            _ = try await gw.request(.patch, "/api/v1/admin/technicians/\(created["id"] as! String)", token: admin, json: ["name": "René Roy"])
            _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin, json: ["urgentAfterSeconds": 300])
            let rene = try await gw.login("rene@lifeline.test", "tea kettle on the sill")
            let scene = try await RemoteScene.make(gw)
            scene.ask(.control)
            try await scene.accept()

            let rows = try await gw.request(.get, "/api/v1/admin/audit", token: admin).array()
            let actions = rows.compactMap { $0["action"] as? String }
            #expect(actions.starts(with: ["sign_in_failed", "sign_in", "group_created", "technician_created", "technician_changed",
                                          "settings_changed", "sign_in"]), "\(actions)")
            #expect(actions.contains("pin_created") && actions.contains("customer_joined") && actions.contains("consent_given"))
            let failed = try #require(rows.first)
            #expect(failed["actor"] as? String == GatewayHarness.adminEmail)
            #expect((failed["after"] as? String)?.contains("bad_credentials") == true)
            let renamed = try #require(rows.first { $0["action"] as? String == "technician_changed" })
            #expect((renamed["before"] as? String)?.contains(#""name":"René""#) == true)
            #expect((renamed["after"] as? String)?.contains(#""name":"René Roy""#) == true)
            let settings = try #require(rows.first { $0["action"] as? String == "settings_changed" })
            #expect((settings["before"] as? String)?.contains(#""urgentAfterSeconds":120"#) == true)
            #expect((settings["after"] as? String)?.contains(#""urgentAfterSeconds":300"#) == true)
            let consent = try #require(rows.first { $0["action"] as? String == "consent_given" })
            #expect(consent["objectType"] as? String == "remote_control" && consent["actor"] as? String == "customer")
            #expect(!rows.contains { ($0["after"] as? String)?.contains("tea kettle") == true }, "never a password")

            #expect(try await gw.request(.get, "/api/v1/admin/audit", token: rene).status == .forbidden)
            let csv = String(decoding: try await gw.request(.get, "/api/v1/admin/audit?format=csv", token: admin).body, as: UTF8.self)
            #expect(csv.hasPrefix("Entry,Time,Who,Action,Object type,Object,Before,After,Source,Hash\r\n1,"))

            var logger = Logger(label: "test")
            logger.logLevel = .critical
            guard case .intact(let count, _) = try await verifyAuditLog(in: gw.database, logger: logger) else {
                Issue.record("the untouched log should verify")
                return
            }
            #expect(count == rows.count)
            await scene.applet.close()
        }
    }

    /// Raw SQL on the gateway's own database, as someone with access to the file or server would run it.
    static func sql(_ gw: GatewayHarness, sqlite: [String], postgres: String) async throws {
        let store = try #require(gw.parts.store as? SQLStore)
        let statements = if case .postgres = gw.database { PostgresSchema.statements(of: postgres) } else { sqlite }
        for statement in statements { _ = try await store.db.query(statement, []) }
    }

    static func verdict(_ gw: GatewayHarness) async throws -> AuditChain.Verdict {
        try await AuditTrail.verify(store: gw.parts.store)
    }

    @Test("a log cut short at its end is found: the head written with each entry names the last one")
    func tailCut() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            for name in ["One", "Two", "Three"] {
                #expect(try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": name, "permissions": ["chat"]]).status == .created)
            }
            guard case .intact(let entries, _) = try await Self.verdict(gw) else { Issue.record("the untouched log should verify"); return }
            // Someone with the database removes the last two entries, triggers and all.
            try await Self.sql(gw, sqlite: [
                "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE sequence > \(entries - 2)",
            ], postgres: """
                DROP TRIGGER audit_log_no_change ON audit_log;
                DELETE FROM audit_log WHERE sequence > \(entries - 2);
                """)
            #expect(try await Self.verdict(gw) == .broken(sequence: Int64(entries - 1),
                                                          reason: "entries \(entries - 1) to \(entries), the last ones written, are missing"))
        }
    }

    @Test("an entry the database refuses fails the request with audit_unavailable, and audit verify then reports the gap")
    func refusedWrite() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            try await Self.sql(gw, sqlite: [
                "CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
            ], postgres: """
                CREATE FUNCTION audit_log_full() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'could not extend file: No space left on device';
                END;
                $$;
                CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_full();
                """)
            let refused = try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "Unaudited", "permissions": ["chat"]])
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.errorCode == "audit_unavailable")
            // A PIN the log cannot account for never works: its session is ended at once.
            let unaudited = try await gw.request(.post, "/api/v1/sessions", token: admin, json: ["name": "Customer", "method": "pin"])
            #expect(unaudited.status == .serviceUnavailable && unaudited.errorCode == "audit_unavailable")
            #expect(gw.hub.registry.count == 0)
            try await Self.sql(gw, sqlite: ["DROP TRIGGER audit_log_full"], postgres: "DROP TRIGGER audit_log_full ON audit_log;")
            #expect(try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "Audited", "permissions": ["chat"]]).status == .created)
            let entries = try await gw.parts.store.allAuditEntries()
            #expect(entries.last?.action == .groupCreated)
            #expect(try await Self.verdict(gw) == .incomplete(entries: entries.count, lost: 2))
        }
    }
}
