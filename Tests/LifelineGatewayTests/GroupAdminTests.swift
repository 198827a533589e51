import Foundation
import Testing
@testable import LifelineGateway

@Suite("Technician groups are edited and removed by administrators (R1, A5)")
struct GroupAdminTests {
    @Test("new permissions apply to the group's technicians at once; only an empty group can go; each change is audited")
    func editAndDelete() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let technician = try await gw.technician(named: "Gil", permissions: ["chat"], adminToken: admin)
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: admin).array()
            let groupId = try #require(groups.first { $0["name"] as? String == "Gil group" }?["id"] as? String)
            let path = "/api/v1/admin/groups/\(groupId)"
            #expect(try await gw.request(.put, path, token: technician, json: ["name": "Mine", "permissions": ["chat"]]).status == .forbidden)
            #expect(try await gw.request(.put, path, token: admin, json: ["name": "Desk", "permissions": ["teleport"]]).status == .badRequest)
            #expect(try await gw.request(.put, "/api/v1/admin/groups/nope", token: admin, json: ["name": "X", "permissions": []]).status == .notFound)
            let changed = try await gw.request(.put, path, token: admin, json: ["name": "Desk", "permissions": ["chat", "send_urls"]])
            #expect(try changed.json()["name"] as? String == "Desk")
            #expect(try await gw.request(.get, "/api/v1/me", token: technician).json()["permissions"] as? [String] == ["chat", "send_urls"])

            let inUse = try await gw.request(.delete, path, token: admin)
            #expect(inUse.errorCode == "group_in_use")
            let empty = try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "Spare", "permissions": []]).json()
            #expect(try await gw.request(.delete, "/api/v1/admin/groups/\(empty["id"] as! String)", token: admin).status == .noContent)
            #expect(try await gw.request(.get, "/api/v1/admin/groups", token: admin).array().count == 1)

            let audit = try await gw.request(.get, "/api/v1/admin/audit", token: admin).array()
            let change = try #require(audit.first { $0["action"] as? String == "group_changed" })
            #expect((change["before"] as? String)?.contains("Gil group") == true && (change["after"] as? String)?.contains("send_urls") == true)
            #expect(audit.contains { $0["action"] as? String == "group_deleted" })
        }
    }

    @Test("a group whose only members were deleted can go (their history keeps their names)")
    func groupOfDeletedTechnicians() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            _ = try await gw.technician(named: "Gil", permissions: ["chat"], adminToken: admin)
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: admin).array()
            let groupId = try #require(groups.first { $0["name"] as? String == "Gil group" }?["id"] as? String)
            let gilId = try await gw.technicianId(named: "Gil", adminToken: admin)
            #expect(try await gw.request(.delete, "/api/v1/admin/technicians/\(gilId)", token: admin).status == .noContent)
            let deleted = try await gw.request(.delete, "/api/v1/admin/groups/\(groupId)", token: admin)
            #expect(deleted.status == .noContent)
            let left = try await gw.request(.get, "/api/v1/admin/groups", token: admin).array()
            #expect(!left.contains { $0["id"] as? String == groupId })
        }
    }
}
