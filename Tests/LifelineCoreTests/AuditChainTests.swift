import Foundation
import Testing
@testable import LifelineCore

@Suite("Audit log hash chain")
struct AuditChainTests {
    /// FNV-1a, 64-bit, as hex: a stand-in for SHA-256 (the gateway's) in this pure test.
    static let hash: AuditChain.Hash = { bytes in
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(value, radix: 16)
    }

    static func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for index in 0..<count {
            entries.append(AuditChain.next(
                after: entries.last, atMilliseconds: 1_800_000_000_000 + Int64(index), organisationId: "org", actorId: "t\(index)",
                actorName: "Ann", action: .groupChanged, objectType: "group", objectId: "g1", before: #"{"name":"A"}"#,
                after: #"{"name":"B\#(index)"}"#, source: "127.0.0.1", hash: hash))
        }
        return entries
    }

    static func copy(_ e: AuditEntry, after: String? = nil, hash newHash: String? = nil, previousHash: String? = nil) -> AuditEntry {
        AuditEntry(sequence: e.sequence, atMilliseconds: e.atMilliseconds, organisationId: e.organisationId, actorId: e.actorId,
                   actorName: e.actorName, action: e.action, objectType: e.objectType, objectId: e.objectId, before: e.before,
                   after: after ?? e.after, source: e.source, previousHash: previousHash ?? e.previousHash, hash: newHash ?? e.hash)
    }

    @Test("an untouched log verifies; numbering starts at 1 from the genesis hash")
    func intact() {
        let entries = Self.chain(4)
        #expect(entries.map(\.sequence) == [1, 2, 3, 4])
        #expect(entries[0].previousHash == AuditChain.genesis)
        #expect(AuditChain.verify(entries, hash: Self.hash) == .intact(entries: 4, lastHash: entries[3].hash))
        #expect(AuditChain.verify([], hash: Self.hash) == .intact(entries: 0, lastHash: AuditChain.genesis))
    }

    @Test("a changed, removed, re-hashed or reordered entry is found")
    func tampering() {
        var entries = Self.chain(4)
        entries[1] = Self.copy(entries[1], after: #"{"name":"C"}"#)
        #expect(AuditChain.verify(entries, hash: Self.hash) == .broken(sequence: 2, reason: "its content was changed after it was written"))

        entries = Self.chain(4)
        entries.remove(at: 2)
        #expect(AuditChain.verify(entries, hash: Self.hash) == .broken(sequence: 4, reason: "entry 3 is missing"))

        // An attacker who also recomputes the changed entry's hash breaks the link to the next one.
        entries = Self.chain(4)
        let forged = Self.copy(entries[1], after: #"{"name":"C"}"#, hash: "")
        entries[1] = Self.copy(forged, hash: Self.hash(AuditChain.canonicalBytes(of: forged)))
        #expect(AuditChain.verify(entries, hash: Self.hash) == .broken(sequence: 3, reason: "it does not follow the entry before it"))
    }

    /// A head in the table: the sequence it names, and whether its hash is that entry's real one.
    struct Head: Sendable {
        let sequence: Int64
        var realHash = true
    }

    @Test("the head written with each entry shows a log cut short, entries not written by the gateway, a replaced last entry", arguments: [
        (0, Head?.none, 0, AuditChain.Verdict.intact(entries: 0, lastHash: AuditChain.genesis)),
        (4, nil, 4, .broken(sequence: 4, reason: "the record of the last entry written is missing")),
        (4, Head(sequence: 4, realHash: false), 4, .broken(sequence: 4, reason: "it is not the last entry the gateway wrote")),
        (6, Head(sequence: 6), 5, .broken(sequence: 6, reason: "entry 6, the last one written, is missing")),
        (6, Head(sequence: 6), 3, .broken(sequence: 4, reason: "entries 4 to 6, the last ones written, are missing")),
        (6, Head(sequence: 6), 0, .broken(sequence: 1, reason: "entries 1 to 6, the last ones written, are missing")),
        (6, Head(sequence: 2), 6, .broken(sequence: 3, reason: "the gateway never wrote the entries after 2")),
    ])
    func head(written: Int, head: Head?, kept: Int, verdict: AuditChain.Verdict) {
        let entries = Self.chain(written)
        let stored = head.map { AuditHead(sequence: $0.sequence, hash: $0.realHash ? entries[Int($0.sequence) - 1].hash : "forged", lost: 0) }
        #expect(AuditChain.verify(Array(entries.prefix(kept)), head: stored, hash: Self.hash) == verdict)
    }

    @Test("entries the gateway could not write are counted: the chain holds, the log is incomplete")
    func lostEntries() {
        let entries = Self.chain(3)
        #expect(AuditChain.verify(entries, head: AuditHead(sequence: 3, hash: entries[2].hash, lost: 0), hash: Self.hash)
            == .intact(entries: 3, lastHash: entries[2].hash))
        #expect(AuditChain.verify(entries, head: AuditHead(sequence: 3, hash: entries[2].hash, lost: 2), hash: Self.hash)
            == .incomplete(entries: 3, lost: 2))
    }

    @Test("absent and empty fields hash differently")
    func canonicalForm() {
        let entry = Self.chain(1)[0]
        #expect(AuditChain.canonicalBytes(of: Self.copy(entry, after: "")) != AuditChain.canonicalBytes(of: entry))
        let withoutAfter = AuditEntry(sequence: 1, atMilliseconds: 1, organisationId: nil, actorId: nil, actorName: "x", action: .signIn,
                                      objectType: nil, objectId: nil, before: nil, after: nil, source: nil, previousHash: "0", hash: "")
        let emptyAfter = AuditEntry(sequence: 1, atMilliseconds: 1, organisationId: nil, actorId: nil, actorName: "x", action: .signIn,
                                    objectType: nil, objectId: nil, before: nil, after: "", source: nil, previousHash: "0", hash: "")
        #expect(AuditChain.canonicalBytes(of: withoutAfter) != AuditChain.canonicalBytes(of: emptyAfter))
    }
}
