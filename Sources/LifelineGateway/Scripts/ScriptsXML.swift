import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LifelineCore
import LifelineStore

/// `scripts.xml` (N1), the file technicians export and import to move a script library (schema in
/// docs/scripts-xml.md):
///
///     <scripts version="1">
///       <script name="Clear print queue" file="clear.sh" platforms="linux" runAtStart="false" timeLimit="300" favourite="true">
///         <description>…</description>
///         <parameter name="printer" label="Printer" kind="text" required="true" default="office"/>
///         <content>#!/bin/sh …</content>
///         <resource name="cups.conf">base64…</resource>
///       </script>
///     </scripts>
///
/// Refused before parsing as replies.xml is: a DOCTYPE or entity, more than 64 MiB; every script is
/// checked by `ScriptRules` and a file with any problem adds nothing.
enum ScriptsXML {
    struct Failure: Error, Equatable {
        let message: String
    }

    static let maximumBytes = 64 * 1024 * 1024

    static func export(_ scripts: [(LibraryScript, Data?)]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scripts version=\"1\">\n"
        for (script, resource) in scripts {
            let d = script.definition
            xml += "  <script name=\"\(RepliesXML.escape(d.name))\" file=\"\(RepliesXML.escape(d.fileName))\" "
                + "platforms=\"\(d.platforms.map(\.rawValue).joined(separator: " "))\" runAtStart=\"\(d.runAtStart)\" "
                + "timeLimit=\"\(d.timeLimitSeconds)\" favourite=\"\(script.favourite)\">\n"
            if !d.description.isEmpty { xml += "    <description>\(escapeText(d.description))</description>\n" }
            for parameter in d.parameters {
                xml += "    <parameter name=\"\(parameter.name)\" label=\"\(RepliesXML.escape(parameter.label))\" kind=\"\(parameter.kind.rawValue)\" "
                    + "required=\"\(parameter.required)\"" + (parameter.defaultValue.map { " default=\"\(RepliesXML.escape($0))\"" } ?? "")
                xml += parameter.choices.isEmpty ? "/>\n"
                    : ">" + parameter.choices.map { "<choice>\(RepliesXML.escape($0))</choice>" }.joined() + "</parameter>\n"
            }
            xml += "    <content>\(escapeText(d.content))</content>\n"
            if let name = d.resourceName, let resource {
                xml += "    <resource name=\"\(RepliesXML.escape(name))\">\(resource.base64EncodedString())</resource>\n"
            }
            xml += "  </script>\n"
        }
        return xml + "</scripts>\n"
    }

    /// Element text: line feeds and tabs stay as they are (a script stays readable); a carriage
    /// return is escaped, or the parser would turn it into a line feed.
    static func escapeText(_ text: String) -> String {
        RepliesXML.escape(text).replacingOccurrences(of: "&#10;", with: "\n").replacingOccurrences(of: "&#9;", with: "\t")
    }

    static func parse(_ data: Data) throws(Failure) -> [ScriptLibrary.Entry] {
        let reader = Reader()
        if let failure = SafeXML.parse(data, fileName: "scripts.xml", maximumBytes: maximumBytes, limit: "64 MiB", reader: reader) {
            throw Failure(message: failure)
        }
        return reader.entries
    }

    private final class Reader: NSObject, SafeXMLReader {
        var entries: [ScriptLibrary.Entry] = []
        var failure: String?
        private var sawRoot = false
        private var open: [String] = []
        private var script: (attributes: [String: String], line: Int)?
        private var scriptDescription = ""
        private var content = ""
        private var parameters: [ScriptParameter] = []
        private var resource: (name: String, base64: String)?
        private var text = ""
        var isBalanced: Bool { open.isEmpty && sawRoot }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            open.append(name)
            text = ""
            switch (open.count, name) {
            case (1, "scripts"):
                sawRoot = true
            case (2, "script"):
                guard entries.count < ScriptRules.maximumCount else { return fail(parser, "more than \(ScriptRules.maximumCount) scripts") }
                script = (attributes, parser.lineNumber)
                scriptDescription = ""
                content = ""
                parameters = []
                resource = nil
            case (3, "parameter"):
                guard let kind = ScriptParameter.Kind(rawValue: attributes["kind"] ?? "text") else {
                    return fail(parser, "line \(parser.lineNumber): a parameter's kind is text, number or choice")
                }
                parameters.append(ScriptParameter(name: attributes["name"] ?? "", label: attributes["label"] ?? attributes["name"] ?? "",
                                                  kind: kind, required: attributes["required"] == "true", defaultValue: attributes["default"]))
            case (3, "resource"):
                resource = (attributes["name"] ?? "", "")
            case (3, "description"), (3, "content"):
                // Inside a <script>: a depth-2 element that is not one has failed already.
                break
            case (4, "choice") where open[open.count - 2] == "parameter":
                break
            default:
                let expected = open.count == 1 ? "the root element must be <scripts>" : "unexpected element <\(name)>"
                fail(parser, "line \(parser.lineNumber): \(expected)")
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard script != nil, open.count >= 3 else { return }
            text += string
            // A resource is base64 of at most 8 MiB; everything else is smaller still.
            if text.utf8.count > ScriptRules.maximumResourceBytes / 3 * 4 + 8 { fail(parser, "an element is too long") }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard open.last == name else {
                return fail(parser, "line \(parser.lineNumber): </\(name)> does not close <\(open.last ?? "")> (not well-formed)")
            }
            defer { open.removeLast() }
            switch name {
            case "description" where open.count == 3: scriptDescription = text
            case "content" where open.count == 3: content = text
            case "resource" where open.count == 3: resource?.base64 = text
            case "choice" where open.count == 4: parameters[parameters.count - 1].choices.append(text)
            case "script" where open.count == 2: finishScript(parser)
            default: break
            }
            text = ""
        }

        private func finishScript(_ parser: XMLParser) {
            guard let script else { return }
            self.script = nil
            let attributes = script.attributes
            let platforms = (attributes["platforms"] ?? "linux").split(separator: " ").map { ScriptPlatform(rawValue: String($0)) }
            guard !platforms.contains(nil) else { return fail(parser, "line \(script.line): platforms are linux, macos or windows") }
            var bytes: Data?
            if let resource {
                bytes = Data(base64Encoded: resource.base64.filter { !$0.isWhitespace })
                guard let decoded = bytes, decoded.count <= ScriptRules.maximumResourceBytes else {
                    return fail(parser, "line \(script.line): the resource file is not base64 of at most \(ScriptRules.maximumResourceBytes / 1024 / 1024) MiB")
                }
            }
            let definition = ScriptDefinition(name: attributes["name"] ?? "", description: scriptDescription, fileName: attributes["file"] ?? "",
                                              content: content, resourceName: resource?.name, platforms: platforms.compactMap { $0 },
                                              runAtStart: attributes["runAtStart"] == "true",
                                              timeLimitSeconds: Int(attributes["timeLimit"] ?? "") ?? ScriptRules.defaultTimeLimit,
                                              parameters: parameters)
            do throws(ScriptRules.Problem) {
                entries.append(ScriptLibrary.Entry(definition: try ScriptRules.validated(definition), favourite: attributes["favourite"] == "true",
                                                   resource: bytes))
            } catch {
                fail(parser, "line \(script.line): \(ScriptRules.describe(error))")
            }
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            guard failure == nil else { return }
            failure = "scripts.xml was not imported: \(message)."
            parser.abortParsing()
        }
    }
}
