import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing
import LifelineCore
import LifelineProtocol
import LifelineStore
import LifelineTestSupport
@testable import LifelineGateway

/// Two gateway nodes on one PostgreSQL (issue 20): a technician's console on one node sees the
/// sessions the other serves and their log as they change (PostgreSQL NOTIFY, then a read), and
/// when the node serving a session falls silent the other takes it over: the first lets it go and
/// the customer's applet comes back to the node that serves it.
@Suite("Two gateway nodes on one database: queues across nodes, a silent node's sessions taken over",
       .enabled(if: TestDatabase.postgresServer != nil))
struct ClusterFeedTests {
    /// Two nodes of one cluster: they share the gateway's identity key (docs/operations.md) and the database.
    static func twoNodes(_ body: @escaping @Sendable (GatewayHarness, GatewayHarness) async throws -> Void) async throws {
        try await GatewayHarness.run { a in
            let folderB = GatewayHarness.newDataDirectory()
            try FileManager.default.copyItem(atPath: a.dataDirectory + "/gateway-identity.key", toPath: folderB + "/gateway-identity.key")
            try await GatewayHarness.run(dataDirectory: folderB, database: a.database) { b in try await body(a, b) }
        }
    }

    /// Waits until B's copy of A's session is in `state`, then both beat (the harness's hearts beat
    /// by hand: a node silent for 10 s would look dead), so each knows where the other is.
    static func copied(_ id: String, in state: SessionState, from a: GatewayHarness, to b: GatewayHarness) async throws {
        let deadline = Date().addingTimeInterval(5)
        while b.hub.remoteSessions.record(id)?.machine.state != state && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // A beats again after B: on a loaded machine B's last beat may be older than the 10 s that
        // count as alive when A first looks.
        await a.parts.node.tick()
        await b.parts.node.tick()
        await a.parts.node.tick()
    }

