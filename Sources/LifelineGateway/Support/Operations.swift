import Foundation
import Hummingbird
import LifelineCore
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import Prometheus

/// What an operator's tools read (issue 20, "operable"): Prometheus metrics at `GET /metrics`,
/// and liveness and readiness for a load balancer or systemd at `GET /health/live` and
/// `GET /health/ready`. Counters and timers come through swift-metrics from where they happen;
/// the gauges of what is live now are read at each scrape.
struct Operations: Sendable {
    let hub: SessionHub
    let connections: ConnectionLedger
    /// The registry the server gave swift-metrics; nil in a gateway without metrics (most tests).
    let registry: PrometheusCollectorRegistry?
    /// Prometheus's bearer token; without one, only this computer may read the metrics.
    let metricsToken: String?
    let node: ClusterNode

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("health/live") { _, _ in try JSONResponse.make(["status": "live"]) }
        router.get("health/ready") { _, _ in try await ready() }
        router.get("metrics") { request, context in try await metrics(request, context: context) }
    }

    /// Ready while the database answers and the gateway is not draining: a load balancer sends
    /// new customers and technicians elsewhere otherwise.
    func ready() async throws -> Response {
        if hub.draining { return try unready("draining", "This gateway is stopping: new connections go to another one.") }
        if node.isFenced { return try unready("database", "The database has not answered this gateway for too long.") }
        do {
            _ = try await hub.store.organisationCount()
        } catch {
            hub.logger.warning("Not ready: the database does not answer", metadata: ["error": "\(error)"])
            return try unready("database", "The database does not answer.")
        }
        return try JSONResponse.make(["status": "ready"])
    }

    private func unready(_ reason: String, _ message: String) throws -> Response {
        var response = try JSONResponse.make(["status": "not_ready", "reason": reason, "message": message])
        response.status = .serviceUnavailable
        return response
    }

    func metrics(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let registry else { throw GatewayError(.notFound, "Metrics are off: lifeline-server serves them, not this gateway.") }
        if let metricsToken {
            // Compared as hashes: the time taken says nothing about the token.
            let given = request.headers[.authorization] ?? ""
            guard Secrets.hash(given) == Secrets.hash("Bearer " + metricsToken) else {
                throw GatewayError(.unauthenticated, "Prometheus must send the metrics token (metricsToken) as a bearer token.")
            }
        } else {
            guard Self.isLoopback(context.remoteAddress) else {
                throw GatewayError(.permissionDenied, "Without a metrics token (metricsToken), only this computer may read the metrics.")
            }
        }
        record(into: registry)
        var body: [UInt8] = []
        body.reserveCapacity(16_384)
        registry.emit(into: &body)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The gauges of now: sessions by state (every state, zeros too), sockets by kind, connections.
    func record(into registry: PrometheusCollectorRegistry) {
        var byState = Dictionary(uniqueKeysWithValues: SessionState.allCases.map { ($0, 0) })
        for record in hub.registry.records { byState[record.machine.state, default: 0] += 1 }
        let sessions = Self.gauge("sessions", "Live sessions of this gateway by state (the lead technician's view).")
        for (state, count) in byState {
            registry.makeGauge(descriptor: sessions, labels: [("state", state.rawValue)]).set(to: Double(count))
        }
        let sockets = hub.sockets.counts
        let socketsByKind = Self.gauge("sockets", "Open WebSockets by kind.")
        for (kind, count) in [("console", sockets.consoles), ("applet", sockets.applets), ("collaborator", sockets.collaborators),
                              ("agent", hub.onlineAgents.count)] {
            registry.makeGauge(descriptor: socketsByKind, labels: [("kind", kind)]).set(to: Double(count))
        }
        registry.makeGauge(descriptor: Self.gauge("connections", "Open TCP connections (HTTP and WebSockets).")).set(to: Double(connections.open))
        registry.makeGauge(descriptor: Self.gauge("session_leases", "Live sessions this gateway holds the lease of.")).set(to: Double(node.heldLeases))
        registry.makeGauge(descriptor: Self.gauge("cluster_nodes", "Gateway nodes on this database heard from in the last 10 seconds."))
            .set(to: Double(node.nodesHeard))
        registry.makeGauge(descriptor: Self.gauge("draining", "1 while the gateway is stopping and takes no new sessions."))
            .set(to: hub.draining ? 1.0 : 0.0)
    }

    /// `lifeline_<name>`, a gauge without a unit.
    private static func gauge(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "lifeline", metricName: name, unitName: "", helpText: help)
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }
}

/// Counters of what the gateway passes on, through swift-metrics.
enum RelayMetrics {
    static let screenBytes = Metrics.Counter(label: "lifeline_screen_relay_bytes_total")
    static let screenFrames = Metrics.Counter(label: "lifeline_screen_relay_frames_total")
    /// Updates merged for a console that fell behind the others (it skipped to the latest screen).
    static let mergedScreenFrames = Metrics.Counter(label: "lifeline_screen_relay_merged_frames_total")
}

/// Each request counted and timed by route, method and status through swift-metrics. The time runs
/// until the handler answers, not until the body is written: Hummingbird's own MetricsMiddleware
/// wraps the response body to time its writing, which changed how a kept connection's next request
/// is guarded (its head deadline, `ConnectionLimitsTests`), so it is not used.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private let cache = NIOLockedValueBox<[Key: (Metrics.Counter, Metrics.Timer)]>([:])

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(route: context.endpointPath, method: request.method.rawValue, status: Int(response.status.code), since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(route: context.endpointPath, method: request.method.rawValue, status: Int(status), since: started)
            throw error
        }
    }

    private func record(route: String?, method: String, status: Int, since started: ContinuousClock.Instant) {
        // Unrouted paths (static files, 404s) are one series, not one per address asked.
        let key = Key(route: route ?? "unrouted", method: method, status: status)
        let (counter, timer) = cache.withLockedValue { cache in
            if let found = cache[key] { return found }
            let dimensions = [("route", key.route), ("method", key.method), ("status", String(key.status))]
            let made = (Metrics.Counter(label: "lifeline_http_requests_total", dimensions: dimensions),
                        Metrics.Timer(label: "lifeline_http_request_seconds", dimensions: dimensions))
            cache[key] = made
            return made
        }
        counter.increment()
        timer.record(duration: ContinuousClock.now - started)
    }
}
