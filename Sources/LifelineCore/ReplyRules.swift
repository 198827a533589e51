#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Predefined replies and URLs (D2, D3): short name, plain-text content; a URL must be http,
/// https or ftp. Pure, shared by the API and the replies.xml import.
public enum ReplyRules {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case reply
        case url
    }

    public enum Problem: Error, Equatable, Sendable {
        case badName
        case badContent
        case badURL
    }

    public static let maximumNameLength = 64
    public static let maximumContentLength = 4_000
    /// At most this many per organisation.
    public static let maximumCount = 500

    /// The name and content trimmed and checked; a URL's content must be one absolute http(s) or ftp address.
    public static func validated(kind: Kind, name: String, content: String) throws(Problem) -> (name: String, content: String) {
        let name = name.trimmed
        let content = content.trimmed
        guard (1...maximumNameLength).contains(name.count), !hasControlCharacters(name, allowingLineBreaks: false) else { throw .badName }
        guard (1...maximumContentLength).contains(content.count), !hasControlCharacters(content, allowingLineBreaks: kind == .reply) else {
            throw .badContent
        }
        if kind == .url { try checkURL(content) }
        return (name, content)
    }

    /// A link the applet may open: http, https or ftp, with a host, one line, no control characters
    /// (a NUL would reach the customer's browser launcher as a shorter URL than the one logged).
    public static func checkURL(_ text: String) throws(Problem) {
        guard text.count <= 2_000, !text.contains(where: \.isWhitespace), !hasControlCharacters(text, allowingLineBreaks: false),
              let url = URL(string: text),
              let scheme = url.scheme?.lowercased(), ["http", "https", "ftp"].contains(scheme), url.host?.isEmpty == false else {
            throw .badURL
        }
    }

    static func hasControlCharacters(_ text: String, allowingLineBreaks: Bool) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control && !(allowingLineBreaks && (scalar == "\n" || scalar == "\r" || scalar == "\t"))
        }
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .badName: "A name is 1 to \(maximumNameLength) characters on one line."
        case .badContent: "The text is 1 to \(maximumContentLength) characters of plain text."
        case .badURL: "A URL starts with http://, https:// or ftp:// and names a host, without spaces or control characters."
        }
    }
}
