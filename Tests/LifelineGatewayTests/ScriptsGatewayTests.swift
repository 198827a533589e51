import Foundation
import Testing
import LifelineCore
import LifelineProtocol
import LifelineStore
@testable import LifelineGateway

@Suite("Scripts library and runs (N1, N2, R4)")
struct ScriptsGatewayTests {
    static func script(_ name: String, favourite: Bool = false) -> [String: Any] {
        ["name": name, "fileName": "run.sh", "content": "#!/bin/sh\necho \(name)\n", "favourite": favourite]
    }

    @Test("scripts.xml keeps every field through export and import; line breaks and markup survive")
    func xmlRoundTrip() throws {
        let definition = try ScriptRules.validated(ScriptDefinition(
            name: "Fix <printer> & \"queue\"", description: "Two\nlines", fileName: "fix.sh",
            content: "#!/bin/sh\r\nprintf '%s\\n' \"$1\" </dev/null\n\ttabbed\n", resourceName: "data.bin", platforms: [.linux, .macos],
            runAtStart: true, timeLimitSeconds: 90,
            parameters: [ScriptParameter(name: "mode", label: "Mode", kind: .choice, required: true, choices: ["a", "b & c"], defaultValue: "a"),
                         ScriptParameter(name: "count", label: "Count", kind: .number)]))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let stored = LibraryScript(id: "s", organisationId: "o", ownerId: "t", groupId: nil, position: 0, favourite: true, definition: definition,
                                   scriptSha256: "x", resourceSha256: "y", resourceSize: 3, createdAt: now, updatedAt: now)
        let xml = ScriptsXML.export([(stored, Data([0, 1, 255]))])
        let entries = try ScriptsXML.parse(Data(xml.utf8))
        #expect(entries == [ScriptLibrary.Entry(definition: definition, favourite: true, resource: Data([0, 1, 255]))])
    }

    @Test("hostile or broken files are refused with what is wrong", arguments: [
        ("<!DOCTYPE scripts [<!ENTITY x \"y\">]><scripts version=\"1\"/>", "DOCTYPE"),
        ("<replies version=\"1\"/>", "root element"),
        ("<scripts version=\"1\"><script name=\"x\" file=\"x.sh\"><content>echo</content><shell/></script></scripts>", "unexpected element"),
        ("<scripts version=\"1\"><script name=\"x\" file=\"x.sh\" platforms=\"beos\"><content>echo</content></script></scripts>", "platforms"),
        ("<scripts version=\"1\"><script name=\"x\" file=\"x.sh\"><content>echo</content><resource name=\"r\">!!!</resource></script></scripts>",
         "base64"),
        ("<scripts version=\"1\"><script name=\"x\" file=\"x.sh\"><parameter name=\"9\" kind=\"text\"/><content>echo</content></script></scripts>",
         "Parameter"),
    ])
    func refused(_ xml: String, _ words: String) {
        do {
            _ = try ScriptsXML.parse(Data(xml.utf8))
            Issue.record("accepted: \(xml)")
        } catch {
            #expect(error.message.contains(words), "\(error.message)")
        }
    }

    @Test("of twelve scripts starred at once, exactly five are favourites; the others are refused and not added")
    func favouritesRace() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<12 {
                    group.addTask { Int(try await gw.request(.post, "/api/v1/scripts", token: token, json: Self.script("S\(index)", favourite: true)).status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 5 && statuses.filter { $0 == 409 }.count == 7, "\(statuses)")
            let listing = try await gw.request(.get, "/api/v1/scripts", token: token).json()
            let scripts = try #require(listing["scripts"] as? [[String: Any]])
            #expect(scripts.count == 5 && scripts.allSatisfy { $0["favourite"] as? Bool == true })
            #expect(Set(scripts.compactMap { $0["position"] as? Int }) == Set(0..<5), "one place each")
        }
    }

