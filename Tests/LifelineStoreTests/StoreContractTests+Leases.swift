import Foundation
import LifelineCore
import LifelineTestSupport
import Testing
@testable import LifelineStore

/// Gateway nodes and session leases (issue 20), on the database's clock: the same expectations on
/// SQLite and PostgreSQL, races run for real.
extension StoreContractTests {
    /// A live session to lease.
    func leasedSession(_ store: SQLStore, id: String = "200000001") async throws -> String {
        let record = SessionRecord(id: id, organisationId: "org", technicianId: "t", name: "Ann", method: .pin, pin: nil,
                                   linkTokenHash: nil, appletTokenHash: nil, machine: SessionMachine(createdAt: t0), customer: nil, closedAt: nil)
        try await store.insertSession(record)
        return id
    }

    @Test("nodes register and say they are alive on the database's clock; a removed one is not heard again", arguments: TestDatabase.available)
    func nodes(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        let before = Date()
        let a = try await store.registerNode(id: "node-a", address: "https://10.0.0.11:8443")
        let b = try await store.registerNode(id: "node-b", address: "https://10.0.0.12:8443")
        #expect(abs(a.heartbeatAt.timeIntervalSince(before)) < 60, "the database's clock, near this computer's")
        let beat = try #require(try await store.heartbeat(nodeId: "node-a"))
        #expect(beat >= a.heartbeatAt)
        #expect(try await store.nodes(heardWithin: 30).map(\.id).sorted() == ["node-a", "node-b"])
        #expect(try await store.nodes(heardWithin: -30).isEmpty, "none heard in the future")
        try await store.removeNode(id: "node-b")
        #expect(try await store.heartbeat(nodeId: "node-b") == nil)
        #expect(try await store.nodes(heardWithin: 30).map(\.address) == ["https://10.0.0.11:8443"])
        #expect(b.address == "https://10.0.0.12:8443")
    }

    @Test("a lease is its holder's while the holder beats: kept with the same token, taken from a silent one with the next, released for anyone",
          arguments: TestDatabase.available)
    func leases(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        let id = try await leasedSession(store)
        _ = try await store.registerNode(id: "a", address: "a")
        let first = try #require(try await store.takeLease(sessionId: id, nodeId: "a", staleAfter: 15))
        #expect(first.nodeId == "a" && first.fencing == 1)
        #expect(try await store.takeLease(sessionId: id, nodeId: "b", staleAfter: 15) == nil, "a beats: held")
        #expect(try await store.takeLease(sessionId: id, nodeId: "a", staleAfter: 15) == first, "its own again: the same token")
        #expect(try await store.leases(nodeId: "a") == [id: 1])
        #expect(try await store.leases(nodeId: "b").isEmpty)

        // a has not beaten within the last -1 seconds (a silence of any length counts): b takes it with the next token.
        let taken = try #require(try await store.takeLease(sessionId: id, nodeId: "b", staleAfter: -1))
        #expect(taken.nodeId == "b" && taken.fencing == 2)
        #expect(try await store.lease(sessionId: id) == taken)
        #expect(try await store.leases(nodeId: "a").isEmpty)
        // b never registered: a node that is not there holds nothing against others.
        #expect(try await store.takeLease(sessionId: id, nodeId: "a", staleAfter: 15)?.fencing == 3)

        #expect(try await store.releaseLeases(nodeId: "a") == 1)
        #expect(try await store.lease(sessionId: id) == nil)
        #expect(try await store.takeLease(sessionId: id, nodeId: "c", staleAfter: 15)?.nodeId == "c")

        // Many at once, 500 to a statement: the free ones granted, the one c holds (c is not registered: taken too).
        var ids: [String] = []
        for number in 0..<1_203 { ids.append(try await leasedSession(store, id: "4\(100_000_000 + number)")) }
        _ = try await store.registerNode(id: "c", address: "c")
        let granted = try await store.takeLeases(sessionIds: ids + [id], nodeId: "d", staleAfter: 15)
        #expect(granted.count == 1_203 && Set(granted.map(\.sessionId)) == Set(ids) && granted.allSatisfy { $0.fencing == 1 })
        #expect(try await store.leases(nodeId: "d").count == 1_203)
    }