    @Test("a console on one node sees the other node's sessions, their changes and their chat; a silent node's session moves")
    func acrossNodes() async throws {
        try await GatewayHarness.run { a in
            try await GatewayHarness.run(database: a.database) { b in
                let tokenOnA = try await a.login()
                let tokenOnB = try await b.login()
                let consoleOnB = b.console(token: tokenOnB)
                _ = try await consoleOnB.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }

                // Created on A: B's console is told, then of its customer joining and chatting.
                let (id, pin) = try await a.createSession(token: tokenOnA, name: "Across nodes")
                let created = try await consoleOnB.expect(GatewayToConsole.self) {
                    if case .session(let summary) = $0 { summary.id == id } else { false }
                }
                guard case .session(let summary) = created else { return }
                #expect(summary.name == "Across nodes" && summary.state == .connecting)
                let (applet, appletToken) = try await a.connectApplet(pin: pin)
                _ = try await consoleOnB.expect(GatewayToConsole.self) {
                    if case .session(let summary) = $0 { summary.id == id && summary.state == .waiting } else { false }
                }
                // Every line, in order: short ones come whole in the signal, a long one is read.
                let lines = ["Hello from node A", "second", String(repeating: "long ", count: 600) + "end", "fourth", "fifth"]
                for line in lines { applet.send(AppletToGateway.chat(.init(text: line))) }
                for line in lines {
                    _ = try await consoleOnB.expect(GatewayToConsole.self) {
                        if case .log(let entry) = $0 { entry.sessionId == id && entry.kind == .chat && entry.text == line } else { false }
                    }
                }
                // A console opened on B now has it in its first frame.
                let secondOnB = b.console(token: tokenOnB)
                let snapshot = try await secondOnB.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                guard case .snapshot(let queue) = snapshot else { return }
                #expect(queue.sessions.contains { $0.id == id && $0.state == .waiting })
                #expect(a.hub.registry.record(id) != nil && b.hub.registry.record(id) == nil, "A serves it; B shows a copy")

                // A falls silent in B's eyes: B takes the session over; A, back, finds it B's and lets it go.
                let store = try #require(b.parts.store as? SQLStore)
                try await store.removeNode(id: a.parts.node.id)
                await b.parts.node.tick()
                #expect(b.hub.registry.record(id) != nil)
                #expect(try await store.lease(sessionId: id)?.nodeId == b.parts.node.id)
                await a.parts.node.tick()
                #expect(a.hub.registry.record(id) == nil)
                #expect(await applet.closes(), "the applet's socket on A is closed: it reconnects")
                // The applet comes back (through the load balancer) to B, and the session goes on there.
                let again = try await b.helloApplet(token: appletToken, rejoining: true)
                try await b.waitForState("waiting", of: id, token: tokenOnB)
                let started = try await b.request(.post, "/api/v1/sessions/\(id)/start", token: tokenOnB)
                #expect(started.status == .ok)
                // A's console hears of it from B.
                let consoleOnA = a.console(token: tokenOnA)
                let onA = try await consoleOnA.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                guard case .snapshot(let queueOnA) = onA else { return }
                #expect(queueOnA.sessions.contains { $0.id == id })
                again.send(AppletToGateway.chat(.init(text: "Now through node B")))
                _ = try await consoleOnA.expect(GatewayToConsole.self) {
                    if case .log(let entry) = $0 { entry.sessionId == id && entry.text == "Now through node B" } else { false }
                }
                for probe in [again, consoleOnA, consoleOnB, secondOnB] { await probe.close() }
            }
        }
    }

    @Test("a customer who joins through another node is served there: the session follows its customer, and its PIN is spent everywhere")
    func sessionFollowsItsCustomer() async throws {
        try await GatewayHarness.run { a in
            try await GatewayHarness.run(database: a.database) { b in
                let tokenOnA = try await a.login()
                let consoleOnA = a.console(token: tokenOnA)
                _ = try await consoleOnA.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                let (id, pin) = try await a.createSession(token: tokenOnA, name: "Moves")
                #expect(a.hub.registry.record(id) != nil)

                let (applet, _) = try await b.connectApplet(pin: pin)
                #expect(b.hub.registry.record(id) != nil, "served where its customer is")
                _ = try await consoleOnA.expect(GatewayToConsole.self) {
                    if case .session(let summary) = $0 { summary.id == id && summary.state == .waiting } else { false }
                }
                let deadline = Date().addingTimeInterval(5)
                while a.hub.registry.record(id) != nil && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(a.hub.registry.record(id) == nil, "A let it go when B said it took it")
                applet.send(AppletToGateway.chat(.init(text: "Joined through B")))
                _ = try await consoleOnA.expect(GatewayToConsole.self) {
                    if case .log(let entry) = $0 { entry.sessionId == id && entry.text == "Joined through B" } else { false }
                }
                let reused = try await a.join(pin: pin)
                #expect(reused.status != .ok, "a PIN is single use on every node")
                for probe in [applet, consoleOnA] { await probe.close() }
            }
        }
    }

    @Test("a technician's request about a session another node serves is answered by that node, as if sent there")
    func requestsReachTheServingNode() async throws {
        try await Self.twoNodes { a, b in
            let tokenOnA = try await a.login()
            let tokenOnB = try await b.login()
            let (id, pin) = try await a.createSession(token: tokenOnA, name: "Worked from B")
            let (applet, appletToken) = try await a.connectApplet(pin: pin)
            try await a.waitForState("waiting", of: id, token: tokenOnA)
            try await Self.copied(id, in: .waiting, from: a, to: b)

            let started = try await b.request(.post, "/api/v1/sessions/\(id)/start", token: tokenOnB)
            #expect(started.status == .ok, "started through B, on A")
            #expect(a.hub.registry.record(id)?.machine.state == .active)
            let said = try await b.request(.post, "/api/v1/sessions/\(id)/messages", token: tokenOnB, json: ["text": "Typed on B"])
            #expect(said.status == .created || said.status == .ok)
            _ = try await applet.expect(GatewayToApplet.self) { if case .chat(let entry) = $0 { entry.text == "Typed on B" } else { false } }
            let log = try await b.request(.get, "/api/v1/sessions/\(id)/log", token: tokenOnB)
            #expect(log.status == .ok && String(decoding: log.body, as: UTF8.self).contains("Typed on B"))
            // The applet's own transfers sent to B (a balancer's choice) are served by A, as is the technician's download through B.
            let headers: HTTPFields = [.authorization: "Bearer \(appletToken)", .fileName: "report.log"]
            let sent = try await b.request(.post, "/api/v1/customer/files", bytes: Array("sent through B\n".utf8), headers: headers)
            #expect(sent.status == .created)
            let fileId = try #require(try sent.json()["id"] as? String)
            let file = try await b.request(.get, "/api/v1/sessions/\(id)/files/\(fileId)", token: tokenOnB)
            #expect(file.status == .ok && String(decoding: file.body, as: UTF8.self) == "sent through B\n")
            #expect(try await b.request(.post, "/api/v1/customer/files", bytes: [1], headers: [.authorization: "Bearer not-a-token", .fileName: "x"])
                .errorCode == "unknown_applet_token")
            // The serving node's checks hold: no login, no answer.
            #expect(try await b.request(.post, "/api/v1/sessions/\(id)/end", token: nil).status == .unauthorized)
            #expect(try await b.request(.post, "/api/v1/sessions/\(id)/end", token: tokenOnB).status == .ok)
            #expect(a.hub.registry.record(id) == nil)
            await applet.close()
        }
    }


    @Test("an administrator's change saved on one node is acted on by every node: settings, a disabled technician's consoles")
    func administratorsChanges() async throws {
        try await GatewayHarness.run { a in
            try await GatewayHarness.run(database: a.database) { b in
                let admin = try await a.login()
                let tom = try await a.technician(named: "Tom", permissions: ["chat"], adminToken: admin)
                let tomId = try await a.technicianId(named: "Tom", adminToken: admin)
                #expect(try await a.request(.put, "/api/v1/admin/settings", token: admin, json: ["urgentAfterSeconds": 333]).status == .ok)
                let deadline = Date().addingTimeInterval(5)
                while b.hub.settings.urgentAfterSeconds != 333 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(b.hub.settings.urgentAfterSeconds == 333, "B runs with the settings saved on A")

                let console = b.console(token: tom)
                _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
                #expect(try await a.request(.patch, "/api/v1/admin/technicians/\(tomId)", token: admin, json: ["disabled": true]).status == .ok)
                #expect(await console.closes(within: 5), "disabled on A, Tom's console on B closes")
            }
        }
    }

    /// An active session A serves, its applet on A, and the administrator's logins on both nodes,
    /// once B's copy shows it active.
    static func activeOnA(_ a: GatewayHarness, _ b: GatewayHarness, name: String) async throws
        -> (id: String, tokenOnA: String, tokenOnB: String, applet: SocketProbe, appletToken: String) {
        let tokenOnA = try await a.login()
        let tokenOnB = try await b.login()
        let (id, pin) = try await a.createSession(token: tokenOnA, name: name)
        let (applet, appletToken) = try await a.connectApplet(pin: pin)
        #expect(try await a.request(.post, "/api/v1/sessions/\(id)/start", token: tokenOnA).status == .ok)
        try await copied(id, in: .active, from: a, to: b)
        return (id, tokenOnA, tokenOnB, applet, appletToken)
    }

    @Test("a console on one node works a session another node serves: its messages go there; the desktop's status and screen come back")
    func consoleToolsAcrossNodes() async throws {
        try await Self.twoNodes { a, b in
            let (id, _, tokenOnB, applet, _) = try await Self.activeOnA(a, b, name: "Desktop across nodes")

            let console = b.console(token: tokenOnB)
            _ = try await console.expect(GatewayToConsole.self) { if case .snapshot = $0 { true } else { false } }
            console.send(ConsoleToGateway.remoteRequest(.init(sessionId: id, mode: .control)))
            _ = try await applet.expect(GatewayToApplet.self) { if case .remoteRequest = $0 { true } else { false } }
            applet.send(AppletToGateway.remoteAnswer(.init(accepted: true)))
            _ = try await console.expect(GatewayToConsole.self) {
                if case .remote(let status) = $0 { status.sessionId == id && status.phase == .active } else { false }
            }
            applet.send(binary: RemoteScene.frame.encoded())
            let received = try #require(await console.nextBinary())
            #expect(try ScreenUpdate.decode(Array(received.dropFirst(1 + id.count))) == RemoteScene.frame, "the screen, through A to B")
            // A refusal comes back too: another session's id is not theirs.
            console.send(ConsoleToGateway.remoteStop(.init(sessionId: id)))
            _ = try await applet.expect(GatewayToApplet.self) { if case .remoteStop = $0 { true } else { false } }
            _ = try await console.expect(GatewayToConsole.self) {
                if case .remote(let status) = $0 { status.sessionId == id && status.phase == .ended } else { false }
            }
            console.send(ConsoleToGateway.remoteStop(.init(sessionId: id)))
            _ = try await console.expect(GatewayToConsole.self) {
                if case .error(let failure) = $0 { failure.code == "remote_not_running" } else { false }
            }
            await console.close()
            await applet.close()
        }
    }

    @Test("the ten active sessions hold across nodes: ten served by one node, the eleventh refused on the other until one ends")
    func tenActiveAcrossNodes() async throws {
        try await GatewayHarness.run { a in
            try await GatewayHarness.run(database: a.database) { b in
                let admin = try await a.login()
                let adminId = try await a.technicianId(named: "Administrator", adminToken: admin)
                var applets: [SocketProbe] = []
                var onA: [String] = []
                for index in 0..<10 {
                    let (id, pin) = try await a.createSession(token: admin, name: "On A \(index)")
                    applets.append(try await a.connectApplet(pin: pin).probe)
                    #expect(try await a.request(.post, "/api/v1/sessions/\(id)/start", token: admin).status == .ok)
                    onA.append(id)
                }
                let (eleventh, pin) = try await b.createSession(token: admin, name: "On B")
                applets.append(try await b.connectApplet(pin: pin).probe)
                let deadline = Date().addingTimeInterval(5)
                while b.hub.remoteSessions.activeTypes(of: adminId, excluding: eleventh).count < 10 && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let refused = try await b.request(.post, "/api/v1/sessions/\(eleventh)/start", token: admin)
                #expect(refused.status == .conflict && refused.errorCode == "too_many_active_sessions", "ten are active on A")
                #expect(try await a.request(.post, "/api/v1/sessions/\(onA[0])/end", token: admin).status == .ok)
                let again = Date().addingTimeInterval(5)
                while b.hub.remoteSessions.activeTypes(of: adminId, excluding: eleventh).count > 9 && Date() < again {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try await b.request(.post, "/api/v1/sessions/\(eleventh)/start", token: admin).status == .ok)
                for applet in applets { await applet.close() }
            }
        }
    }
}

