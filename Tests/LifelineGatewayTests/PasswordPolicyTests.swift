import Foundation
import Testing
@testable import LifelineGateway

@Suite("Passwords follow NIST SP 800-63B when accounts are created")
struct PasswordPolicyTests {
    @Test("short, common, sequential or self-naming passwords are refused with the reason; a long plain phrase is fine")
    func technicianPasswords() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let refusals: [(String, String)] = [
                ("eleven char", "at least 12 characters"),
                ("iloveyou2024", "too common"),
                ("123456789012", "repeats or follows a sequence"),
                ("Nadia Novak 1", "name or email"),
            ]
            for (password, says) in refusals {
                let reply = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                    "email": "nadia@lifeline.test", "name": "Nadia Novak", "password": password,
                ])
                #expect(reply.status == .badRequest)
                #expect(reply.errorCode == "weak_password")
                let message = ((try? reply.json())?["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(says), "\(password): \(message)")
            }
            let created = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": "nadia@lifeline.test", "name": "Nadia Novak", "password": "tea kettle on the window sill",
            ])
            #expect(created.status == .created)
        }
    }
}