    @Test("a fenced write lands under the session's lease (or none) and is refused under a lease taken over since",
          arguments: TestDatabase.available)
    func fencedWrites(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        let id = try await leasedSession(store)
        var record = try #require(try await store.session(id: id))
        record.name = "No lease yet"
        record.version = try await store.updateSession(record, viewsChanged: false, fence: LeaseFence(nodeId: "a", fencing: 1))
        _ = try await store.registerNode(id: "a", address: "a")
        _ = try #require(try await store.takeLease(sessionId: id, nodeId: "a", staleAfter: 15))
        record.name = "Under a's lease"
        record.version = try await store.updateSession(record, viewsChanged: true, fence: LeaseFence(nodeId: "a", fencing: 1))

        // a falls silent; b takes the session over (token 2): a's writes, with its old token, are refused.
        _ = try #require(try await store.takeLease(sessionId: id, nodeId: "b", staleAfter: -1))
        record.name = "a, cut off"
        for viewsChanged in [false, true] {
            await #expect(throws: StoreError.self) {
                try await store.updateSession(record, viewsChanged: viewsChanged, fence: LeaseFence(nodeId: "a", fencing: 1))
            }
        }
        #expect(try await store.session(id: id)?.name == "Under a's lease")
        record.name = "b's"
        #expect(try await store.updateSession(record, viewsChanged: false, fence: LeaseFence(nodeId: "b", fencing: 2)) == record.version + 1)
        #expect(try await store.session(id: id)?.name == "b's")
    }

    @Test("30 live nodes take the same free lease at once, then the lease of a node that died: exactly one wins each time (10 rounds)",
          arguments: TestDatabase.available)
    func leaseRace(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        _ = try await seed(store)
        for round in 0..<10 {
            let id = try await leasedSession(store, id: "3000000\(10 + round)")
            for phase in ["free", "died"] {
                let racers = (0..<30).map { "\(phase)-\(round)-\($0)" }
                for racer in racers { _ = try await store.registerNode(id: racer, address: racer) }
                if phase == "died", let holder = try await store.lease(sessionId: id)?.nodeId {
                    // The holder stops beating and is gone: its lease is anyone's.
                    try await store.removeNode(id: holder)
                }
                let winners = try await withThrowingTaskGroup(of: SessionLease?.self) { group in
                    for racer in racers {
                        group.addTask { try await store.takeLease(sessionId: id, nodeId: racer, staleAfter: 15) }
                    }
                    return try await group.reduce(into: [SessionLease]()) { if let lease = $1 { $0.append(lease) } }
                }
                #expect(winners.count == 1, "round \(round), \(phase): \(winners.map(\.nodeId))")
                #expect(try await store.lease(sessionId: id)?.nodeId == winners.first?.nodeId)
                #expect(winners.first?.fencing == (phase == "free" ? 1 : 2))
            }
        }
    }

    @Test("failures one node records are read by the others, of the kinds asked, by age on the database's clock; old ones forgotten",
          arguments: TestDatabase.available)
    func sharedFailures(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        try await store.recordSharedFailure(nodeId: "node-a", kind: .wrongGuess, key: "203.0.113.7")
        try await store.recordSharedFailure(nodeId: "node-a", kind: .signInFailed, key: "ann@example.com\n203.0.113.7")
        try await store.recordSharedFailure(nodeId: "node-b", kind: .wrongGuess, key: "198.51.100.1")
        let seenByB = try await store.sharedFailures(of: [.wrongGuess], notFrom: "node-b", withinSeconds: 60)
        #expect(seenByB.map(\.key) == ["203.0.113.7"], "A's wrong guess, not A's sign-in, not B's own")
        #expect(seenByB.allSatisfy { $0.nodeId == "node-a" && (0..<60).contains($0.age) })
        let signIns = try await store.sharedFailures(of: [.signInFailed, .signInSucceeded], notFrom: "node-c", withinSeconds: 60)
        #expect(signIns.map(\.kind) == [.signInFailed])
        #expect(try await store.sharedFailures(of: [.wrongGuess], notFrom: "node-c", withinSeconds: -1).isEmpty, "none in the future")
        #expect(try await store.forgetSharedFailures(olderThanSeconds: 3_600) == 0)
        #expect(try await store.forgetSharedFailures(olderThanSeconds: -1) == 3, "all older than a second from now")
        #expect(try await store.sharedFailures(of: [.wrongGuess], notFrom: "node-c", withinSeconds: 60).isEmpty)
    }

    @Test("40 entries appended at once, each after the entry really last: none collides, the chain verifies (the nodes of a cluster append in turn)",
          arguments: TestDatabase.available)
    func auditAppendedInTurn(database: TestDatabase) async throws {
        let (store, _) = try await freshStore(database)
        try await store.insertOrganisation(Organisation(id: "org", name: "Help Desk", createdAt: t0))
        let hash: AuditChain.Hash = { bytes in String(bytes.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    _ = try await store.appendNextAudit(lostBefore: 0) { last in
                        AuditChain.next(after: last, atMilliseconds: Int64(index), organisationId: "org", actorId: nil, actorName: "writer \(index)",
                                        action: .pinCreated, objectType: nil, objectId: nil, before: nil, after: nil, source: nil, hash: hash)
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try await store.allAuditEntries()
        #expect(entries.map(\.sequence) == Array(1...40))
        #expect(Set(entries.map(\.actorName)).count == 40)
        #expect(AuditChain.verify(entries, head: try await store.auditHead(), hash: hash) == .intact(entries: 40, lastHash: entries.last?.hash ?? ""))
        await store.close()
    }
}
