import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LifelineCore
import LifelineStore

/// `replies.xml` (D2), the file technicians export and import to share predefined replies and
/// URLs (schema in docs/replies-xml.md):
///
///     <?xml version="1.0" encoding="UTF-8"?>
///     <replies version="1">
///       <reply name="Greeting">Hello, …</reply>
///       <url name="Drivers">https://example.com/drivers</url>
///     </replies>
///
/// Hostile files are refused before parsing: no DOCTYPE (so no entity definitions, no external
/// entities, no entity expansion bombs), at most 1 MiB and 500 entries.
enum RepliesXML {
    struct Entry: Equatable {
        let kind: ReplyRules.Kind
        let name: String
        let content: String
    }

    struct Failure: Error, Equatable {
        let message: String
    }

    static let maximumBytes = 1_048_576

    static func export(_ replies: [Reply]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<replies version=\"1\">\n"
        for reply in replies {
            let tag = reply.kind.rawValue
            xml += "  <\(tag) name=\"\(escape(reply.name))\">\(escape(reply.content))</\(tag)>\n"
        }
        return xml + "</replies>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The entries of a replies.xml, each checked by `ReplyRules`; the first problem is reported
    /// with its line.
    static func parse(_ data: Data) throws(Failure) -> [Entry] {
        let reader = Reader()
        if let failure = SafeXML.parse(data, fileName: "replies.xml", maximumBytes: maximumBytes, limit: "1 MiB", reader: reader) {
            throw Failure(message: failure)
        }
        guard reader.sawRoot else { throw Failure(message: "replies.xml must have a <replies> root element.") }
        return reader.entries
    }

    private final class Reader: NSObject, SafeXMLReader {
        var entries: [Entry] = []
        var failure: String?
        var sawRoot = false
        private var current: (kind: ReplyRules.Kind, name: String, line: Int)?
        private var text = ""
        /// Open elements: the parser is lenient about mismatched end tags, this reader is not.
        private var open: [String] = []
        private var depth: Int { open.count }
        var isBalanced: Bool { open.isEmpty && sawRoot }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            open.append(name)
            if depth == 1 {
                guard name == "replies" else { return fail(parser, "the root element must be <replies>, not <\(name)>") }
                sawRoot = true
                return
            }
            guard depth == 2, let kind = ReplyRules.Kind(rawValue: name) else {
                return fail(parser, "unexpected element <\(name)> (only <reply> and <url> inside <replies>)")
            }
            guard entries.count < ReplyRules.maximumCount else { return fail(parser, "more than \(ReplyRules.maximumCount) entries") }
            current = (kind, attributes["name"] ?? "", parser.lineNumber)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard current != nil else { return }
            text += string
            if text.count > ReplyRules.maximumContentLength * 2 { fail(parser, "an entry is too long") }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard open.last == name else {
                return fail(parser, "line \(parser.lineNumber): </\(name)> does not close <\(open.last ?? "")> (not well-formed)")
            }
            defer { open.removeLast() }
            guard depth == 2, let entry = current else { return }
            current = nil
            do throws(ReplyRules.Problem) {
                let valid = try ReplyRules.validated(kind: entry.kind, name: entry.name, content: text)
                entries.append(Entry(kind: entry.kind, name: valid.name, content: valid.content))
            } catch {
                fail(parser, "line \(entry.line): \(ReplyRules.describe(error))")
            }
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            guard failure == nil else { return }
            failure = "replies.xml was not imported: \(message)."
            parser.abortParsing()
        }
    }
}
