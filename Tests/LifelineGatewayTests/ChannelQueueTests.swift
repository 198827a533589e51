import Foundation
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// Ann and Bob in "Level 1" (assigned to the channel), Cid in a group that is not; Ann's and
/// Bob's consoles are open, so they are Online.
private struct ChannelScene {
    let gw: GatewayHarness
    let admin: String
    let ann: String
    let bob: String
    let cid: String
    /// nil when the scene starts with nobody online.
    let consoles: (ann: SocketProbe, bob: SocketProbe)?
    var annConsole: SocketProbe { consoles!.ann }
    var bobConsole: SocketProbe { consoles!.bob }
    let channelId: String
    let token: String

    static func make(_ gw: GatewayHarness, permissions: [String] = ["channel_sessions", "chat", "edit_custom_fields"],
                     openConsoles: Bool = true, channel extra: [String: Any] = [:]) async throws -> ChannelScene {
        let admin = try await gw.login()
        let group = try await gw.request(.post, "/api/v1/admin/groups", token: admin, json: ["name": "Level 1", "permissions": permissions]).json()
        let groupId = try #require(group["id"] as? String)
        var tokens: [String] = []
        for name in ["Ann", "Bob"] {
            let email = "\(name.lowercased())@lifeline.test"
            _ = try await gw.request(.post, "/api/v1/admin/technicians", token: admin, json: [
                "email": email, "name": name, "password": "long enough password", "groupId": groupId,
            ])
            tokens.append(try await gw.login(email, "long enough password"))
        }
        let cid = try await gw.technician(named: "Cid", permissions: ["channel_sessions", "chat"], adminToken: admin)
        _ = try await gw.request(.put, "/api/v1/admin/settings", token: admin,
                                 json: ["autoStartDefault": false, "urgentAfterSeconds": 120, "customFieldNames": ["Ticket", "Phone"]])
        var body: [String: Any] = ["name": "Website help", "groupIds": [groupId], "unavailableMessage": "We are closed. Call 555-0100."]
        body.merge(extra) { _, new in new }
        let channel = try await gw.request(.post, "/api/v1/admin/channels", token: admin, json: body).json()
        let link = try #require(channel["link"] as? String)
        var consoles: (ann: SocketProbe, bob: SocketProbe)?
        if openConsoles {
            consoles = (gw.console(token: tokens[0]), gw.console(token: tokens[1]))
            for console in [consoles!.ann, consoles!.bob] {
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            }
        }
        return ChannelScene(gw: gw, admin: admin, ann: tokens[0], bob: tokens[1], cid: cid, consoles: consoles, channelId: try #require(channel["id"] as? String),
                            token: String(link.split(separator: "/").last!))
    }

    func request(name: String = "Dora", fields: [String: String] = ["Ticket": "T-1"]) async throws -> GatewayHarness.Reply {
        try await gw.request(.post, "/api/v1/channels/\(token)/requests", json: ["name": name, "fields": fields])
    }

