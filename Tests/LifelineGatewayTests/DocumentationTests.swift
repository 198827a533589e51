import Foundation
@testable import LifelineGateway
import LifelineProtocol
import Testing

/// docs/openapi.yaml and docs/protocol.md describe exactly what the gateway does: a route or a
/// message type added without its documentation, or documented after it is gone, fails here.
@Suite("The documents list exactly the gateway's routes and messages")
struct DocumentationTests {
    static let root = FileManager.default.currentDirectoryPath

    /// "METHOD /path" for every operation under `paths:` in the OpenAPI document.
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOfFile: root + "/docs/openapi.yaml", encoding: .utf8)
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.isEmpty, !line.hasPrefix(" ") { break }
            if let match = line.wholeMatch(of: #/\s\s(/[^:]*):\s*/#) {
                path = String(match.1)
            } else if let path, let match = line.wholeMatch(of: #/\s{4}(get|put|post|patch|delete):\s*/#) {
                operations.insert("\(match.1.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test("docs/openapi.yaml lists every route of the router (method and path), and no other")
    func openAPIMatchesTheRouter() async throws {
        try await GatewayHarness.run { gw in
            let routes = Set(gw.parts.routes.filter { !$0.hasPrefix("HEAD ") })
            let documented = try Self.documentedOperations()
            #expect(!documented.isEmpty)
            #expect(routes.subtracting(documented).sorted() == [], "routes missing from docs/openapi.yaml")
            #expect(documented.subtracting(routes).sorted() == [], "operations in docs/openapi.yaml the gateway does not have")
        }
    }

    @Test("docs/openapi.yaml lists every error code the gateway gives (ErrorCode), and no other")
    func openAPIListsEveryErrorCode() throws {
        let text = try String(contentsOfFile: Self.root + "/docs/openapi.yaml", encoding: .utf8)
        // The list follows the Error schema's description, which names ErrorCode.
        let errorSchema = try #require(text.range(of: "(ErrorCode in the source)"))
        let list = try #require(text[errorSchema.upperBound...].firstMatch(of: #/enum: \[([a-z_,\s]+)\]/#)?.1)
        let documented = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let codes = Set(ErrorCode.allCases.map(\.rawValue))
        #expect(codes.subtracting(documented).sorted() == [], "codes missing from docs/openapi.yaml")
        #expect(documented.subtracting(codes).sorted() == [], "codes in docs/openapi.yaml the gateway does not give")
    }

    /// The `type` of every case of each channel enum, read from its source (the `type` switch).
    static func messageTypes() throws -> [String: Set<String>] {
        var types: [String: Set<String>] = [:]
        for file in ["ConsoleChannel", "AppletChannel", "CollaboratorChannel"] {
            let source = try String(contentsOfFile: root + "/Sources/LifelineProtocol/\(file).swift", encoding: .utf8)
            let enums = source.matches(of: /public enum (\w+): ChannelMessage/)
            for (index, match) in enums.enumerated() {
                let end = index + 1 < enums.count ? enums[index + 1].range.lowerBound : source.endIndex
                let body = source[match.range.upperBound..<end]
                types[String(match.1)] = Set(body.matches(of: /case \.\w+: "([a-z_]+)"/).map { String($0.1) })
            }
        }
        return types
    }

    @Test("docs/protocol.md has a row for every message type of every WebSocket channel, both ways")
    func protocolListsEveryMessage() throws {
        let (messages, _) = try Self.protocolSections()
        let rows = Self.codeRows(messages)
        let types = try Self.messageTypes()
        #expect(types.count == 6, "six channel enums: \(types.keys.sorted())")
        for (channel, names) in types.sorted(by: { $0.key < $1.key }) {
            #expect(!names.isEmpty, "\(channel) has message types")
            #expect(names.subtracting(rows).sorted() == [], "\(channel) messages missing from docs/protocol.md")
        }
    }

    /// docs/protocol.md cut at its log-events section: the channels' messages, then the log codes.
    static func protocolSections() throws -> (messages: Substring, logEvents: Substring) {
        let document = try String(contentsOfFile: root + "/docs/protocol.md", encoding: .utf8)
        guard let cut = document.range(of: "\n## Session log events\n") else { return (document[...], "") }
        return (document[..<cut.lowerBound], document[cut.upperBound...])
    }

    static func codeRows(_ text: Substring) -> Set<String> {
        Set(text.matches(of: /^\| `([a-z_0-9]+)` \|/.anchorsMatchLineEndings()).map { String($0.1) })
    }

    @Test("docs/protocol.md lists exactly the session log event codes, each with its params")
    func protocolListsEveryLogEvent() throws {
        let (_, section) = try Self.protocolSections()
        let codes = Set(SessionLogEvent.english.keys)
        #expect(Self.codeRows(section).subtracting(codes).sorted() == [], "rows for codes the gateway does not have")
        #expect(codes.subtracting(Self.codeRows(section)).sorted() == [], "codes missing from docs/protocol.md")
        for (code, english) in SessionLogEvent.english {
            let params = Set(english.matches(of: /\{(\w+)\}/).map { String($0.1) })
            let row: Substring = section.split(separator: "\n").first { $0.hasPrefix("| `\(code)` |") } ?? ""
            let columns = row.split(separator: "|")
            let paramsColumn: Substring = columns.count > 1 ? columns[1] : ""
            let listed = Set(paramsColumn.matches(of: /`(\w+)`/).map { String($0.1) })
            #expect(listed == params, "\(code): params \(listed.sorted()) in the document, \(params.sorted()) in the gateway")
        }
    }
}
