import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Calling Cards (F3): defined by administrators, read by the installed card, installed by a script")
struct CallingCardGatewayTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    @Test("administrators create, change and delete cards; bad colours, channels and logos are refused with the reason")
    func administration() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin,
                                             json: ["name": "Desk", "permissions": ["channel_sessions", "deploy_calling_card"]]).json()
            let groupId = try #require(group["id"] as? String)
            let channel = try await gw.request(.post, "/api/v1/admin/channels", token: admin,
                                               json: ["name": "Website help", "groupIds": [groupId]] as [String: Any]).json()
            let channelId = try #require(channel["id"] as? String)
            let technician = try await gw.technician(named: "Tess", permissions: ["chat"], adminToken: admin)
            let body: [String: Any] = ["name": "Acme Support", "channelId": channelId, "headerColour": "#C00000", "groupIds": [groupId],
                                       "logoBase64": Data(Self.png).base64EncodedString()]
            #expect(try await gw.request(.post, "/api/v1/admin/calling-cards", token: technician, json: body).status == .forbidden)
            var bad = body
            bad["headerColour"] = "red"
            #expect(try await gw.request(.post, "/api/v1/admin/calling-cards", token: admin, json: bad).status == .badRequest)
            bad = body
            bad["channelId"] = "somebody-elses"
            #expect(try await gw.request(.post, "/api/v1/admin/calling-cards", token: admin, json: bad).status == .badRequest)
            bad = body
            bad["logoBase64"] = Data("GIF89a".utf8).base64EncodedString()
            let badLogo = try await gw.request(.post, "/api/v1/admin/calling-cards", token: admin, json: bad)
            #expect(((try badLogo.json()["error"] as? [String: Any])?["message"] as? String)?.contains("PNG") == true)

            let created = try await gw.request(.post, "/api/v1/admin/calling-cards", token: admin, json: body)
            #expect(created.status == .created)
            let card = try created.json()
            let id = try #require(card["id"] as? String)
            #expect(card["headerColour"] as? String == "#c00000")
            #expect(card["hasLogo"] as? Bool == true)
            #expect(card["installCommand"] as? String == "curl -fsSL \(GatewayHarness.publicURL)/download/calling-card/\(id)/install.sh | sh")

            // The installed card's view: branding and the channel's public token, no sign-in.
            let info = try JSONDecoder().decode(CallingCardInfo.self, from: Data(try await gw.request(.get, "/api/v1/calling-cards/\(id)").body))
            #expect(info.name == "Acme Support" && info.channelName == "Website help" && info.organisation == "Lifeline")
            #expect(String(channel["link"] as? String ?? "").hasSuffix("/ch/\(info.channelToken)"))
            #expect(try await gw.request(.get, "/api/v1/calling-cards/\(id)/logo").body == Data(Self.png))

            let script = String(decoding: try await gw.request(.get, "/download/calling-card/\(id)/install.sh").body, as: UTF8.self)
            #expect(script.hasPrefix("#!/bin/sh\n"))
            #expect(script.contains("gateway='\(GatewayHarness.publicURL)'"))
            #expect(script.contains("card='\(id)'"))
            #expect(script.contains(#""$applet" --gateway "$gateway" --install-calling-card "$card" "$@""#))

            let changed = try await gw.request(.put, "/api/v1/admin/calling-cards/\(id)", token: admin,
                                               json: ["name": "Acme Help", "channelId": channelId, "logoBase64": ""])
            #expect(try changed.json()["hasLogo"] as? Bool == false)
            #expect(try changed.json()["groupIds"] as? [String] == [groupId], "unchanged fields keep their values")
            #expect(try await gw.request(.get, "/api/v1/calling-cards/\(id)/logo").status == .notFound)
            #expect(try await gw.request(.delete, "/api/v1/admin/calling-cards/\(id)", token: admin).status == .noContent)
            #expect(try await gw.request(.get, "/api/v1/calling-cards/\(id)").status == .notFound)
            #expect(try await gw.request(.get, "/download/calling-card/\(id)/install.sh").status == .notFound)
        }
    }

    @Test("deploy from a session: deploy_calling_card, a card assigned to the group, the applet (not Instant Chat); the outcome is logged")
    func deploy() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let channel = try await gw.request(.post, "/api/v1/admin/channels", token: admin, json: ["name": "Help", "groupIds": [String]()] as [String: Any]).json()
            let deployer = try await gw.technician(named: "Dora", permissions: ["start_private_sessions", "connect_by_pin", "deploy_calling_card"],
                                                   adminToken: admin)
            let groups = try await gw.request(.get, "/api/v1/admin/groups", token: admin).array()
            let doraGroup = try #require(groups.first { $0["name"] as? String == "Dora group" }?["id"] as? String)
            let assigned = try await gw.request(.post, "/api/v1/admin/calling-cards", token: admin,
                                                json: ["name": "Acme", "channelId": channel["id"] as! String, "groupIds": [doraGroup]]).json()
            let unassigned = try await gw.request(.post, "/api/v1/admin/calling-cards", token: admin,
                                                  json: ["name": "Other", "channelId": channel["id"] as! String]).json()
            let cards = try await gw.request(.get, "/api/v1/me/calling-cards", token: deployer).array()
            #expect(cards.map { $0["name"] as? String } == ["Acme"])

            let (id, pin) = try await gw.createSession(token: deployer)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: deployer)
            let path = "/api/v1/sessions/\(id)/calling-card"
            #expect(try await gw.request(.post, path, token: deployer, json: ["cardId": unassigned["id"] as! String]).status == .notFound)
            #expect(try await gw.request(.post, path, token: admin, json: ["cardId": assigned["id"] as! String]).status == .notFound,
                    "someone else's session")
            #expect(try await gw.request(.post, path, token: deployer,
                                         json: ["cardId": assigned["id"] as! String, "launchAtStartup": true]).status == .noContent)
            let offer = try await applet.expect(GatewayToApplet.self) { if case .callingCardOffer = $0 { true } else { false } }
            #expect(offer == .callingCardOffer(CallingCardOffer(cardId: assigned["id"] as! String, name: "Acme", launchAfterInstall: false,
                                                                launchAtStartup: true, technicianName: "Dora")))
            applet.send(AppletToGateway.callingCardResult(.init(installed: false, error: nil)))
            try await Task.sleep(for: .milliseconds(200))
            let log = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: deployer).array().compactMap { $0["text"] as? String }
            #expect(log.contains("Dora offered to install the Calling Card Acme (launched at every start)."))
            #expect(log.contains("The customer did not want the Calling Card installed."))
            await applet.close()

            // Without the permission: refused; in Instant Chat: chat only.
            let plain = try await gw.technician(named: "Pete", permissions: ["start_private_sessions", "connect_by_pin"], adminToken: admin)
            let (plainId, plainPin) = try await gw.createSession(token: plain)
            let (plainApplet, _) = try await gw.connectApplet(pin: plainPin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(plainId)/start", token: plain)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(plainId)/calling-card", token: plain,
                                         json: ["cardId": assigned["id"] as! String]).errorCode == "permission_denied")
            await plainApplet.close()
            let (chatId, chatPin) = try await gw.createSession(token: deployer)
            let browser = try await InstantChatGatewayTests.openChat(gw, appletToken: try await gw.join(pin: chatPin).json()["appletToken"] as! String)
            _ = try await gw.request(.post, "/api/v1/sessions/\(chatId)/start", token: deployer)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(chatId)/calling-card", token: deployer,
                                         json: ["cardId": assigned["id"] as! String]).errorCode == "chat_only")
            await browser.close()
        }
    }
}
