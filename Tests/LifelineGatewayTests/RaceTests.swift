import Foundation
import HTTPTypes
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway
import Testing

/// Races fired for real: dozens of clients, each on its own connection, at one live gateway, over
/// many rounds. Single-use things work exactly once; limits hold; one session's changes take turns.
// Each test fires its own race with up to 200 clients; one at a time, so they do not starve each other.
@Suite("Races: single use, limits and one session's changes under concurrency", .serialized)
struct RaceTests {
    static let rounds = 20

    /// Wrong PINs from one address are slowed after ten; a new round starts after that window.
    static func nextRound(_ gw: GatewayHarness) { gw.clock.advance(by: 301) }

    static func statuses(_ replies: [GatewayHarness.Reply]) -> [Int] { replies.map { $0.status.code } }

    @Test("50 concurrent joins with one PIN or link: exactly one succeeds, and its applet token works (20 rounds)", arguments: ["pin", "link"])
    func credentialWorksOnce(method: String) async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            for _ in 1...Self.rounds {
                Self.nextRound(gw)
                let (id, credential) = try await gw.createSession(token: token, method: method)
                let replies = try await gw.race(50, .init(.post, "/api/v1/customer/join", json: [method: credential]))
                let winners = replies.filter { $0.status == .ok }
                #expect(winners.count == 1, "statuses: \(Self.statuses(replies))")
                // The losers hear the PIN was used (410) once the winner took it, or not found while it was being taken.
                #expect(replies.allSatisfy { [.ok, .notFound, .gone, .tooManyRequests].contains($0.status) })
                let appletToken = try #require(try winners.first?.json()["appletToken"] as? String)
                let applet = try await gw.helloApplet(token: appletToken)
                try await gw.waitForState("waiting", of: id, token: token)
                await applet.close()
            }
        }
    }

    @Test("a new session that draws a live session's number takes another one and leaves the live session and its PIN alone")
    func sessionNumberCollisionKeepsTheLiveSession() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let live = try #require(gw.hub.registry.record(id))
            var clash = live
            clash.pin = gw.hub.freshPin()
            let opened = try await gw.hub.openSession(clash, link: nil)
            #expect(opened.id != id)
            #expect(gw.hub.registry.record(id)?.pin == pin)
            #expect(try await gw.request(.post, "/api/v1/customer/join", json: ["pin": pin]).status == .ok)
            #expect(try await gw.request(.post, "/api/v1/customer/join", json: ["pin": try #require(opened.pin)]).status == .ok)
        }
    }

    @Test("20 concurrent joins with one collaborator PIN: exactly one external technician joins (20 rounds)")
    func collaboratorPinWorksOnce() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
            for round in 1...Self.rounds {
                Self.nextRound(gw)
                let invited = try await gw.request(.post, "/api/v1/sessions/\(id)/collaborators", token: token, json: ["name": "Dana \(round)"]).json()
                let collaboratorPin = try #require(invited["pin"] as? String)
                let replies = try await gw.race(20, .init(.post, "/api/v1/collaborators/join", json: ["pin": collaboratorPin]))
                #expect(replies.filter { $0.status == .ok }.count == 1, "statuses: \(Self.statuses(replies))")
                let listed = try await gw.request(.get, "/api/v1/sessions/\(id)/collaborators", token: token).array()
                #expect(listed.map { $0["state"] as? String } == ["collaboration"])
                let collaboratorId = try #require(listed.first?["id"] as? String)
                #expect(try await gw.request(.delete, "/api/v1/sessions/\(id)/collaborators/\(collaboratorId)", token: token).status == .noContent)
            }
            await applet.close()
        }
    }

    @Test("10 concurrent invitations to one session: no more than five external technicians")
    func collaboratorLimitHolds() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            for _ in 1...5 {
                let (id, pin) = try await gw.createSession(token: token)
                let (applet, _) = try await gw.connectApplet(pin: pin)
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
                let replies = try await gw.race((1...10).map { try .init(.post, "/api/v1/sessions/\(id)/collaborators", token: token, json: ["name": "Guest \($0)"]) })
                #expect(replies.filter { $0.status == .created || $0.status == .ok }.count == ExternalCollaboration.maximumPerSession,
                        "statuses: \(Self.statuses(replies))")
                #expect(try await gw.request(.get, "/api/v1/sessions/\(id)/collaborators", token: token).array().count == ExternalCollaboration.maximumPerSession)
                await applet.close()
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: token).status == .ok)
            }
        }
    }

    @Test("20 concurrent set-ups with the one-time setup token: one organisation, one master administrator (20 rounds)")
    func setupTokenWorksOnce() async throws {
        for round in 1...Self.rounds {
            try await GatewayHarness.run(withAdministrator: false) { gw in
                let setupToken = "setup-token-\(round)"
                try await gw.parts.store.setSetting(Bootstrap.setupTokenKey, Secrets.hash(setupToken))
                let replies = try await gw.race((1...20).map { index in
                    try .init(.post, "/api/v1/setup", json: ["token": setupToken, "organisation": "Org \(index)", "name": "Admin \(index)",
                                                             "email": "admin\(index)@race.test", "password": "a long enough password \(index)"])
                })
                #expect(replies.filter { $0.status == .noContent }.count == 1, "statuses: \(Self.statuses(replies))")
                #expect(try await gw.parts.store.organisationCount() == 1)
            }
        }
    }

    @Test("15 concurrent Starts by one technician: ten sessions become active, five are refused (10 rounds)")
    func tenActiveLimitHolds() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            for _ in 1...10 {
                Self.nextRound(gw)
                var ids: [String] = []
                var applets: [SocketProbe] = []
                for _ in 1...15 {
                    let (id, pin) = try await gw.createSession(token: token)
                    applets.append(try await gw.connectApplet(pin: pin).probe)
                    ids.append(id)
                }
                for id in ids { try await gw.waitForState("waiting", of: id, token: token) }
                let replies = try await gw.race(ids.map { try .init(.post, "/api/v1/sessions/\($0)/start", token: token) })
                #expect(replies.filter { $0.status == .ok }.count == ActiveSessionLimit.maximum, "statuses: \(Self.statuses(replies))")
                #expect(replies.filter { $0.errorCode == "too_many_active_sessions" }.count == 15 - ActiveSessionLimit.maximum)
                var active = 0
                for id in ids where try await gw.state(of: id, token: token) == "active" { active += 1 }
                #expect(active == ActiveSessionLimit.maximum)
                for id in ids { _ = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: token) }
                for applet in applets { await applet.close() }
            }
        }
    }

    @Test("Start, Hold, End, a transfer, the customer's quit and the timers at once: store, log and console agree (20 rounds)")
    func oneSessionsChangesTakeTurns() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let group = try await gw.request(.post, "/api/v1/admin/groups", token: token, json: ["name": "Second line", "permissions": ["chat"]]).json()
            let groupId = try #require(group["id"] as? String)
            let console = gw.console(token: token)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            for round in 1...Self.rounds {
                let (id, pin) = try await gw.createSession(token: token)
                let (applet, _) = try await gw.connectApplet(pin: pin)
                #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
                let path = "/api/v1/sessions/\(id)"
                var requests: [GatewayHarness.RaceRequest] = [
                    try .init(.post, "\(path)/hold", token: token), try .init(.post, "\(path)/start", token: token),
                    try .init(.post, "\(path)/transfer", token: token, json: ["to": ["group": groupId], "comment": "round \(round)"]),
                    try .init(.post, "\(path)/end", token: token), try .init(.post, "\(path)/hold", token: token),
                    try .init(.post, "\(path)/start", token: token),
                ]
                requests.shuffle()
                async let replies = gw.race(requests)
                async let timers: Void = gw.hub.runTimers()
                if round.isMultiple(of: 2) { applet.send(AppletToGateway.quit) }
                _ = try await (replies, timers)
                // Settle: a transfer left pending is ended by its sender's End after taking it back.
                try await Self.settle(id, gw: gw, token: token)

                let stored = try #require(try await gw.parts.store.session(id: id))
                let statusLines = try await gw.parts.store.log(sessionId: id).compactMap(\.state)
                #expect(statusLines.last == stored.machine.state, "log \(statusLines.map(\.rawValue)), stored \(stored.machine.state)")
                #expect(Self.nothingRevivesAClosedSession(statusLines), "log \(statusLines.map(\.rawValue))")
                #expect(zip(statusLines, statusLines.dropFirst()).allSatisfy { $0 != $1 }, "no status line twice in a row: \(statusLines.map(\.rawValue))")
                #expect(await Self.lastPush(of: id, on: console) == stored.machine.state, "the console was last told something else")
                await applet.close()
            }
        }
    }

    /// Ends the session whatever the race left it in, the way a technician would.
    static func settle(_ id: String, gw: GatewayHarness, token: String) async throws {
        for _ in 1...4 {
            let state = try await gw.state(of: id, token: token)
            if state.hasPrefix("closed") { return }
            if state == "outgoing" { _ = try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token) }
            _ = try await gw.request(.post, "/api/v1/sessions/\(id)/end", token: token)
        }
    }

    /// What the console was told last about the session, once it has been quiet for half a second.
    static func lastPush(of id: String, on console: SocketProbe) async -> SessionState? {
        var last: SessionState?
        while let text = await console.next(within: 0.5) {
            if case .session(let summary)? = try? WireCodec.decode(text, as: GatewayToConsole.self), summary.id == id { last = summary.state }
        }
        return last
    }

    /// A closed session is never revived: after the first closed state only closed states follow
    /// (closed by the customer → the technician's End), and nothing follows the session leaving the queue.
    static func nothingRevivesAClosedSession(_ states: [SessionState]) -> Bool {
        guard let firstClosed = states.firstIndex(where: \.isClosed) else { return true }
        guard states[firstClosed...].allSatisfy(\.isClosed) else { return false }
        return states.firstIndex(where: \.isRemovedFromQueue).map { $0 == states.count - 1 } ?? true
    }

    @Test("200 PIN sessions created at once by 200 clients: every one made, no PIN given twice (5 rounds)")
    func concurrentCreationsGetDistinctPins() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            for _ in 1...5 {
                let replies = try await gw.race(200, .init(.post, "/api/v1/sessions", token: token, json: ["name": "Customer", "method": "pin"]))
                #expect(replies.allSatisfy { $0.status == .created }, "statuses: \(Set(replies.map(\.status.code)))")
                let pins = try replies.compactMap { try $0.json()["pin"] as? String }
                #expect(pins.count == 200 && Set(pins).count == 200)
                for reply in replies { _ = try await gw.request(.post, "/api/v1/sessions/\(try reply.json()["id"] as! String)/end", token: token) }
            }
        }
    }

    @Test("21 concurrent session creations, 20 rounds: 21 audit entries each round, the chain and its head intact")
    func auditChainLosesNothing() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            for round in 1...20 {
                let before = try await gw.parts.store.allAuditEntries().count
                let replies = try await gw.race(21, .init(.post, "/api/v1/sessions", token: token, json: ["name": "Customer", "method": "pin"]))
                #expect(replies.allSatisfy { $0.status == .created }, "round \(round)")
                let entries = try await gw.parts.store.allAuditEntries()
                #expect(entries.count - before == 21, "round \(round)")
                #expect(entries.filter { $0.action == .pinCreated }.count == 21 * round)
                let verdict = try await AuditTrail.verify(store: gw.parts.store)
                guard case .intact(let count, _) = verdict else { Issue.record("audit chain: \(verdict)"); return }
                #expect(count == entries.count)
                for reply in replies { _ = try await gw.request(.post, "/api/v1/sessions/\(try reply.json()["id"] as! String)/end", token: token) }
            }
        }
    }

    @Test("50 chat lines sent at once by the technician and 20 by the customer: every one in the log, in the customer's applet and the console")
    func noChatLineLost() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
            for index in 1...20 { applet.send(AppletToGateway.chat(.init(text: "customer \(index)"))) }
            let replies = try await gw.race((1...50).map { try .init(.post, "/api/v1/sessions/\(id)/messages", token: token, json: ["text": "line \($0)"]) })
            #expect(replies.allSatisfy { $0.status == .created })
            let deadline = Date().addingTimeInterval(10)
            var chat: [String] = []
            while Date() < deadline {
                chat = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array()
                    .filter { $0["kind"] as? String == "chat" }.compactMap { $0["text"] as? String }
                if chat.count >= 70 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(Set(chat) == Set((1...50).map { "line \($0)" } + (1...20).map { "customer \($0)" }))
            #expect(chat.count == 70)
            var seenByCustomer: Set<String> = []
            while seenByCustomer.count < 50 {
                let message = try await applet.expect(GatewayToApplet.self) { if case .chat(let e) = $0 { e.authorRole == .technician } else { false } }
                if case .chat(let entry) = message { seenByCustomer.insert(entry.text) }
            }
            #expect(seenByCustomer == Set((1...50).map { "line \($0)" }))
            await applet.close()
        }
    }
}