@Suite("Forwarding between gateway nodes: the customer's address vouched for")
struct NodeForwardingTests {
    @Test("a node believes the customer's address another node vouches for, and no forged, altered or old one")
    func vouchedAddresses() throws {
        let identity = GatewayIdentity(key: .init())
        let clock = Date(timeIntervalSince1970: 1_800_000_000)
        let forwarding = NodeForwarding(identity: identity, now: { clock })
        func request(_ address: String, _ signature: String, path: String = "/api/v1/sessions/1/start") -> Request {
            var head = HTTPRequest(method: .post, scheme: "http", authority: "node", path: path)
            head.headerFields[NodeForwarding.forwardedFor] = address
            head.headerFields[NodeForwarding.forwardedSignature] = signature
            return Request(head: head, body: .init(buffer: ByteBuffer()))
        }
        let good = forwarding.signature(address: "203.0.113.9", method: "POST", path: "/api/v1/sessions/1/start", at: clock)
        #expect(forwarding.vouchedAddress(in: request("203.0.113.9", good)) == "203.0.113.9")
        #expect(forwarding.vouchedAddress(in: request("198.51.100.7", good)) == nil, "another address under the same signature")
        #expect(forwarding.vouchedAddress(in: request("203.0.113.9", good, path: "/api/v1/sessions/2/end")) == nil, "another request")
        let old = forwarding.signature(address: "203.0.113.9", method: "POST", path: "/api/v1/sessions/1/start", at: clock.addingTimeInterval(-120))
        #expect(forwarding.vouchedAddress(in: request("203.0.113.9", old)) == nil, "too old")
        let stranger = NodeForwarding(identity: GatewayIdentity(key: .init()), now: { clock })
        let forged = stranger.signature(address: "203.0.113.9", method: "POST", path: "/api/v1/sessions/1/start", at: clock)
        #expect(forwarding.vouchedAddress(in: request("203.0.113.9", forged)) == nil, "another cluster's key")
        #expect(NodeForwarding.sessionId(in: "/api/v1/sessions/123/files/9/content") == "123")
        #expect(NodeForwarding.sessionId(in: "/api/v1/sessions") == nil)
    }
}