    @Test("an administrator embeds a script for a group; its technicians see it and run it with run_embedded_scripts only")
    func embedded() async throws {
        try await GatewayHarness.run { gw in
            let master = try await gw.login()
            let all = Permission.allCases.map(\.rawValue)
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: master, json: ["name": "Desk", "permissions": all]).json()
            let groupId = try #require(group["id"] as? String)
            _ = try await gw.request(.post, "/api/v1/admin/technicians", token: master, json: [
                "email": "e@lifeline.test", "name": "E", "password": "long enough password", "groupId": groupId])
            let created = try await gw.request(.post, "/api/v1/admin/groups/\(groupId)/scripts", token: master, json: Self.script("Embedded"))
            #expect(created.status == .created)
            let scriptId = try #require(try created.json()["id"] as? String)
            let technician = try await gw.login("e@lifeline.test", "long enough password")
            // The technician sees it beside their own (empty) library, and cannot change it.
            let listing = try await gw.request(.get, "/api/v1/scripts", token: technician).json()
            #expect((listing["embedded"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [scriptId])
            #expect(try await gw.request(.put, "/api/v1/scripts/\(scriptId)", token: technician, json: Self.script("Mine")).status == .notFound)

            let (sessionId, pin) = try await gw.createSession(token: technician, name: "Embedded")
            let (applet, _) = try await gw.connectApplet(pin: pin)
            _ = try await gw.request(.post, "/api/v1/sessions/\(sessionId)/start", token: technician)
            let console = gw.console(token: technician)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }

            _ = try await gw.request(.put, "/api/v1/admin/groups/\(groupId)", token: master,
                                     json: ["name": "Desk", "permissions": all.filter { $0 != "run_embedded_scripts" }])
            console.send(ConsoleToGateway.scriptRunRequest(.init(sessionId: sessionId, requestId: "r1", scriptId: scriptId)))
            let refused = try await console.expect(GatewayToConsole.self) { if case .error = $0 { true } else { false } }
            guard case .error(let failure) = refused else { return }
            #expect(failure.code == "permission_denied" && failure.requestId == "r1")

            _ = try await gw.request(.put, "/api/v1/admin/groups/\(groupId)", token: master, json: ["name": "Desk", "permissions": all])
            console.send(ConsoleToGateway.scriptRunRequest(.init(sessionId: sessionId, requestId: "r2", scriptId: scriptId)))
            let order = try await applet.expect(GatewayToApplet.self) { if case .scriptRun = $0 { true } else { false } }
            guard case .scriptRun(let run) = order else { return }
            #expect(run.name == "Embedded" && run.script.sha256 == ScriptLibrary.sha256(Data("#!/bin/sh\necho Embedded\n".utf8)))
            // The applet's output and end reach the console; the log keeps both hashes.
            applet.send(AppletToGateway.scriptOutput(.init(sessionId: nil, runId: run.runId, chunks: [.init(at: 0.1, stream: .stdout, text: "Embedded\n")])))
            applet.send(AppletToGateway.scriptFinished(.init(sessionId: nil, runId: run.runId, result: ScriptResult(
                outcome: .exited, exitCode: 0, outputBytes: 9, outputSha256: String(repeating: "a", count: 64)))))
            let output = try await console.expect(GatewayToConsole.self) { if case .scriptOutput = $0 { true } else { false } }
            guard case .scriptOutput(let chunks) = output else { return }
            #expect(chunks.chunks.map(\.text) == ["Embedded\n"])
            _ = try await console.expect(GatewayToConsole.self) { if case .scriptFinished = $0 { true } else { false } }
            // A second end for the same run, or one for a run never started, changes nothing.
            applet.send(AppletToGateway.scriptFinished(.init(sessionId: nil, runId: run.runId, result: ScriptResult(outcome: .exited, exitCode: 1))))
            let log = try await gw.request(.get, "/api/v1/sessions/\(sessionId)/log", token: technician).array()
            let codes = log.compactMap { ($0["event"] as? [String: Any])?["code"] as? String }.filter { $0.hasPrefix("script_") }
            #expect(codes == ["script_started", "script_finished"], "\(codes)")
            await applet.close()
        }
    }
}
