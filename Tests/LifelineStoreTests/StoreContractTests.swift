import Foundation
import LifelineCore
import LifelineProtocol
import LifelineTestSupport
import Logging
import Testing
@testable import LifelineStore

/// The repository contract, run on a real SQLite file and, when `scripts/test.sh` started one, a
/// real PostgreSQL server: the same tests, the same expectations.
@Suite("The store keeps what it is given, on SQLite and PostgreSQL")
struct StoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A new, empty database of the kind; the same key opens the same database again.
    func freshStore(_ database: TestDatabase, key: String = UUID().uuidString) async throws -> (SQLStore, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(key)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (try await SQLStore(try await database.location(for: key, in: folder), logger: Logger(label: "test")), key)
    }

    func seed(_ store: SQLStore) async throws -> (Organisation, Technician) {
        let org = Organisation(id: "org", name: "Help Desk", createdAt: t0)
        try await store.insertOrganisation(org)
        let group = TechnicianGroup(id: "g", organisationId: org.id, name: "Level 1", permissions: PermissionSet([.chat, .holdSessions]))
        try await store.insertGroup(group)
        let tech = Technician(id: "t", organisationId: org.id, groupId: group.id, email: "tess@example.com", name: "Tess",
                              passwordHash: "hash", role: .technician, disabled: false, language: "fr", createdAt: t0)
        try await store.insertTechnician(tech)
        return (org, tech)
    }

    @Test("migrations run once; reopening the file keeps the data", arguments: TestDatabase.available)
    func reopen(database: TestDatabase) async throws {
        let (store, path) = try await freshStore(database)
        _ = try await seed(store)
        let (again, _) = try await freshStore(database, key: path)
        #expect(try await again.organisationCount() == 1)
        #expect(try await again.technician(email: "TESS@example.com")?.name == "Tess", "emails match without case")
    }

    @Test("groups keep their permissions; technicians their group, role and language", arguments: TestDatabase.available)
    func accounts(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
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

    @Test("a resume ticket is used by exactly one of 30 concurrent askers, never after it expired, and goes with its session's drop",
          arguments: TestDatabase.available)
    func resumeTickets(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        let record = SessionRecord(id: "223456789", organisationId: "org", technicianId: "t", name: "Ann", method: .pin,
                                   pin: nil, linkTokenHash: nil, appletTokenHash: "abc", machine: SessionMachine(createdAt: t0),
                                   customer: nil, closedAt: nil)
        try await store.insertSession(record)
        try await store.saveResumeTicket(hash: "fresh", sessionId: record.id, expiresAt: t0.addingTimeInterval(3_600))
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 1...30 { group.addTask { try await store.useResumeTicket(hash: "fresh", now: t0) } }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(winners == [record.id])
        try await store.saveResumeTicket(hash: "old", sessionId: record.id, expiresAt: t0.addingTimeInterval(60))
        #expect(try await store.useResumeTicket(hash: "old", now: t0.addingTimeInterval(61)) == nil)
        #expect(try await store.useResumeTicket(hash: "unknown", now: t0) == nil)
        try await store.saveResumeTicket(hash: "dropped", sessionId: record.id, expiresAt: t0.addingTimeInterval(3_600))
        try await store.dropResumeTickets(sessionId: record.id)
        #expect(try await store.useResumeTicket(hash: "dropped", now: t0) == nil)
        await store.close()
    }

    @Test("an enrolment enrols exactly one of 30 concurrent agents, never after it expired; computers are listed per technician and group",
          arguments: TestDatabase.available)
    func devices(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        try await store.insertSession(SessionRecord(id: "323456789", organisationId: "org", technicianId: "t", name: "Ann", method: .pin,
                                                    pin: nil, linkTokenHash: nil, appletTokenHash: "abc", machine: SessionMachine(createdAt: t0),
                                                    customer: nil, closedAt: nil))
        let rules = UnattendedRules(credentials: .atEachConnection, period: .days(7), dailyStart: 540, dailyEnd: 1_020,
                                    timeZone: "Europe/Paris", clock: .customer)
        let enrolment = DeviceEnrolment(sessionId: "323456789", technicianId: "t", rules: rules, expiresAt: t0.addingTimeInterval(900))
        try await store.saveEnrolment(tokenHash: "fresh", enrolment)
        let winners = try await withThrowingTaskGroup(of: DeviceEnrolment?.self) { group in
            for _ in 1...30 { group.addTask { try await store.useEnrolment(tokenHash: "fresh", now: t0) } }
            return try await group.reduce(into: [DeviceEnrolment]()) { if let won = $1 { $0.append(won) } }
        }
        #expect(winners == [enrolment])
        try await store.saveEnrolment(tokenHash: "old", enrolment)
        #expect(try await store.useEnrolment(tokenHash: "old", now: t0.addingTimeInterval(901)) == nil)
        try await store.saveEnrolment(tokenHash: "dropped", enrolment)
        try await store.dropEnrolments(sessionId: "323456789")
        #expect(try await store.useEnrolment(tokenHash: "dropped", now: t0) == nil)

        let own = UnattendedDevice(id: "d1", organisationId: "org", technicianId: "t", name: "Ann's laptop", hostname: "ann-pc",
                                   publicKey: "cHVibGlj", rules: rules, approvedAt: t0, createdAt: t0)
        let shared = UnattendedDevice(id: "d2", organisationId: "org", technicianId: nil, groupId: "g", name: "Accounts printer PC",
                                      hostname: "acc-01", publicKey: "a2V5", rules: rules, approvedAt: t0, createdAt: t0)
        try await store.insertDevice(own)
        try await store.insertDevice(shared)
        #expect(try await store.devices(technicianId: "t", groupId: "g").map(\.id) == ["d2", "d1"])
        #expect(try await store.devices(technicianId: "t", groupId: nil).map(\.id) == ["d1"])
        #expect(try await store.devices(technicianId: "someone", groupId: "other").isEmpty)
        try await store.deviceSeen(id: "d1", at: t0.addingTimeInterval(60))
        #expect(try await store.device(id: "d1")?.lastSeenAt == t0.addingTimeInterval(60))
        #expect(try await store.device(id: "d1")?.rules == rules)
        let deleted = try await store.deleteDevice(id: "d1")
        let again = try await store.deleteDevice(id: "d1")
        #expect(deleted && !again)
        #expect(try await store.device(id: "d1") == nil)
        await store.close()
    }

    @Test("a session and its state machine round-trip; live and closed lists split them", arguments: TestDatabase.available)
    func sessions(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
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
        #expect(try await store.updateSession(record) == 1)
        #expect(try await store.liveSessions().isEmpty)
        #expect(try await store.closedSessions(technicianId: "t", limit: 10).map(\.id) == ["123456789"])
        #expect(try await store.session(id: "123456789")?.version == 1)
    }

    @Test("an update from a stale copy is refused as a conflict and changes nothing; of concurrent writers of one version exactly one lands",
          arguments: TestDatabase.available)
    func versions(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        var record = SessionRecord(id: "987654321", organisationId: "org", technicianId: "t", name: "Ann", method: .pin,
                                   pin: nil, linkTokenHash: nil, appletTokenHash: nil, machine: SessionMachine(createdAt: t0),
                                   customer: nil, closedAt: nil)
        try await store.insertSession(record)
        let stale = record
        record.name = "Ann Example"
        record.otherViews = ["t": SessionMachine(createdAt: t0)]
        record.version = try await store.updateSession(record)
        var late = stale
        late.name = "Overwritten"
        do {
            try await store.updateSession(late)
            Issue.record("a write from a stale copy landed")
        } catch {
            #expect(error.kind == .conflict)
        }
        let stored = try #require(try await store.session(id: "987654321"))
        #expect(stored.name == "Ann Example" && stored.otherViews.count == 1 && stored.version == 1, "the refused unit left nothing behind")
        let landed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 1...10 {
                var copy = stored
                copy.name = "Writer \(index)"
                group.addTask {
                    do { try await store.updateSession(copy); return true } catch let error as StoreError where error.kind == .conflict { return false }
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(landed == 1)
        #expect(try await store.session(id: "987654321")?.version == 2)
        await store.close()
    }

    @Test("a row-only update keeps the stored views and is still refused from a stale copy; the views of many sessions come back with them",
          arguments: TestDatabase.available)
    func rowOnlyUpdates(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        var record = SessionRecord(id: "555666777", organisationId: "org", technicianId: "t", name: "Ann", method: .pin,
                                   pin: "222333", linkTokenHash: nil, appletTokenHash: nil, machine: SessionMachine(createdAt: t0),
                                   customer: nil, closedAt: nil, otherViews: ["t": SessionMachine(createdAt: t0)])
        try await store.insertSession(record)
        let stale = record
        record.pin = nil
        record.appletTokenHash = "joined"
        record.version = try await store.updateSession(record, viewsChanged: false)
        let stored = try #require(try await store.session(id: "555666777"))
        #expect(stored == record, "the row changed, the view is still there")
        #expect(stored.otherViews.count == 1)
        // A colleague invited with chosen permissions, another with their group's: the terms come back with their views.
        for (id, name) in [("u", "Uma"), ("w", "Wes")] {
            try await store.insertTechnician(Technician(id: id, organisationId: "org", groupId: "g", email: "\(id)@example.com", name: name,
                                                        passwordHash: "hash", role: .technician, disabled: false, language: "en", createdAt: t0))
        }
        var invited = stored
        invited.otherViews["u"] = .invitation(at: t0)
        invited.otherViews["w"] = .invitation(at: t0)
        invited.collaborations["u"] = CollaborationTerms(invitedBy: "t", permissions: [.remoteControl, .chat], comment: "Über den Drucker")
        invited.collaborations["w"] = CollaborationTerms(invitedBy: "t", permissions: nil, comment: "")
        invited.version = try await store.updateSession(invited, viewsChanged: true)
        #expect(try await store.session(id: "555666777") == invited)
        do {
            try await store.updateSession(stale, viewsChanged: false)
            Issue.record("a row-only write from a stale copy landed")
        } catch {
            #expect(error.kind == .conflict)
        }
        // Many sessions, each with its own views, read in one go.
        for index in 0..<5 {
            try await store.insertSession(SessionRecord(
                id: "70000000\(index)", organisationId: "org", technicianId: "t", name: "S\(index)", method: .pin, pin: nil,
                linkTokenHash: nil, appletTokenHash: nil, machine: SessionMachine(createdAt: t0.addingTimeInterval(Double(index))),
                customer: nil, closedAt: nil, otherViews: index.isMultiple(of: 2) ? ["t": SessionMachine(createdAt: t0)] : [:]))
        }
        let live = try await store.liveSessions()
        #expect(live.count == 6)
        #expect(live.filter { $0.id.hasPrefix("70000000") }.map { $0.otherViews.count } == [1, 0, 1, 0, 1])
        await store.close()
    }

    @Test("log lines come back in the order they were written, with their ids", arguments: TestDatabase.available)
    func log(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
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

    @Test("tokens and settings are stored and removed", arguments: TestDatabase.available)
    func tokensAndSettings(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
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

    @Test("a single-use setting is taken by exactly one of 20 concurrent takers", arguments: TestDatabase.available)
    func singleUseSetting(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        try await store.setSetting("setup_token_hash", "abc")
        let taken = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 1...20 { group.addTask { try await store.takeSetting("setup_token_hash", ifEquals: "abc") } }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(taken == 1)
        #expect(try await store.setting("setup_token_hash") == nil)
        #expect(try await store.takeSetting("setup_token_hash", ifEquals: "abc") == false)
        await store.close()
    }

    @Test("errors have kinds: a duplicate is a unique violation, an audit entry cannot be changed", arguments: TestDatabase.available)
    func errorKinds(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        let org = Organisation(id: "org", name: "Help Desk", createdAt: t0)
        try await store.insertOrganisation(org)
        await #expect(throws: StoreError.self) { try await store.insertOrganisation(org) }
        do { try await store.insertOrganisation(org) } catch { #expect(error.kind == .uniqueViolation) }
        let entry = AuditChain.next(after: nil, atMilliseconds: 1, organisationId: "org", actorId: nil, actorName: "test", action: .pinCreated,
                                    objectType: nil, objectId: nil, before: nil, after: nil, source: nil, hash: { _ in "h" })
        try await store.appendAudit(entry, lostBefore: 0)
        await #expect(throws: StoreError.self, "the audit log is append-only") {
            _ = try await store.db.query("UPDATE audit_log SET actor_name = ? WHERE sequence = ?", [.text("someone else"), .integer(entry.sequence)])
        }
        #expect(try await store.allAuditEntries().first?.actorName == "test")
        await store.close()
    }

    @Test("the audit head moves with each entry in one transaction and adds up the entries lost", arguments: TestDatabase.available)
    func auditHead(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        try await store.insertOrganisation(Organisation(id: "org", name: "Help Desk", createdAt: t0))
        #expect(try await store.auditHead() == nil)
        let first = AuditChain.next(after: nil, atMilliseconds: 1, organisationId: "org", actorId: nil, actorName: "test", action: .pinCreated,
                                    objectType: nil, objectId: nil, before: nil, after: nil, source: nil, hash: { _ in "h1" })
        try await store.appendAudit(first, lostBefore: 0)
        #expect(try await store.auditHead() == AuditHead(sequence: 1, hash: "h1", lost: 0))
        let second = AuditChain.next(after: first, atMilliseconds: 2, organisationId: "org", actorId: nil, actorName: "test", action: .pinCreated,
                                     objectType: nil, objectId: nil, before: nil, after: nil, source: nil, hash: { _ in "h2" })
        try await store.appendAudit(second, lostBefore: 2)
        #expect(try await store.auditHead() == AuditHead(sequence: 2, hash: "h2", lost: 2))
        // An entry refused (sequence taken) leaves the head where it was: the two writes are one.
        await #expect(throws: StoreError.self) { try await store.appendAudit(second, lostBefore: 1) }
        #expect(try await store.auditHead() == AuditHead(sequence: 2, hash: "h2", lost: 2))
        await store.close()
    }

    @Test("a script library keeps its order, favourites and resource; an import is all or nothing", arguments: TestDatabase.available)
    func scripts(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        let (org, tech) = try await seed(store)
        func script(_ id: String, _ position: Int, owner: String? = "t", group: String? = nil) -> LibraryScript {
            let definition = ScriptDefinition(name: "Script \(id)", fileName: "\(id).sh", content: "#!/bin/sh\necho \(id)\n",
                                              parameters: [ScriptParameter(name: "target", label: "Target", kind: .text)])
            return LibraryScript(id: id, organisationId: org.id, ownerId: owner, groupId: group, position: position, favourite: false,
                                 definition: definition, scriptSha256: "hash-\(id)", resourceSha256: nil, resourceSize: nil,
                                 createdAt: t0, updatedAt: t0)
        }
        var first = script("a", 1)
        try await store.saveScript(first, resource: .keep)
        try await store.saveScript(script("b", 0), resource: .replace(Data([0, 1, 2, 255])))
        try await store.saveScript(script("e", 0, owner: nil, group: "g"), resource: .keep)
        #expect(try await store.scripts(ownerId: tech.id).map(\.id) == ["b", "a"], "in their places")
        #expect(try await store.scripts(groupId: "g").map(\.id) == ["e"], "embedded scripts apart")
        #expect(try await store.scriptResource(id: "b") == Data([0, 1, 2, 255]))
        #expect(try await store.scriptResource(id: "a") == nil)
        first.favourite = true
        first.definition.parameters[0].required = true
        try await store.saveScript(first, resource: .keep)
        #expect(try await store.script(id: "a") == first)
        try await store.setScriptPositions([(id: "a", position: 0), (id: "b", position: 1)])
        #expect(try await store.scripts(ownerId: tech.id).map(\.id) == ["a", "b"])
        try await store.saveScript(try #require(try await store.script(id: "b")), resource: .remove)
        #expect(try await store.scriptResource(id: "b") == nil)
        do {
            try await store.saveScripts([(script("c", 2), Data([1])), (script("d", 3, owner: "nobody"), nil)])
            Issue.record("an import naming an unknown technician was kept")
        } catch {}
        #expect(try await store.script(id: "c") == nil, "nothing of a failed import is kept")
        try await store.deleteScript(id: "a")
        #expect(try await store.scripts(ownerId: tech.id).map(\.id) == ["b"])
        await store.close()
    }

    @Test("times keep their value to the microsecond", arguments: TestDatabase.available)
    func times(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        let at = Date(timeIntervalSince1970: 1_800_000_000.123456)
        try await store.insertOrganisation(Organisation(id: "org", name: "Help Desk", createdAt: at))
        let read = try #require(try await store.organisation(id: "org"))
        #expect(abs(read.createdAt.timeIntervalSince(at)) < 0.000_002)
        await store.close()
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
        let store = try await SQLStore(path: path, logger: Logger(label: "test"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.insertOrganisation(Organisation(id: "o", name: "O", createdAt: t0))
        let options = ConsoleOptions(autoStartIncoming: true, confirmEnd: false, confirmLogout: true, mutedSounds: [.sessionUrgent])
        try await store.insertTechnician(Technician(id: "t", organisationId: "o", groupId: nil, email: "t@o.test", name: "T",
                                                    passwordHash: "h", role: .technician, disabled: false, language: "en",
                                                    createdAt: t0, options: options))
        #expect(try await store.technician(id: "t")?.options == options)
    }
}
