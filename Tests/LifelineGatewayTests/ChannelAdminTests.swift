import Foundation
import Testing
@testable import LifelineGateway

@Suite("Channels administered through the gateway (F2, R2)")
struct ChannelAdminTests {
    @Test("create, list, edit and delete a channel; its link is public and unguessable")
    func lifeCycle() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin,
                                             json: ["name": "Level 1", "permissions": ["channel_sessions"]]).json()
            let groupId = try #require(group["id"] as? String)
            let created = try await gw.request(.post, "/api/v1/admin/channels", token: admin, json: [
                "name": "Website help", "groupIds": [groupId],
                "workingHours": ["timeZone": "Europe/Paris", "spans": [["weekday": 1, "opens": 540, "closes": 1_050]]],
            ] as [String: Any])
            #expect(created.status == .created)
            let channel = try created.json()
            let id = try #require(channel["id"] as? String)
            let link = try #require(channel["link"] as? String)
            #expect(link.hasPrefix("\(GatewayHarness.publicURL)/ch/"))
            #expect(link.split(separator: "/").last!.count >= 22)
            #expect(channel["whenUnavailable"] as? String == "keep")

            let edited = try await gw.request(.patch, "/api/v1/admin/channels/\(id)", token: admin,
                                              json: ["unavailableMessage": "Back at 9.", "whenUnavailable": "refuse", "alwaysOpen": true])
            #expect(try edited.json()["unavailableMessage"] as? String == "Back at 9.")
            #expect(try edited.json()["workingHours"] == nil)
            #expect(try await gw.request(.get, "/api/v1/admin/channels", token: admin).array().count == 1)
            #expect(try await gw.request(.delete, "/api/v1/admin/channels/\(id)", token: admin).status == .noContent)
            #expect(try await gw.request(.get, "/api/v1/admin/channels", token: admin).array().isEmpty)
        }
    }

    @Test("at most ten channels; bad groups, hours and foreign channels are refused; technicians cannot administer")
    func refusals() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            for index in 0..<10 {
                #expect(try await gw.request(.post, "/api/v1/admin/channels", token: admin, json: ["name": "Channel \(index)"]).status == .created)
            }
            let eleventh = try await gw.request(.post, "/api/v1/admin/channels", token: admin, json: ["name": "One too many"])
            #expect(eleventh.status == .conflict)
            #expect(eleventh.errorCode == "channel_limit")
            let id = try #require(try await gw.request(.get, "/api/v1/admin/channels", token: admin).array().first?["id"] as? String)
            #expect(try await gw.request(.patch, "/api/v1/admin/channels/\(id)", token: admin, json: ["groupIds": ["nope"]]).status == .notFound)
            let badHours = try await gw.request(.patch, "/api/v1/admin/channels/\(id)", token: admin, json: [
                "workingHours": ["timeZone": "Mars/Olympus", "spans": [] as [Any]],
            ] as [String: Any])
            #expect(badHours.status == .badRequest)
            #expect(try await gw.request(.delete, "/api/v1/admin/channels/unknown", token: admin).status == .notFound)
            let tech = try await gw.technician(named: "Quinn", permissions: ["channel_sessions"], adminToken: admin)
            #expect(try await gw.request(.get, "/api/v1/admin/channels", token: tech).status == .forbidden)
        }
    }
}
