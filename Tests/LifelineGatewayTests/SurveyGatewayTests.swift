import Foundation
import Testing
import LifelineProtocol
@testable import LifelineGateway

@Suite("Customer survey (D5): per group or channel, at the end or by hand, answered once, reported")
struct SurveyGatewayTests {
    /// A technician in a group of their own, an active session with an applet, and the admin's token.
    struct Scene {
        let admin: String
        let technician: String
        let groupId: String
        let sessionId: String
        let applet: SocketProbe
    }

    static func scene(_ gw: GatewayHarness) async throws -> Scene {
        let admin = try await gw.login()
        let technician = try await gw.technician(named: "Sven", permissions: ["start_private_sessions", "connect_by_pin", "chat", "send_survey"],
                                                 adminToken: admin)
        let settings = try await gw.request(.get, "/api/v1/admin/surveys", token: admin).array()
        let group = try #require(settings.first { $0["name"] as? String == "Sven group" })
        #expect(group["enabled"] as? Bool == false, "off until an administrator switches it on")
        let (id, pin) = try await gw.createSession(token: technician, name: "Petra")
        let (applet, _) = try await gw.connectApplet(pin: pin)
        _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: technician)
        return Scene(admin: admin, technician: technician, groupId: group["scopeId"] as! String, sessionId: id, applet: applet)
    }

    static func surveyURL(from applet: SocketProbe) async throws -> String {
        let message = try await applet.expect(GatewayToApplet.self) { if case .survey = $0 { true } else { false } }
        guard case .survey(let survey) = message else { throw HarnessError("no survey") }
        return survey.url
    }

    @Test("switched on for the group: sent at the end before the applet is told the session ended; answered once; in the report and its CSV")
    func atTheEnd() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await Self.scene(gw)
            // Administrators only; bad questions are refused with the reason.
            let path = "/api/v1/admin/surveys/group/\(scene.groupId)"
            #expect(try await gw.request(.put, path, token: scene.technician, json: ["enabled": true]).status == .forbidden)
            #expect(try await gw.request(.put, "/api/v1/admin/surveys/group/nope", token: scene.admin, json: ["enabled": true]).status == .notFound)
            #expect(try await gw.request(.put, path, token: scene.admin, json: ["enabled": true, "questions": []]).status == .badRequest)
            let saved = try await gw.request(.put, path, token: scene.admin, json: ["enabled": true])
            #expect(saved.status == .ok)
            #expect((try saved.json()["questions"] as? [Any])?.count == 3, "the standard questions")

            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.technician)
            let url = try await Self.surveyURL(from: scene.applet)
            _ = try await scene.applet.expect(GatewayToApplet.self) { if case .ended = $0 { true } else { false } }
            let token = try #require(url.components(separatedBy: "/survey/").last)
            #expect(url.hasPrefix("http://"))

            let form = try await gw.request(.get, "/api/v1/surveys/\(token)").json()
            #expect(form["technicianName"] as? String == "Sven")
            #expect(form["answered"] as? Bool == false)
            let answerPath = "/api/v1/surveys/\(token)"
            let missing = try await gw.request(.post, answerPath, json: ["answers": ["q1": 5]])
            #expect(missing.errorCode == "bad_answer")
            #expect(try await gw.request(.post, answerPath, json: ["answers": ["q1": 9, "q2": true]]).errorCode == "bad_answer")
            #expect(try await gw.request(.post, answerPath, json: ["answers": ["q1": 4, "q2": true, "q3": "Quick, thanks"]]).status == .noContent)
            #expect(try await gw.request(.post, answerPath, json: ["answers": ["q1": 1, "q2": false]]).errorCode == "survey_answered")
            #expect(try await gw.request(.get, "/api/v1/surveys/not-a-token").status == .notFound)

            // The report: administrators only, answers in the viewer's time zone, CSV one line per answer.
            #expect(try await gw.request(.get, "/api/v1/reports/surveys", token: scene.technician).status == .forbidden)
            #expect(try await gw.request(.get, "/api/v1/reports/surveys?timeZone=Nowhere/City", token: scene.admin).status == .badRequest)
            let rows = try await gw.request(.get, "/api/v1/reports/surveys?timeZone=Europe/Paris", token: scene.admin).array()
            #expect(rows.count == 1)
            let answers = rows.first?["answers"] as? [[String: Any]] ?? []
            #expect(answers.map { $0["answer"] as? String } == ["4/5", "yes", "Quick, thanks"])
            #expect(rows.first?["customer"] as? String == "Petra")
            let csv = try await gw.request(.get, "/api/v1/reports/surveys?format=csv", token: scene.admin)
            let text = String(decoding: csv.body, as: UTF8.self)
            #expect(text.hasPrefix("Session ID,Customer,Technician,Channel,Sent,Answered,Question,Answer\r\n"))
            #expect(text.contains("Petra,Sven,,"))
            #expect(text.contains("Was your problem solved?,yes\r\n"))
            await scene.applet.close()
        }
    }

    @Test("by hand from the session list: needs send_survey, refused while off, sent once, not again at the end; others' sessions are not found")
    func byHand() async throws {
        try await GatewayHarness.run { gw in
            let scene = try await Self.scene(gw)
            let sendPath = "/api/v1/sessions/\(scene.sessionId)/survey"
            let withoutPermission = try await gw.technician(named: "Nils", permissions: ["start_private_sessions", "connect_by_pin"],
                                                            adminToken: scene.admin)
            let (otherId, otherPin) = try await gw.createSession(token: withoutPermission)
            let (otherApplet, _) = try await gw.connectApplet(pin: otherPin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(otherId)/start", token: withoutPermission)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(otherId)/survey", token: withoutPermission).errorCode == "permission_denied")
            await otherApplet.close()
            #expect(try await gw.request(.post, sendPath, token: scene.technician).errorCode == "survey_disabled")
            _ = try await gw.request(.put, "/api/v1/admin/surveys/group/\(scene.groupId)", token: scene.admin, json: [
                "enabled": true, "questions": [["text": "Would you call us again?", "kind": "yes_no", "required": true]],
            ])
            #expect(try await gw.request(.post, sendPath, token: scene.admin).status == .notFound)
            #expect(try await gw.request(.post, sendPath, token: scene.technician).status == .noContent)
            let url = try await Self.surveyURL(from: scene.applet)
            #expect(try await gw.request(.post, sendPath, token: scene.technician).errorCode == "survey_already_sent")
            let form = try await gw.request(.get, "/api/v1/surveys/\(url.components(separatedBy: "/survey/").last!)").json()
            #expect((form["questions"] as? [[String: Any]])?.first?["text"] as? String == "Would you call us again?")

            _ = try await gw.request(.post, "/api/v1/sessions/\(scene.sessionId)/end", token: scene.technician)
            let again = try? await scene.applet.expect(GatewayToApplet.self, within: 1) { if case .survey = $0 { true } else { false } }
            #expect(again == nil, "one survey per session")
            let log = try await gw.request(.get, "/api/v1/sessions/\(scene.sessionId)/log", token: scene.technician).array()
            #expect(log.filter { ($0["text"] as? String) == "The customer survey was sent to the customer." }.count == 1)
            await scene.applet.close()
        }
    }

    @Test("a customer who leaves before anyone started gets no survey")
    func noSurveyWhileWaiting() async throws {
        try await GatewayHarness.run { gw in
            let admin = try await gw.login()
            let technician = try await gw.technician(named: "Wim", permissions: ["start_private_sessions", "connect_by_pin"], adminToken: admin)
            let group = try await gw.request(.get, "/api/v1/admin/surveys", token: admin).array().first { $0["name"] as? String == "Wim group" }
            _ = try await gw.request(.put, "/api/v1/admin/surveys/group/\(group?["scopeId"] as? String ?? "")", token: admin, json: ["enabled": true])
            let (id, pin) = try await gw.createSession(token: technician)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            applet.send(AppletToGateway.quit)
            _ = try await applet.expect(GatewayToApplet.self) { if case .ended = $0 { true } else { false } }
            try await gw.waitForState("closed_by_customer_waiting", of: id, token: technician)
            let sent = try await gw.request(.get, "/api/v1/reports/surveys", token: admin).array()
            #expect(sent.isEmpty)
        }
    }
}
