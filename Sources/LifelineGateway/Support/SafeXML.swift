import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a reader of an imported file says once the parser is done.
protocol SafeXMLReader: XMLParserDelegate {
    /// The first problem found, worded for the technician.
    var failure: String? { get }
    /// Every element opened was closed (the parser is lenient about that; the readers are not).
    var isBalanced: Bool { get }
}

/// The files technicians import (replies.xml, scripts.xml), refused before parsing when they could
/// hurt: too large, not UTF-8, a DOCTYPE or an entity (which can read files or expand without end);
/// then parsed without external entities or namespaces.
enum SafeXML {
    /// nil when `reader` took the whole file; otherwise what is wrong, naming `fileName`.
    static func parse(_ data: Data, fileName: String, maximumBytes: Int, limit: String, reader: some SafeXMLReader) -> String? {
        guard data.count <= maximumBytes else { return "\(fileName) is larger than \(limit)." }
        guard let text = String(data: data, encoding: .utf8) else { return "\(fileName) must be UTF-8 text." }
        let upper = text.uppercased()
        guard !upper.contains("<!DOCTYPE"), !upper.contains("<!ENTITY") else {
            return "\(fileName) may not declare a DOCTYPE or entities (refused: they can read files or expand without end)."
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = reader
        guard parser.parse(), reader.failure == nil, reader.isBalanced else {
            return reader.failure ?? "\(fileName) is not well-formed XML (line \(parser.lineNumber)): "
                + (parser.parserError?.localizedDescription ?? "parse error") + "."
        }
        return nil
    }
}
