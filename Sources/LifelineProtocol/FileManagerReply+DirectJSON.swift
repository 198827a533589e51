#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A folder's entries written and read without JSONEncoder and JSONDecoder (`DirectJSON`): a
/// listing is mostly entries, and a tree's plan asks for thousands of them — the gateway spent
/// about 7 µs an entry reading each page and writing it again for the console.
extension FileManagerEntry: DirectJSONRow {
    public func writeJSON(_ object: inout DirectJSON.Object) {
        object.field("kind", kind.rawValue)
        object.field("mode", Int64(mode))
        object.field("modified", modified)
        object.field("name", name)
        object.field("owner", owner)
        object.field("size", size)
        object.field("target", target)
    }

    /// Names in their text form only; a name that is not UTF-8 (its object form) leaves the whole
    /// message to JSONDecoder.
    public init?(reading json: inout DirectJSON.Reader) {
        guard json.openObject(), json.key("kind"), let kindText = json.string(), let kind = Kind(rawValue: kindText),
              json.key("mode"), let mode = json.int64().flatMap(UInt32.init(exactly:)),
              json.key("modified"), let modified = json.double(),
              json.key("name"), let name = json.string(),
              json.key("owner"), let owner = json.string(),
              json.key("size"), let size = json.int64() else { return nil }
        var target: WireFileName? = nil
        if json.key("target") {
            guard let text = json.string() else { return nil }
            target = WireFileName(text)
        }
        guard json.take("}") else { return nil }
        self.init(name: WireFileName(name), kind: kind, size: size, mode: mode, owner: owner, modified: modified, target: target)
    }
}

extension FileManagerReply {
    /// This reply as `WireCodec.encodeValue` encodes it, a listing's entries written directly.
    public func encoded() -> String {
        guard case .entries(let entries, let done) = self else { return WireCodec.encodeValue(self) }
        // The keys in the wire's sorted order: done, entries, kind.
        var text = Array("{\"done\":\(done),\"entries\":[".utf8)
        text += DirectJSON.rows(entries).bytes
        text += "],\"kind\":\"entries\"}".utf8
        return String(decoding: text, as: UTF8.self)
    }
}

extension FileManagerReplyMessage {
    /// The message around a reply encoded by `encoded()`: the bytes `WireCodec.encode` makes of
    /// the same message on either channel (the applet's has no session, the console's has one).
    public static func text(sessionId: String? = nil, requestId: String, encodedReply: String) -> String {
        // The keys in the wire's sorted order: reply, requestId, sessionId, type, v.
        "{\"reply\":" + encodedReply + WireCodec.replyTail(requestId: requestId, sessionId: sessionId, type: "file_manager_reply")
    }

    /// The applet's listing page read as `text(requestId:encodedReply:)` writes it, without
    /// JSONDecoder; nil for any other text, which is decoded the general way.
    static func directlyRead(_ text: String) -> FileManagerReplyMessage? {
        // Any other message is told at its first bytes, before anything is copied.
        let opening = "{\"reply\":{\"done\":"
        guard text.utf8.starts(with: opening.utf8) else { return nil }
        var json = DirectJSON.Reader(text)
        _ = json.take(opening)
        let done: Bool
        if json.take("true") { done = true } else if json.take("false") { done = false } else { return nil }
        guard json.take(",\"entries\":["), let entries = json.rows(of: FileManagerEntry.self),
              json.take(",\"kind\":\"entries\"},\"requestId\":"), let requestId = json.string(),
              json.take(",\"type\":\"file_manager_reply\",\"v\":\(WireProtocol.version)}"), json.atEnd else { return nil }
        return FileManagerReplyMessage(sessionId: nil, requestId: requestId, reply: .entries(entries, done: done))
    }
}
