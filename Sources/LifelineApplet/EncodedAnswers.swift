import LifelineProtocol
import Synchronization

/// Each view's last answer with its parts encoded. Asked again and found unchanged (Refresh on
/// the applications, services or startup entries), an answer is sent as it was encoded, without
/// being cut and encoded again: comparing the rows costs far less than writing their JSON.
final class EncodedAnswers: Sendable {
    private struct Kept: Sendable {
        let reply: SystemInfoReply
        let parts: [String]
    }

    private let kept = Mutex<[SystemInfoView: Kept]>([:])
    static let shared = EncodedAnswers()

    /// The reply's parts, encoded (`SystemInfoReply.encodedParts`).
    func parts(of reply: SystemInfoReply, view: SystemInfoView) -> [String] {
        if let last = kept.withLock({ $0[view] }), last.reply == reply { return last.parts }
        let parts = reply.encodedParts(maximumBytes: SystemInfoReply.maximumPartBytes)
        // Two answers of one view at once: the later write wins, and either is a right answer.
        kept.withLock { $0[view] = Kept(reply: reply, parts: parts) }
        return parts
    }
}
