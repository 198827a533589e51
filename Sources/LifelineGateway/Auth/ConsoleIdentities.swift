import Foundation
import NIOConcurrencyHelpers

/// Who is behind each open console socket: resolved once at the upgrade, then kept current by the
/// changes that alter it (a group's permissions, a technician's group, role or name), so a console
/// message costs no store read. Sign-out, disabling, deleting and password resets close the sockets
/// (`SessionHub.closeConsoles`); a login that expires is refused at its next message.
final class ConsoleIdentities: Sendable {
    struct Entry: Sendable {
        var actor: Actor
        let expiresAt: Date
    }

    private let entries = NIOLockedValueBox<[UUID: Entry]>([:])
    /// Refreshes of one technician take turns, so an older read never overwrites a newer one.
    private let turns = KeyedLocks()

    func register(_ socketId: UUID, actor: Actor, expiresAt: Date) {
        entries.withLockedValue { $0[socketId] = Entry(actor: actor, expiresAt: expiresAt) }
    }

    func remove(_ socketId: UUID) {
        entries.withLockedValue { $0[socketId] = nil }
    }

    /// The technician behind the socket now; nil once the login expired or was taken back.
    func actor(of socketId: UUID, at now: Date) -> Actor? {
        entries.withLockedValue { entries in
            guard let entry = entries[socketId] else { return nil }
            guard entry.expiresAt > now else {
                entries[socketId] = nil
                return nil
            }
            return entry.actor
        }
    }

    /// Reads the technician's logins behind open sockets again (an administrator changed them) and
    /// returns what they are now; a login that no longer resolves is dropped.
    @discardableResult
    func refresh(technicianId: String, using resolve: @Sendable (_ tokenHash: String, _ viaCookie: Bool) async throws -> Actor?) async throws -> [Actor] {
        try await turns.withLock("technician:\(technicianId)") {
            let logins = entries.withLockedValue { entries in
                Set(entries.values.filter { $0.actor.id == technicianId }.map { LoginKey(tokenHash: $0.actor.tokenHash, viaCookie: $0.actor.viaCookie) })
            }
            var current: [LoginKey: Actor?] = [:]
            for login in logins { current.updateValue(try await resolve(login.tokenHash, login.viaCookie), forKey: login) }
            // Only sockets still open are written: a socket closed meanwhile stays gone.
            entries.withLockedValue { entries in
                for (id, entry) in entries where entry.actor.id == technicianId {
                    let login = LoginKey(tokenHash: entry.actor.tokenHash, viaCookie: entry.actor.viaCookie)
                    guard let resolved = current[login] else { continue }
                    if let actor = resolved { entries[id]?.actor = actor } else { entries[id] = nil }
                }
            }
            return current.values.compactMap { $0 }
        }
    }

    private struct LoginKey: Hashable {
        let tokenHash: String
        let viaCookie: Bool
    }
}
