#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore

extension SystemInfoReply {
    /// The answer cut into parts whose rows each encode to at most `maximumBytes` (a part always
    /// holds at least one row): processes, services and drivers may be long; the others are one part.
    /// The parts' rows, in order, are the rows of the whole.
    public func parts(maximumBytes: Int) -> [SystemInfoReply] {
        switch self {
        case .processes(let rows): Self.split(rows, maximumBytes: maximumBytes).map { .processes(Array(rows[$0])) }
        case .drivers(let modules): Self.split(modules, maximumBytes: maximumBytes).map { .drivers(Array(modules[$0])) }
        case .services(let units): Self.split(units, maximumBytes: maximumBytes).map { .services(Array(units[$0])) }
        case .startup(let entries): Self.split(entries, maximumBytes: maximumBytes).map { .startup(Array(entries[$0])) }
        case .applications(let applications): Self.split(applications, maximumBytes: maximumBytes).map { .applications(Array(applications[$0])) }
        case .events(let page):
            // The entries split like rows; every part carries the page's cursor and count.
            Self.split(page.entries, maximumBytes: maximumBytes - 2048).map { range in
                .events(EventPage(entries: Array(page.entries[range]), next: page.next, scanned: page.scanned, source: page.source))
            }
        case .dashboard, .user, .failed: [self]
        }
    }

    /// `parts(maximumBytes:)`, each encoded as `WireCodec.encodeValue` encodes it — a list's rows
    /// encoded once, both to measure them and to be sent (the applet's answers are mostly rows).
    public func encodedParts(maximumBytes: Int) -> [String] {
        switch self {
        case .processes(let rows): Self.encodedLists(rows, under: "processes", maximumBytes: maximumBytes)
        case .drivers(let modules): Self.encodedLists(modules, under: "drivers", maximumBytes: maximumBytes)
        case .services(let units): Self.encodedLists(units, under: "services", maximumBytes: maximumBytes)
        case .startup(let entries): Self.encodedLists(entries, under: "startup", maximumBytes: maximumBytes)
        case .applications(let applications): Self.encodedLists(applications, under: "applications", maximumBytes: maximumBytes)
        case .events, .dashboard, .user, .failed: parts(maximumBytes: maximumBytes).map { WireCodec.encodeValue($0) }
        }
    }

    /// Room for a part's rows in one text frame, leaving room for the envelope around them.
    public static let maximumPartBytes = WireProtocol.maximumFrameBytes - 2048

    /// `{"<key>":[rows],"kind":"<key>"}`, the two keys in the wire's sorted order, for each part.
    private static func encodedLists<Row: Encodable>(_ rows: [Row], under key: String, maximumBytes: Int) -> [String] {
        let encoded = rows.map { WireCodec.encodeValue($0) }
        let kind = "\"kind\":\"\(key)\""
        return cut(encoded.map(\.utf8.count), maximumBytes: maximumBytes).map { range in
            let list = "\"\(key)\":[" + encoded[range].joined(separator: ",") + "]"
            return "{" + (key < "kind" ? list + "," + kind : kind + "," + list) + "}"
        }
    }

    /// `encodedLists` for rows written directly (`DirectJSONRow`), cut from one buffer of their JSON.
    private static func encodedLists<Row: DirectJSONRow>(_ rows: [Row], under key: String, maximumBytes: Int) -> [String] {
        let (bytes, ends) = DirectJSON.rows(rows)
        let starts = ends.indices.map { $0 == 0 ? 0 : ends[$0 - 1] + 1 }
        let (opening, closing) = key < "kind" ? ("{\"\(key)\":[", "],\"kind\":\"\(key)\"}") : ("{\"kind\":\"\(key)\",\"\(key)\":[", "]}")
        return cut(zip(starts, ends).map { $1 - $0 }, maximumBytes: maximumBytes).map { range in
            var part = Array(opening.utf8)
            if !range.isEmpty { part += bytes[starts[range.lowerBound]..<ends[range.upperBound - 1]] }
            part += closing.utf8
            return String(decoding: part, as: UTF8.self)
        }
    }

