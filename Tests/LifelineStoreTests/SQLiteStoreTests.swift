import Foundation
import LifelineCore
import LifelineProtocol
import Logging
import Testing
@testable import LifelineStore

/// The repository contract, run on a real SQLite file. The PostgreSQL store will run the same.
@Suite("SQLite store keeps what it is given")
struct SQLiteStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func freshStore(path: String = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).sqlite").path) async throws -> (SQLiteStore, String) {
        (try await SQLiteStore(path: path, logger: Logger(label: "test")), path)
    }

    func seed(_ store: SQLiteStore) async throws -> (Organisation, Technician) {
        let org = Organisation(id: "org", name: "Help Desk", createdAt: t0)
        try await store.insertOrganisation(org)
        let group = TechnicianGroup(id: "g", organisationId: org.id, name: "Level 1", permissions: PermissionSet([.chat, .holdSessions]))
        try await store.insertGroup(group)
        let tech = Technician(id: "t", organisationId: org.id, groupId: group.id, email: "tess@example.com", name: "Tess",
                              passwordHash: "hash", role: .technician, disabled: false, language: "fr", createdAt: t0)
        try await store.insertTechnician(tech)
        return (org, tech)
    }

    @Test("migrations run once; reopening the file keeps the data")
    func reopen() async throws {
        let (store, path) = try await freshStore()
        _ = try await seed(store)
        let (again, _) = try await freshStore(path: path)
        #expect(try await again.organisationCount() == 1)
        #expect(try await again.technician(email: "TESS@example.com")?.name == "Tess", "emails match without case")
    }

    @Test("groups keep their permissions; technicians their group, role and language")
    func accounts() async throws {
        let (store, _) = try await freshStore()
        let (_, tech) = try await seed(store)
        #expect(try await store.group(id: "g")?.permissions == PermissionSet([.chat, .holdSessions]))
        var changed = tech
        changed.disabled = true
        try await store.updateTechnician(changed)
        #expect(try await store.technician(id: "t") == changed)
        let duplicate = Technician(id: "t2", organisationId: "org", groupId: nil, email: "tess@example.com", name: "Other",
                                   passwordHash: "x", role: .technician, disabled: false, language: "en", createdAt: t0)
        do {
            try await store.insertTechnician(duplicate)
            Issue.record("a second account with the same email was accepted")
        } catch {
            #expect(error.isConstraintViolation)
        }
    }

    @Test("a session and its state machine round-trip; live and closed lists split them")
    func sessions() async throws {
        let (store, _) = try await freshStore()
        _ = try await seed(store)
        var machine = SessionMachine(createdAt: t0)
        try machine.handle(.appletConnected, at: t0.addingTimeInterval(5))
        try machine.handle(.start, at: t0.addingTimeInterval(9))
        try machine.handle(.hold, at: t0.addingTimeInterval(12))
        var record = SessionRecord(id: "123456789", organisationId: "org", technicianId: "t", name: "Ann", method: .pin,
                                   pin: "012345", linkTokenHash: nil, appletTokenHash: "abc", machine: machine,
                                   customer: CustomerInfo(hostname: "pc", user: "ann", platform: "Linux x86_64"), closedAt: nil)
        try await store.insertSession(record)
        #expect(try await store.session(id: "123456789") == record)
        #expect(try await store.session(pin: "012345")?.id == "123456789")
        #expect(try await store.liveSessions().map(\.id) == ["123456789"])
        record.closedAt = t0.addingTimeInterval(60)
        record.pin = nil
        try await store.updateSession(record)
        #expect(try await store.liveSessions().isEmpty)
        #expect(try await store.closedSessions(technicianId: "t", limit: 10).map(\.id) == ["123456789"])
    }

    @Test("log lines come back in the order they were written, with their ids")
    func log() async throws {
        let (store, _) = try await freshStore()
        _ = try await seed(store)
        let record = SessionRecord(id: "1", organisationId: "org", technicianId: "t", name: "Ann", method: .link, pin: nil,
                                   linkTokenHash: "h", appletTokenHash: nil, machine: SessionMachine(createdAt: t0),
                                   customer: nil, closedAt: nil)
        try await store.insertSession(record)
        let first = try await store.appendLog(sessionId: "1", at: t0, kind: .status, authorRole: .system, author: "Lifeline",
                                              text: "created", state: .connecting)
        let second = try await store.appendLog(sessionId: "1", at: t0, kind: .chat, authorRole: .customer, author: "Ann",
                                               text: "hello 'quoted' \"text\"; DROP TABLE sessions;", state: nil)
        #expect(second.id > first.id)
        #expect(try await store.log(sessionId: "1") == [first, second])
    }

    @Test("tokens and settings are stored and removed")
    func tokensAndSettings() async throws {
        let (store, _) = try await freshStore()
        _ = try await seed(store)
        let token = AuthTokenRecord(tokenHash: "th", technicianId: "t", createdAt: t0, expiresAt: t0.addingTimeInterval(60))
        try await store.insertToken(token)
        #expect(try await store.token(hash: "th") == token)
        try await store.deleteTokens(technicianId: "t")
        #expect(try await store.token(hash: "th") == nil)
        try await store.setSetting("k", "v1")
        try await store.setSetting("k", "v2")
        #expect(try await store.setting("k") == "v2")
        try await store.setSetting("k", nil)
        #expect(try await store.setting("k") == nil)
    }
}

@Suite("Stored console options stay readable across versions")
struct ConsoleOptionsStorageTests {
    @Test("options saved before a field existed take that field's default")
    func olderOptions() throws {
        let options = try JSONDecoder().decode(ConsoleOptions.self, from: Data(#"{"confirmEnd":false}"#.utf8))
        #expect(options == ConsoleOptions(autoStartIncoming: nil, confirmEnd: false, confirmLogout: true, mutedSounds: []))
    }

    @Test("options round-trip through a technician row")
    func roundTrip() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("options-\(UUID().uuidString).sqlite").path
        let store = try await SQLiteStore(path: path, logger: Logger(label: "test"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.insertOrganisation(Organisation(id: "o", name: "O", createdAt: t0))
        let options = ConsoleOptions(autoStartIncoming: true, confirmEnd: false, confirmLogout: true, mutedSounds: [.sessionUrgent])
        try await store.insertTechnician(Technician(id: "t", organisationId: "o", groupId: nil, email: "t@o.test", name: "T",
                                                    passwordHash: "h", role: .technician, disabled: false, language: "en",
                                                    createdAt: t0, options: options))
        #expect(try await store.technician(id: "t")?.options == options)
    }
}