@Suite("Races: an organisation's limits under concurrent administrators")
struct OrganisationLimitRaceTests {
    @Test("15 concurrent new channels: ten are made, five refused (5 rounds)")
    func channelLimit() async throws {
        for _ in 1...5 {
            try await GatewayHarness.run { gw in
                let token = try await gw.login()
                let replies = try await gw.race(try (1...15).map { try .init(.post, "/api/v1/admin/channels", token: token, json: ["name": "Channel \($0)"]) })
                #expect(replies.filter { $0.status == .created }.count == ChannelRules.maximumPerOrganisation, "statuses: \(replies.map(\.status.code))")
                #expect(try await gw.request(.get, "/api/v1/admin/channels", token: token).array().count == ChannelRules.maximumPerOrganisation)
            }
        }
    }

    @Test("10 concurrent imports of 500 different replies each: the organisation keeps 500")
    func replyLimit() async throws {
        try await GatewayHarness.run { gw in
            let token = try await gw.login()
            let files = (1...10).map { file in
                "<?xml version=\"1.0\"?>\n<replies version=\"1\">\n" + (1...500).map { "<reply name=\"R\(file)-\($0)\">Text \($0)</reply>" }.joined(separator: "\n") + "\n</replies>"
            }
            let replies = try await gw.race(files.map { xml in
                var request = try GatewayHarness.RaceRequest(.post, "/api/v1/replies/import", token: token)
                request.raw = xml
                return request
            })
            #expect(replies.filter { $0.status == .ok }.count == 1, "statuses: \(replies.map(\.status.code))")
            #expect(try await gw.request(.get, "/api/v1/replies", token: token).array().count == ReplyRules.maximumCount)
        }
    }
}