    /// The whole answer encoded as `WireCodec.encodeValue` encodes it (the gateway relays each part so).
    public func encoded() -> String {
        // The applications' rows written directly; the others by JSONEncoder at once (cutting them
        // into parts would encode each row twice: once to measure it).
        if case .applications(let rows) = self { return Self.encodedLists(rows, under: "applications", maximumBytes: .max)[0] }
        return WireCodec.encodeValue(self)
    }

    private static func split<Row: Encodable>(_ rows: [Row], maximumBytes: Int) -> [Range<Int>] {
        cut(rows.map { WireCodec.encodeValue($0).utf8.count }, maximumBytes: maximumBytes)
    }

    /// Consecutive rows, by their encoded sizes, whose list (brackets and commas) fits `maximumBytes`.
    private static func cut(_ sizes: [Int], maximumBytes: Int) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        var bytes = 2 // the brackets
        for (index, size) in sizes.enumerated() {
            if index > start && bytes + size + 1 > maximumBytes {
                parts.append(start..<index)
                start = index
                bytes = 2
            }
            bytes += size + 1 // and its comma
        }
        parts.append(start..<sizes.count) // an empty list is one empty part
        return parts
    }
}

extension ProcessRow {
    /// A command line cut to `maximumCommandLineBytes` on a character boundary, "…" marking the cut.
    public static func clipped(_ commandLine: String) -> String { commandLine.clipped(toUTF8Bytes: maximumCommandLineBytes) }
}

extension SystemInfoReplyMessage {
    /// The applet's part of the applications view read as `text(requestId:encodedPart:more:)` writes
    /// it, without JSONDecoder; nil for any other text, which is decoded the general way.
    static func directlyRead(_ text: String) -> SystemInfoReplyMessage? {
        // Any other message is told at its first bytes, before anything is copied.
        let (opening, openingWithMore) = ("{\"reply\":{\"applications\":[", "{\"more\":true,\"reply\":{\"applications\":[")
        let more = text.utf8.starts(with: openingWithMore.utf8)
        guard more || text.utf8.starts(with: opening.utf8) else { return nil }
        var json = DirectJSON.Reader(text)
        _ = json.take(more ? openingWithMore : opening)
        guard let rows = json.rows(of: InstalledApplication.self),
              json.take(",\"kind\":\"applications\"},\"requestId\":"), let requestId = json.string(),
              json.take(",\"type\":\"system_info_reply\",\"v\":\(WireProtocol.version)}"), json.atEnd else { return nil }
        return SystemInfoReplyMessage(sessionId: nil, requestId: requestId, reply: .applications(rows), more: more ? true : nil)
    }

    /// The applet's `system_info_reply` (no session) around one part already encoded by
    /// `WireCodec.encodeValue`: the bytes `WireCodec.encode` makes of the same message, so a view
    /// asked again unchanged (Refresh) is sent without being encoded again.
    public static func text(sessionId: String? = nil, requestId: String, encodedPart: String, more: Bool) -> String {
        // The keys in the wire's sorted order: more, reply, requestId, sessionId, type, v.
        (more ? "{\"more\":true,\"reply\":" : "{\"reply\":") + encodedPart
            + WireCodec.replyTail(requestId: requestId, sessionId: sessionId, type: "system_info_reply")
    }
}

extension AppletToGateway {
    /// The applications view's parts and the file manager's listing pages, a thousand rows and
    /// more, read directly (`DirectJSON`).
    public static func directlyRead(_ text: String) -> AppletToGateway? {
        SystemInfoReplyMessage.directlyRead(text).map { .systemInfoReply($0) }
            ?? FileManagerReplyMessage.directlyRead(text).map { .fileManagerReply($0) }
    }
}
