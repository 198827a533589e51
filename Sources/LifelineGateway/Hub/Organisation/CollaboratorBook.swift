import Foundation
import LifelineStore
import NIOConcurrencyHelpers

/// External collaborators still invited or collaborating (I2), findable by their one-time PIN or
/// link and by their console's token. Single-use steps compare and change under one lock: of
/// concurrent joins with one PIN, exactly one claims it.
final class CollaboratorBook: Sendable {
    private let collaborators = NIOLockedValueBox<[String: ExternalCollaborator]>([:])

    var count: Int { collaborators.withLockedValue { $0.count } }

    subscript(id: String) -> ExternalCollaborator? {
        collaborators.withLockedValue { $0[id] }
    }

    func set(_ collaborator: ExternalCollaborator?, id: String) {
        collaborators.withLockedValue { $0[id] = collaborator }
    }

    /// The session's collaborators, oldest invitation first.
    func all(in sessionId: String) -> [ExternalCollaborator] {
        collaborators.withLockedValue { $0.values.filter { $0.sessionId == sessionId } }.sorted { $0.createdAt < $1.createdAt }
    }

    /// Adds an invitation unless the session has `maximum` open ones already: counted and added in
    /// one step, so concurrent invitations cannot pass the limit together.
    func add(_ collaborator: ExternalCollaborator, maximumPerSession maximum: Int) -> Bool {
        collaborators.withLockedValue { collaborators in
            guard collaborators.values.filter({ $0.sessionId == collaborator.sessionId && $0.isOpen }).count < maximum else { return false }
            collaborators[collaborator.id] = collaborator
            return true
        }
    }

    /// Replaces `expected` with `new` only if nobody changed it meanwhile.
    func replace(_ expected: ExternalCollaborator, with new: ExternalCollaborator?) -> Bool {
        collaborators.withLockedValue { collaborators in
            guard collaborators[expected.id] == expected else { return false }
            collaborators[expected.id] = new
            return true
        }
    }

    func withPin(_ pin: String) -> ExternalCollaborator? {
        collaborators.withLockedValue { $0.values.first { $0.pin == pin } }
    }

    func withLinkHash(_ hash: String) -> ExternalCollaborator? {
        collaborators.withLockedValue { $0.values.first { $0.linkTokenHash == hash } }
    }

    func withTokenHash(_ hash: String) -> ExternalCollaborator? {
        collaborators.withLockedValue { $0.values.first { $0.tokenHash == hash && $0.isOpen } }
    }

    var pins: Set<String> {
        collaborators.withLockedValue { Set($0.values.compactMap(\.pin)) }
    }
}
