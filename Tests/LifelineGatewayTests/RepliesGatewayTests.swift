import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

@Suite("Predefined replies and URLs (D2, D3)")
struct RepliesGatewayTests {
    @Test("add, edit, delete; bad names, texts and URLs are refused")
    func crud() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let created = try await gw.request(.post, "/api/v1/replies", token: token,
                                               json: ["kind": "reply", "name": "Greeting", "content": "Hello!\nHow can I help?"])
            #expect(created.status == .created)
            let id = try #require(try created.json()["id"] as? String)
            #expect(try await gw.request(.put, "/api/v1/replies/\(id)", token: token,
                                         json: ["kind": "reply", "name": "Hello", "content": "Hi <b>there</b>"]).status == .ok)
            #expect(try await gw.request(.post, "/api/v1/replies", token: token,
                                         json: ["kind": "url", "name": "Bad", "content": "javascript:alert(1)"]).status == .badRequest)
            #expect(try await gw.request(.post, "/api/v1/replies", token: token,
                                         json: ["kind": "url", "name": "Files", "content": "ftp://files.example.com/tools"]).status == .created)
            #expect(try await gw.request(.post, "/api/v1/replies", token: token, json: ["kind": "reply", "name": "", "content": "x"]).status
                == .badRequest)
            let list = try await gw.request(.get, "/api/v1/replies", token: token).array()
            #expect(list.map { $0["name"] as? String } == ["Hello", "Files"])
            #expect(list.first?["content"] as? String == "Hi <b>there</b>", "kept as plain text")
            #expect(try await gw.request(.delete, "/api/v1/replies/\(id)", token: token).status == .noContent)
            #expect(try await gw.request(.delete, "/api/v1/replies/\(id)", token: token).status == .notFound)
            #expect(try await gw.request(.get, "/api/v1/replies").status == .unauthorized)
        }
    }

    @Test("replies.xml round-trips; hostile or malformed files are refused with a clear message and add nothing")
    func xml() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            _ = try await gw.request(.post, "/api/v1/replies", token: token, json: ["kind": "reply", "name": "A & B", "content": "Line 1\n<two>"])
            _ = try await gw.request(.post, "/api/v1/replies", token: token, json: ["kind": "url", "name": "Docs", "content": "https://example.com/a?b=1&c=2"])
            let exported = try await gw.request(.get, "/api/v1/replies/export", token: token)
            #expect(exported.headers[.contentType]?.hasPrefix("application/xml") == true)
            let xml = String(decoding: exported.body, as: UTF8.self)
            // Importing what was exported adds nothing new.
            let again = try await gw.request(.post, "/api/v1/replies/import", token: token, raw: xml)
            #expect(try again.json()["added"] as? Int == 0 && again.json()["unchanged"] as? Int == 2)
            for reply in try await gw.request(.get, "/api/v1/replies", token: token).array() {
                _ = try await gw.request(.delete, "/api/v1/replies/\(reply["id"] as! String)", token: token)
            }
            let restored = try await gw.request(.post, "/api/v1/replies/import", token: token, raw: xml)
            #expect(try restored.json()["added"] as? Int == 2)
            let contents = try await gw.request(.get, "/api/v1/replies", token: token).array().compactMap { $0["content"] as? String }
            #expect(Set(contents) == ["Line 1\n<two>", "https://example.com/a?b=1&c=2"])

            let hostile: [(String, String)] = [
                ("""
                 <?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                 <replies><reply name="bomb">&b;&b;&b;</reply></replies>
                 """, "DOCTYPE"),
                ("""
                 <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><replies><reply name="x">&x;</reply></replies>
                 """, "DOCTYPE"),
                ("<replies><reply name=\"open\">no end</replies>", "not well-formed"),
                ("<answers/>", "root element"),
                ("<replies>\n<url name=\"evil\">javascript:alert(1)</url></replies>", "line 2"),
                ("<replies><script name=\"x\">1</script></replies>", "unexpected element"),
            ]
            for (file, says) in hostile {
                let reply = try await gw.request(.post, "/api/v1/replies/import", token: token, raw: file)
                #expect(reply.errorCode == "bad_replies_file")
                let message = ((try? reply.json())?["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(says), "\(message)")
            }
            #expect(try await gw.request(.get, "/api/v1/replies", token: token).array().count == 2, "nothing was added")
        }
    }

    @Test("Send URL needs send_urls and a web or ftp address; the applet is asked to open it, and the log says so")
    func sendURL() async throws {
        try await GatewayHarness.run { gw in
            let limited = try await RemoteScene.make(gw, permissions: ["chat"])
            #expect(try await gw.request(.post, "/api/v1/sessions/\(limited.sessionId)/urls", token: limited.token,
                                         json: ["url": "https://example.com"]).errorCode == "permission_denied")
            let scene = try await RemoteScene.make(gw)
            let path = "/api/v1/sessions/\(scene.sessionId)/urls"
            #expect(try await gw.request(.post, path, token: scene.token, json: ["url": "file:///etc/passwd"]).status == .badRequest)
            #expect(try await gw.request(.post, path, token: scene.token, json: ["url": "https://example.com/help page"]).status == .badRequest)
            #expect(try await gw.request(.post, path, token: scene.token, json: ["url": "https://example.com/help"]).status == .noContent)
            _ = try await scene.applet.expect(GatewayToApplet.self) { $0 == .openURL(.init(url: "https://example.com/help", technicianName: "Administrator")) }
            let log = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.token).array()
            #expect(log.contains { ($0["text"] as? String) == "Administrator sent the link https://example.com/help" })
            await scene.applet.close()
            await limited.applet.close()
        }
    }
}
