import LifelineStore
import NIOConcurrencyHelpers

/// The lease token this gateway node writes each live session under (issue 20), read by every
/// session write without waiting for the node. A session whose lease was taken over keeps its old
/// token here: its writes are then refused by the database (fenced), never let through unchecked.
final class LeaseBook: Sendable {
    private struct Book {
        var nodeId: String?
        var tokens: [String: Int64] = [:]
    }

    private let book = NIOLockedValueBox(Book())

    /// What a write of the session carries; nil before its first lease (a new session, or no cluster node).
    func fence(for sessionId: String) -> LeaseFence? {
        book.withLockedValue { book in
            guard let nodeId = book.nodeId, let token = book.tokens[sessionId] else { return nil }
            return LeaseFence(nodeId: nodeId, fencing: token)
        }
    }

    /// The tokens the book has for these sessions.
    func tokens(of sessionIds: Set<String>) -> [String: Int64] {
        book.withLockedValue { book in book.tokens.filter { sessionIds.contains($0.key) } }
    }

    /// A session taken over from a node that died: its writes carry the new token at once.
    func hold(_ sessionId: String, fencing: Int64, nodeId: String) {
        book.withLockedValue { book in
            book.nodeId = nodeId
            book.tokens[sessionId] = fencing
        }
    }

    /// After a heartbeat: the tokens held now; a live session held no more keeps its last token;
    /// sessions no longer live are forgotten.
    func update(nodeId: String, held: [String: Int64], live: Set<String>) {
        book.withLockedValue { book in
            book.nodeId = nodeId
            book.tokens.merge(held) { _, new in new }
            book.tokens = book.tokens.filter { live.contains($0.key) }
        }
    }
}
