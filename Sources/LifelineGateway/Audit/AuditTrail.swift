import Crypto
import Foundation
import LifelineCore
import LifelineStore
import Logging

/// Writes the audit log: one entry at a time (an actor), each chained to the one before with
/// SHA-256. An entry that cannot be written after a few tries fails the request that made it
/// (`audit_unavailable`) and is counted in the log's head with the next entry written, so
/// `audit verify` reports the gap.
actor AuditTrail {
    private let store: any Store
    private let environment: GatewayEnvironment
    private let logger: Logger
    /// Entries given up since the last one written; the next write adds them to the head.
    private var lostSinceLastWrite: Int64 = 0
    private let turns = KeyedLocks()
    static let writeAttempts = 5

    init(store: any Store, environment: GatewayEnvironment, logger: Logger) {
        self.store = store
        self.environment = environment
        self.logger = logger
    }

    static let sha256: AuditChain.Hash = { bytes in
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// What changed, as the log keeps it: JSON with sorted keys.
    static func json(_ value: (some Encodable)?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends one entry, linked to the entry the store really holds last (read in the same unit of
    /// work, which other gateway nodes wait for). This gateway's entries take turns too; a failed
    /// write is tried again before it is given up: counted as lost, logged as critical, and thrown
    /// so the caller's request fails.
    func record(_ action: AuditAction, organisationId: String?, actorId: String?, actorName: String, objectType: String? = nil,
                objectId: String? = nil, before: String? = nil, after: String? = nil, source: String? = nil) async throws(GatewayError) {
        let written = await turns.withLock("audit") { () -> Bool in
            for attempt in 1...Self.writeAttempts {
                do {
                    let at = Int64((environment.now().timeIntervalSince1970 * 1_000).rounded())
                    _ = try await store.appendNextAudit(lostBefore: lostSinceLastWrite) { last in
                        AuditChain.next(after: last, atMilliseconds: at, organisationId: organisationId, actorId: actorId, actorName: actorName,
                                        action: action, objectType: objectType, objectId: objectId, before: before, after: after,
                                        source: source, hash: Self.sha256)
                    }
                    lostSinceLastWrite = 0
                    return true
                } catch {
                    let metadata: Logger.Metadata = [
                        "audit.action": "\(action.rawValue)", "audit.object": "\(objectType ?? "-") \(objectId ?? "-")",
                        "audit.actor": "\(actorName)", "audit.attempt": "\(attempt)", "error": "\(error)",
                    ]
                    guard attempt < Self.writeAttempts else {
                        lostSinceLastWrite += 1
                        logger.critical("Could not write the audit log; the entry is lost and counted for audit verify", metadata: metadata)
                        return false
                    }
                    logger.warning("Could not write the audit log; trying again", metadata: metadata)
                    do { try await Task.sleep(for: .milliseconds(25 * attempt)) } catch {
                        lostSinceLastWrite += 1
                        logger.critical("Stopped while writing the audit log; the entry is lost and counted for audit verify", metadata: metadata)
                        return false
                    }
                }
            }
            return false
        }
        guard written else {
            throw GatewayError(.auditUnavailable, "The audit log could not be written, so the action is not confirmed: try again, and tell the administrator.")
        }
    }

    /// An administrator's or technician's action on an object.
    func record(_ action: AuditAction, by actor: Actor, objectType: String, objectId: String, before: String? = nil, after: String? = nil,
                source: String? = nil) async throws(GatewayError) {
        try await record(action, organisationId: actor.technician.organisationId, actorId: actor.id, actorName: actor.technician.name,
                     objectType: objectType, objectId: objectId, before: before, after: after, source: source)
    }

    /// `lifeline-server audit verify`: the whole chain checked.
    static func verify(store: any Store) async throws -> AuditChain.Verdict {
        AuditChain.verify(try await store.allAuditEntries(), head: try await store.auditHead(), hash: sha256)
    }
}

/// `lifeline-server audit verify`: opens the database and checks the whole chain.
public func verifyAuditLog(in location: DatabaseLocation, logger: Logger) async throws -> AuditChain.Verdict {
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
        throw GatewayError(.noDatabase, "There is no Lifeline database at \(path).")
    }
    let store = try await SQLStore(location, logger: logger)
    do {
        let verdict = try await AuditTrail.verify(store: store)
        await store.close()
        return verdict
    } catch {
        await store.close()
        throw error
    }
}