@Suite("Signals between gateway nodes: references gathered, small")
struct ClusterSignalTests {
    @Test("what changed meanwhile goes as few signals: a session named once, at most 100 references, far below 8,000 bytes")
    func gathering() throws {
        var items: [SignalOutbox.Item] = []
        for index in 0..<250 {
            items.append(.session("\(100_000_000 + index % 120)"))
            items.append(.log(chatLine(Int64(1_000_000 + index), session: "\(100_000_000 + index % 120)", text: "line \(index)"), after: nil))
        }
        for index in 0..<150 {
            items.append(.change(.consolesClosed(technicianId: UUID().uuidString, reason: "two-step verification reset \(index)")))
        }
        let signals = SignalOutbox.signals(from: items, node: "node-0123456789abcdef")
        #expect(signals.flatMap(\.changes).count == 150, "every change")
        #expect(signals.allSatisfy { $0.sessions.count + $0.logs.count <= ClusterSignal.batch })
        #expect(signals.allSatisfy { Set($0.sessions).count == $0.sessions.count }, "a session once per signal")
        #expect(signals.flatMap(\.logs).count == 250, "every log line")
        #expect(Set(signals.flatMap(\.sessions)).count == 120, "every session")
        for signal in signals {
            let payload = try JSONEncoder().encode(signal)
            #expect(payload.count < 8_000)
            #expect(try JSONDecoder().decode(ClusterSignal.self, from: payload) == signal)
        }
        // A short line comes whole after the first, which goes as a reference; a long one as a reference.
        let lineOutbox = SignalOutbox()
        let lineWakes = lineOutbox.open()
        for (id, text) in [(10, "first"), (12, "second"), (13, String(repeating: "é", count: 2_000)), (11, "late"), (15, "fifth")] {
            lineOutbox.announce(log: chatLine(Int64(id), session: "7", text: text))
        }
        let lineSignals = SignalOutbox.signals(from: lineOutbox.take(), node: "n")
        let sent = lineSignals.flatMap(\.logs)
        #expect(sent.map(\.id) == [10, 12, 13, 11, 15])
        #expect(sent.map(\.after) == [nil, 10, nil, nil, 13], "the line before, unless out of order")
        #expect(sent.map { $0.entry?.text } == [nil, "second", nil, nil, "fifth"])
        for signal in lineSignals {
            #expect(try JSONDecoder().decode(ClusterSignal.self, from: try JSONEncoder().encode(signal)) == signal, "the entry as it was")
        }
        lineOutbox.close()
        _ = lineWakes
        let copies = RemoteSessions()
        copies.keep(SessionRecord(id: "7", organisationId: "org", technicianId: "t", name: "Ann", method: .pin, pin: nil, linkTokenHash: nil,
                                  appletTokenHash: nil, machine: SessionMachine(createdAt: Date()), customer: nil, closedAt: nil), holder: "n")
        #expect(!copies.noteLog(12, of: "7", after: 10), "no line given yet: read")
        #expect(copies.noteLog(10, of: "7"))
        #expect(copies.noteLog(12, of: "7", after: 10))
        #expect(!copies.noteLog(15, of: "7", after: 13), "13 was missed: read")

        // Nothing is kept while no feed runs (one gateway on SQLite).
        let outbox = SignalOutbox()
        outbox.announce(.session("1"))
        #expect(outbox.take().isEmpty)
        let wakes = outbox.open()
        outbox.announce(.session("2"))
        #expect(outbox.take().count == 1)
        outbox.close()
        _ = wakes
    }
}

private func chatLine(_ id: Int64, session: String, text: String) -> LogEntry {
    LogEntry(id: id, sessionId: session, at: Date(timeIntervalSince1970: 1_800_000_000.125), kind: .chat, authorRole: .customer,
             author: "Hana", text: text, state: nil, event: nil)
}
