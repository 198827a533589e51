import Foundation
import HTTPTypes
import Testing
@testable import LifelineGateway

/// What a client written from docs/openapi.yaml meets at the edges: another method on a known
/// address, missing or mistyped fields, bodies that are not JSON.
@Suite("The API answers as its description says at the edges")
struct APIContractTests {
    static func message(_ reply: GatewayHarness.Reply) throws -> String {
        try (reply.json()["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    @Test("a known address asked with a method it does not take answers 405 with Allow; an unknown one 404", arguments: [
        (HTTPRequest.Method.delete, "/api/v1/health", "GET"),
        (.patch, "/api/v1/sessions", "GET, POST"),
        (.post, "/api/v1/me/options", "GET, PUT"),
        (.get, "/api/v1/sessions/123456789/end", "POST"),
    ])
    func methodNotAllowed(method: HTTPRequest.Method, path: String, allow: String) async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let reply = try await gw.request(method, path, token: token)
            #expect(reply.status == .methodNotAllowed)
            #expect(reply.errorCode == "method_not_allowed")
            #expect(reply.headers[.allow] == allow)
            #expect(try await gw.request(.get, "/api/v1/no-such-thing", token: token).status == .notFound)
        }
    }

    @Test("PUT /me/options without a required field is refused and names it; too many hidden fields are refused, not cut")
    func optionsNeedTheirFields() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let missing = try await gw.request(.put, "/api/v1/me/options", token: token, json: ["theme": "dark"])
            #expect(missing.status == .badRequest)
            let missingMessage = try Self.message(missing)
            #expect(missingMessage.contains("The field confirmEnd is missing"), "\(missingMessage)")
            let tooMany = try await gw.request(.put, "/api/v1/me/options", token: token, json: [
                "confirmEnd": true, "confirmLogout": true, "hiddenFields": ["a", "b", "c", "d", "e", "f"],
            ])
            #expect(tooMany.status == .badRequest)
            #expect(try Self.message(tooMany).contains("at most 5"))
            let saved = try await gw.request(.put, "/api/v1/me/options", token: token, json: ["confirmEnd": false, "confirmLogout": true])
            #expect(saved.status == .ok)
            #expect((try saved.json()["options"] as? [String: Any])?["confirmEnd"] as? Bool == false)
        }
    }

    @Test("a body that is not JSON, or a field of the wrong type, gets 400 saying which")
    func badBodiesAreNamed() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let garbled = try await gw.request(.post, "/api/v1/sessions", token: token, raw: "{\"name\": ")
            #expect(garbled.status == .badRequest && garbled.errorCode == "bad_request")
            #expect(try Self.message(garbled).contains("not valid JSON"))
            let mistyped = try await gw.request(.put, "/api/v1/me/options", token: token, json: ["confirmEnd": "yes", "confirmLogout": true])
            #expect(mistyped.status == .badRequest)
            let mistypedMessage = try Self.message(mistyped)
            #expect(mistypedMessage.contains("The field confirmEnd is not true or false"), "\(mistypedMessage)")
        }
    }
}