    /// Sends the form and runs the "applet" with the link it returns: the session waits.
    func waitingSession() async throws -> (id: String, applet: SocketProbe) {
        let accepted = try await request().json()
        let joined = try await gw.request(.post, "/api/v1/customer/join", json: ["link": try #require(accepted["link"] as? String)]).json()
        let applet = try await gw.helloApplet(token: try #require(joined["appletToken"] as? String))
        return (try #require(accepted["sessionId"] as? String), applet)
    }

    func queue(_ token: String, _ tab: String = "all") async throws -> [[String: Any]] {
        try await gw.request(.get, "/api/v1/sessions?queue=\(tab)", token: token).array()
    }
}

@Suite("Channel sessions (F2): the channel queue, first Start wins, no technician available")
struct ChannelQueueTests {
    @Test("a request waits in the Channel tab of every technician of the channel's groups; the first Start wins and it leaves the other's queue")
    func firstStartWins() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw)
            let page = try await gw.request(.get, "/api/v1/channels/\(scene.token)").json()
            #expect(page["availability"] as? String == "open")
            #expect(page["fields"] as? [String] == ["Ticket", "Phone"])
            let (id, applet) = try await scene.waitingSession()
            for console in [scene.annConsole, scene.bobConsole] {
                _ = try await console.expect(GatewayToConsole.self) {
                    if case .session(let s) = $0 { s.id == id && s.state == .waiting && s.channel == "Website help" && s.technicianId == nil } else { false }
                }
            }
            #expect(try await scene.queue(scene.ann, "channel").map { $0["id"] as? String } == [id])
            #expect(try await scene.queue(scene.ann, "private").isEmpty)
            #expect(try await scene.queue(scene.ann, "channel").first?["fields"] as? [String: String] == ["Ticket": "T-1"])
            #expect(try await scene.queue(scene.cid).isEmpty, "a technician of another group does not see it")
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: scene.cid).status == .notFound)

            let annStart = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: scene.ann)
            #expect(annStart.status == .ok)
            #expect(try annStart.json()["state"] as? String == "active")
            let bobStart = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: scene.bob)
            #expect(bobStart.status == .conflict)
            #expect(bobStart.errorCode == "already_taken")
            _ = try await scene.bobConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == id && s.state == .closed } else { false }
            }
            #expect(try await scene.queue(scene.bob).isEmpty, "it left Bob's queue")
            #expect(try await scene.queue(scene.ann, "channel").first?["state"] as? String == "active",
                    "the Channel tab keeps channel sessions whatever their state")
            _ = try await applet.expect(GatewayToApplet.self) { $0 == .technicianChanged(.init(name: "Ann")) }
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/messages", token: scene.ann, json: ["text": "Hello Dora"])
            _ = try await applet.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.author == "Ann" } else { false } }
            await applet.close()
        }
    }

    @Test("Ann's and Bob's Starts at the same instant, five each on connections of their own: exactly one wins (20 rounds)")
    func raceOfStarts() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw)
            for _ in 1...20 {
                gw.clock.advance(by: 601)
                let (id, applet) = try await scene.waitingSession()
                let start = "/api/v1/sessions/\(id)/start"
                let replies = try await gw.race(try (1...5).flatMap { _ in
                    [try GatewayHarness.RaceRequest(.post, start, token: scene.ann), try GatewayHarness.RaceRequest(.post, start, token: scene.bob)]
                })
                #expect(replies.filter { $0.status == .ok }.count == 1, "statuses: \(replies.map(\.status.code))")
                #expect(replies.filter { $0.status == .conflict }.count == 9)
                let winner = try #require(replies.first { $0.status == .ok }?.json()["technicianName"] as? String)
                #expect(try await scene.queue(winner == "Ann" ? scene.bob : scene.ann).allSatisfy { $0["id"] as? String != id },
                        "the session left the other technician's queue")
                _ = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: winner == "Ann" ? scene.ann : scene.bob)
                await applet.close()
            }
        }
    }

    @Test("nobody online: a refusing channel answers with its message; a keeping channel queues the request and still says it")
    func nobodyAvailable() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw, openConsoles: false, channel: ["whenUnavailable": "refuse"])
            let page = try await gw.request(.get, "/api/v1/channels/\(scene.token)").json()
            #expect(page["availability"] as? String == "nobody_available")
            #expect(page["acceptsRequests"] as? Bool == false)
            #expect(page["message"] as? String == "We are closed. Call 555-0100.")
            let refused = try await scene.request()
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.errorCode == "no_technician_available")
            #expect(String(decoding: refused.body, as: UTF8.self).contains("We are closed. Call 555-0100."))

            _ = try await gw.request(.patch, "/api/v1/admin/channels/\(scene.channelId)", token: scene.admin, json: ["whenUnavailable": "keep"])
            let kept = try await scene.request()
            #expect(kept.status == .created)
            #expect(try kept.json()["available"] as? Bool == false)
            #expect(try kept.json()["message"] as? String == "We are closed. Call 555-0100.")
            let annConsole = gw.console(token: scene.ann)
            let snapshot = try await annConsole.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            guard case .snapshot(let message) = snapshot else { return }
            let sessions = message.sessions
            #expect(sessions.map(\.channel) == ["Website help"], "the kept request is in the queue when a technician comes")
        }
    }

    @Test("outside the channel's working hours the customer gets the message even with technicians online")
    func outsideWorkingHours() async throws {
        try await GatewayHarness.run { gw in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let isoToday = (calendar.component(.weekday, from: gw.clock.now) + 5) % 7 + 1
            let otherDay = isoToday % 7 + 1
            let scene = try await ChannelScene.make(gw, channel: [
                "whenUnavailable": "refuse",
                "workingHours": ["timeZone": "UTC", "spans": [["weekday": otherDay, "opens": 0, "closes": 1_440]]],
            ])
            let page = try await gw.request(.get, "/api/v1/channels/\(scene.token)").json()
            #expect(page["availability"] as? String == "outside_working_hours")
            #expect(try await scene.request().status == .serviceUnavailable)
        }
    }

    @Test("channel requests: unknown links, unknown fields and floods are refused clearly")
    func badRequests() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw)
            let unknown = try await gw.request(.post, "/api/v1/channels/not-a-channel/requests", json: ["name": "x"])
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "channel_not_found")
            let badField = try await scene.request(fields: ["Password": "hunter2"])
            #expect(badField.status == .badRequest)
            var last = badField.status
            for _ in 0..<12 { last = try await scene.request().status }
            #expect(last == .tooManyRequests, "ten requests per address in ten minutes")
        }
    }

    @Test("custom fields are edited inline by technicians with the permission, and refused to the others")
    func inlineEdit() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw)
            let (id, applet) = try await scene.waitingSession()
            let edited = try await gw.request(.patch, "/api/v1/sessions/\(id)", token: scene.ann, json: ["fields": ["Ticket": "T-2", "Phone": "555"]])
            #expect(edited.status == .ok)
            #expect(try edited.json()["fields"] as? [String: String] == ["Ticket": "T-2", "Phone": "555"])
            _ = try await scene.bobConsole.expect(GatewayToConsole.self) {
                if case .session(let s) = $0 { s.id == id && s.fields["Ticket"] == "T-2" } else { false }
            }
            let cleared = try await gw.request(.patch, "/api/v1/sessions/\(id)", token: scene.ann, json: ["fields": ["Phone": ""]])
            #expect(try cleared.json()["fields"] as? [String: String] == ["Ticket": "T-2"])
            #expect(try await gw.request(.patch, "/api/v1/sessions/\(id)", token: scene.ann, json: ["fields": ["Nope": "1"]]).status == .badRequest)
            #expect(try await gw.request(.patch, "/api/v1/sessions/\(id)", token: scene.cid, json: ["fields": ["Ticket": "x"]]).status == .forbidden)
            await applet.close()
        }
    }

    @Test("custom field rules: a field kept out of forms is not asked, a required one must be filled, one kept out of the list is no column")
    func fieldRules() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw, openConsoles: false)
            let refused = try await gw.request(.put, "/api/v1/admin/settings", token: scene.admin, json: [
                "customFieldNames": ["Ticket", "Phone", "Internal"],
                "customFieldRules": ["Internal": ["inForms": false, "inList": true, "required": true]]])
            #expect(refused.status == .badRequest, "a required field must be asked")
            let saved = try await gw.request(.put, "/api/v1/admin/settings", token: scene.admin, json: [
                "customFieldNames": ["Ticket", "Phone", "Internal"],
                "customFieldRules": ["Internal": ["inForms": false, "inList": false, "required": false],
                                     "Phone": ["inForms": true, "inList": true, "required": true],
                                     "Ticket": ["inForms": true, "inList": true, "required": false]]]).json()
            #expect((saved["customFieldRules"] as? [String: Any])?.keys.sorted() == ["Internal", "Phone"], "default rules are not stored")
            let page = try await gw.request(.get, "/api/v1/channels/\(scene.token)").json()
            #expect(page["fields"] as? [String] == ["Ticket", "Phone"])
            #expect(page["requiredFields"] as? [String] == ["Phone"])
            let form = String(decoding: try await gw.request(.get, "/api/v1/channels/\(scene.token)/form").body, as: UTF8.self)
            #expect(form.contains(#"name="field.Phone" maxlength="200" required"#))
            #expect(!form.contains("Internal"))

            let missing = try await scene.request(fields: ["Ticket": "T-1"])
            #expect(missing.status == .badRequest)
            #expect(((try missing.json()["error"] as? [String: Any])?["message"] as? String) == "Please fill in \"Phone\".")
            #expect(try await scene.request(fields: ["Phone": "555", "Internal": "x"]).status == .badRequest, "not asked, not accepted")
            #expect(try await scene.request(fields: ["Phone": "555-0101"]).status == .created)
            let options = try await gw.request(.get, "/api/v1/me/options", token: scene.ann).json()
            #expect(options["customFieldNames"] as? [String] == ["Ticket", "Phone"], "Internal is no column")
        }
    }

    @Test("without edit_custom_fields the gateway refuses the edit and nothing changes")
    func inlineEditNeedsPermission() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await ChannelScene.make(gw, permissions: ["channel_sessions", "chat"])
            let (id, applet) = try await scene.waitingSession()
            let refused = try await gw.request(.patch, "/api/v1/sessions/\(id)", token: scene.ann, json: ["fields": ["Ticket": "T-9"]])
            #expect(refused.status == .forbidden)
            #expect(try await scene.queue(scene.ann).first?["fields"] as? [String: String] == ["Ticket": "T-1"], "nothing changed")
            await applet.close()
        }
    }
}
