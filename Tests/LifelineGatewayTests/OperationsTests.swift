import Foundation
import Logging
import Prometheus
import Testing
import LifelineCore
import LifelineProtocol
@testable import LifelineGateway

/// What operators' tools read (issue 20, "operable"): liveness and readiness, the drain before a
/// stop, Prometheus metrics (only for this computer or with the token), JSON log lines.
@Suite("Operations: health, readiness and drain, metrics, JSON logs")
struct OperationsTests {
    @Test("ready until draining; draining refuses new sessions, joins and channel requests with 503 draining; live sessions go on")
    func readinessAndDrain() async throws {
        try await GatewayHarness.run { gw in
            #expect(try await gw.request(.get, "/health/live").status == .ok)
            let ready = try await gw.request(.get, "/health/ready")
            let readyStatus = try ready.json()["status"] as? String
            #expect(ready.status == .ok && readyStatus == "ready")
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (later, laterPin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("waiting", of: id, token: token)

            gw.hub.beginDraining()
            let draining = try await gw.request(.get, "/health/ready")
            let reason = try draining.json()["reason"] as? String
            #expect(draining.status == .serviceUnavailable && reason == "draining")
            let refused = try await gw.request(.post, "/api/v1/sessions", token: token, json: ["name": "New", "method": "pin"])
            #expect(refused.status == .serviceUnavailable)
            let code = (try refused.json()["error"] as? [String: Any])?["code"] as? String
            #expect(code == "draining")
            let join = try await gw.request(.post, "/api/v1/customer/join", json: ["pin": laterPin])
            #expect(join.status == .serviceUnavailable, "a customer joins another gateway")
            // The session here goes on: the technician starts it, the customer chats.
            #expect(try await gw.request(.post, "/api/v1/sessions/\(id)/start", token: token).status == .ok)
            applet.send(AppletToGateway.chat(.init(text: "still here")))
            for _ in 0..<100 {
                let texts = try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array().compactMap { $0["text"] as? String }
                if texts.contains("still here") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await gw.request(.get, "/api/v1/sessions/\(id)/log", token: token).array().contains { $0["text"] as? String == "still here" })
            #expect(try await gw.state(of: later, token: token) == "connecting")
            await applet.close()
        }
    }

    @Test("metrics: off without a registry; this computer reads sessions by state and sockets by kind; with a token, only with it")
    func metrics() async throws {
        try await GatewayHarness.run { gw in
            let off = try await gw.request(.get, "/metrics")
            #expect(off.status == .notFound)
        }
        let registry = PrometheusCollectorRegistry()
        try await GatewayHarness.run(metricsRegistry: registry) { gw in
            let token = try await gw.login()
            let (id, pin) = try await gw.createSession(token: token)
            let (applet, _) = try await gw.connectApplet(pin: pin)
            try await gw.waitForState("waiting", of: id, token: token)
            let reply = try await gw.request(.get, "/metrics")
            #expect(reply.status == .ok && reply.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: reply.body, as: UTF8.self)
            for line in ["lifeline_sessions{state=\"waiting\"} 1.0", "lifeline_sessions{state=\"active\"} 0.0",
                         "lifeline_sockets{kind=\"applet\"} 1.0", "lifeline_draining 0.0"] {
                #expect(text.contains(line), "\(line) in\n\(text)")
            }
            #expect(text.contains("# TYPE lifeline_sessions gauge"))
            await applet.close()
        }
        try await GatewayHarness.run(metricsRegistry: PrometheusCollectorRegistry(), metricsToken: "scrape-secret-1") { gw in
            let without = try await gw.request(.get, "/metrics")
            let wrong = try await gw.request(.get, "/metrics", token: "wrong")
            let right = try await gw.request(.get, "/metrics", token: "scrape-secret-1")
            #expect(without.status == .unauthorized && wrong.status == .unauthorized && right.status == .ok)
        }
        #expect(Operations.isLoopback("127.0.0.1") && Operations.isLoopback("::1") && Operations.isLoopback("::ffff:127.0.0.1"))
        #expect(!Operations.isLoopback("10.0.0.7") && !Operations.isLoopback("192.168.1.127"))
    }

    @Test("a JSON log line: the fixed fields, each value under its key, escapes, a clashing key kept apart")
    func jsonLogLine() throws {
        let lines = LockedLines()
        var handler = JSONLogHandler(label: "lifeline") { lines.append($0) }
        handler.metadata = ["node": "a"]
        var logger = Logger(label: "lifeline", factory: { _ in handler })
        logger.logLevel = .info
        logger.warning("Quote \" and\nnewline \u{01}", metadata: ["session.id": "123", "message": "clash", "list": ["x", "y"]])
        logger.debug("not written")
        let written = lines.all
        #expect(written.count == 1 && written[0].hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning" && object["label"] as? String == "lifeline")
        #expect(object["message"] as? String == "Quote \" and\nnewline \u{01}")
        #expect(object["session.id"] as? String == "123" && object["node"] as? String == "a" && object["meta.message"] as? String == "clash")
        #expect(object["list"] as? [String] == ["x", "y"])
        let time = try #require(object["time"] as? String)
        #expect(time.hasSuffix("Z") && time.count == "2026-12-04T15:00:00.000Z".count, "\(time)")
    }

    final class LockedLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }
}
