import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import LifelineProtocol
import LifelineStore
import Logging
import NIOSSL
import ServiceLifecycle

/// The gateway's parts, for tests that need to reach behind the HTTP API (move the clock, run timers).
public struct GatewayParts: Sendable {
    public let store: any Store
    public let hub: SessionHub
    /// Connections open now; tests wait on it instead of guessing what their client holds.
    public let connections: ConnectionLedger
    /// Every HTTP route as "METHOD /path", for the authorization matrix test.
    public var routes: [String] = []
    /// This gateway as a node of the cluster (issue 20).
    public let node: ClusterNode
}

/// The one place the gateway is wired. `lifeline-server` and the tests both call it.
public func buildApplication(
    configuration: GatewayConfiguration, environment: GatewayEnvironment = .production, logger: Logger
) async throws -> (some ApplicationProtocol, GatewayParts) {
    try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
    let store = try await SQLStore(configuration.databaseLocation, logger: logger)
    let accounts = Accounts(store: store, environment: environment)
    let bootstrap = Bootstrap(accounts: accounts, configuration: configuration, logger: logger)
    try await bootstrap.run()
    let hub = SessionHub(store: store, environment: environment, publicURL: configuration.publicURL, logger: logger,
                         webRTC: configuration.browserScreenWebRTC, turn: configuration.turn, gatewayIdentity: try GatewayIdentity(dataDirectory: configuration.dataDirectory))
    try await hub.loadSettings()
    // The node loads the live sessions it serves (all of them, unless other nodes share the database).
    let node = ClusterNode(store: store, hub: hub, address: configuration.nodeAddress,
                           id: ClusterNode.id(address: configuration.nodeAddress, dataDirectory: configuration.dataDirectory))
    try await node.start()

    let router = Router(context: GatewayRequestContext.self)
    let routeMethods = RouteMethods()
    let upgradeRefusals = UpgradeRefusals()
    let connections = ConnectionLedger()
    // Requests counted and timed through swift-metrics (lifeline-server's Prometheus registry).
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: UpgradeRefusalMiddleware(refusals: upgradeRefusals))
    router.add(middleware: ErrorMiddleware(routeMethods: routeMethods))
    router.add(middleware: SecurityHeadersMiddleware())
    // Static files first: a page or script costs no login lookup. Each is checked with the
    // gateway every time (its ETag: a 304 when unchanged): a console kept a module from before an
    // upgrade otherwise, and met screen updates its old decoder refused.
    router.add(middleware: FileMiddleware(fileProvider: WebRootFiles(rootFolder: configuration.webRoot, logger: logger),
                                          cacheControl: CacheControl([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true))
    // A request about a session another gateway node serves is answered by that node.
    router.add(middleware: NodeForwardingMiddleware(hub: hub, forwarding: node.forwarding))
    router.add(middleware: AuthenticationMiddleware(accounts: accounts, publicOrigin: configuration.publicOrigin))
    let wiring = GatewayWiring(store: store, accounts: accounts, bootstrap: bootstrap, hub: hub, configuration: configuration,
                               environment: environment, upgradeRefusals: upgradeRefusals,
                               connections: connections)
    Operations(hub: hub, connections: connections, registry: environment.metricsRegistry, metricsToken: configuration.metricsToken, node: node)
        .addRoutes(to: router)
    ClusterController(hub: hub, forwarding: node.forwarding, accounts: accounts).addRoutes(to: router)
    try wiring.addAPIRoutes(to: router)
    wiring.addPages(to: router)
    wiring.addSockets(to: router, node: node)

    let app = Application(
        router: router, server: try wiring.server(for: router, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Lifeline"),
        // Services stop in reverse order: the store, first here, closes last.
        services: [StoreService(store: store), TimerService(hub: hub, interval: environment.timerInterval),
                   ClusterNodeService(node: node, interval: environment.nodeHeartbeat)]
            + (store.signals.map { [ClusterFeedService(node: node, signals: $0)] } ?? []),
        onServerRunning: { channel in await node.listening(onPort: channel.localAddress?.port) },
        logger: logger)
    let routes = router.routes.map(\.description)
    routeMethods.load(routes)
    return (app, GatewayParts(store: store, hub: hub, connections: connections, routes: routes, node: node))
}

/// The parts every route and socket is made from, and the four groups they are added in.
struct GatewayWiring {
    let store: SQLStore
    let accounts: Accounts
    let bootstrap: Bootstrap
    let hub: SessionHub
    let configuration: GatewayConfiguration
    let environment: GatewayEnvironment
    /// Answers to refused WebSocket upgrades, from the router to the connection guards.
    let upgradeRefusals: UpgradeRefusals
    let connections: ConnectionLedger

    /// /api/v1 and the two downloads.
    func addAPIRoutes(to router: Router<GatewayRequestContext>) throws {
        let api = router.group("api/v1")
        api.get("health") { _, _ in try JSONResponse.make(["status": "ok"]) }
        let sms = configuration.sms?.makeSender()
        let mailer = { configuration.smtp.map { SMTPMailer(configuration: $0, now: environment.now) } }
        let signIn = SignIn(accounts: accounts, hub: hub, guardian: SignInGuard(now: environment.now), secureCookies: configuration.usesTLS)
        AuthController(accounts: accounts, hub: hub, secureCookies: configuration.usesTLS, signIn: signIn, smsAvailable: sms != nil)
            .addRoutes(to: api)
        let twoStep = TwoStepVerification(store: store, box: try SecretBox(dataDirectory: configuration.dataDirectory), environment: environment)
        TwoStepController(accounts: accounts, hub: hub, twoStep: twoStep, signIn: signIn, sms: sms).addRoutes(to: api)
        SessionsController(hub: hub).addRoutes(to: api)
        ColleaguesController(hub: hub).addRoutes(to: api)
        MonitoringController(hub: hub).addRoutes(to: api)
        TechnicianScreenController(hub: hub).addRoutes(to: api)
        RecordingsController(hub: hub, vault: try RecordingVault(dataDirectory: configuration.dataDirectory)).addRoutes(to: api)
        let fileVault = try FileVault(dataDirectory: configuration.dataDirectory)
        FilesController(hub: hub, vault: fileVault, stallLimit: environment.transferStallLimit).addRoutes(to: api)
        SystemReportController(hub: hub, vault: fileVault).addRoutes(to: api)
        FileManagerController(hub: hub, stallLimit: environment.transferStallLimit).addRoutes(to: api)
        RepliesController(store: store, environment: environment).addRoutes(to: api)
        ScriptsController(store: store, environment: environment).addRoutes(to: api)
        InvitationsController(hub: hub, mailer: mailer(), from: configuration.smtp?.from, sms: sms).addRoutes(to: api)
        CollaboratorsController(hub: hub, mailer: mailer(), from: configuration.smtp?.from, publicURL: configuration.publicURL)
            .addRoutes(to: api)
        let customer = CustomerController(hub: hub, applet: AppletDownload(path: configuration.appletBinaryPath),
                                          publicURL: configuration.publicURL)
        customer.addRoutes(to: api)
        AdminController(accounts: accounts, hub: hub, environment: environment).addRoutes(to: api)
        ChannelsController(store: store, hub: hub, publicURL: configuration.publicURL, environment: environment).addRoutes(to: api)
        ChannelRequestsController(hub: hub, publicURL: configuration.publicURL).addRoutes(to: api)
        SetupController(bootstrap: bootstrap).addRoutes(to: api)
        SurveysController(store: store, hub: hub, environment: environment).addRoutes(to: api)
        AuditController(store: store, environment: environment).addRoutes(to: api)
        ReportsController(store: store, hub: hub, environment: environment).addRoutes(to: api)
        ComputersController(hub: hub).addRoutes(to: api)
        let callingCards = CallingCardsController(store: store, hub: hub, publicURL: configuration.publicURL, environment: environment)
        callingCards.addRoutes(to: api)
        router.get("download/calling-card/{id}/install.sh", use: callingCards.installScript)
        router.get("download/lifeline-applet", use: customer.download)
        router.get("download/lifeline-support.desktop", use: customer.launcher)
    }

    /// Pages whose address carries a token or stands for a page of the web root.
    func addPages(to router: Router<GatewayRequestContext>) {
        let root = configuration.webRoot
        // The link a customer opens: the page reads the token from its own address.
        router.get("c/{token}") { _, _ in try await StaticPage.serve("customer/link.html", root: root) }
        // Instant Chat (G2): the customer's chat in the browser; the session is in the tab's storage.
        router.get("chat") { _, _ in try await StaticPage.serve("customer/chat.html", root: root) }
        // The customer survey (D5), reached by the one-time link sent at the end of a session.
        router.get("survey/{token}") { _, _ in try await StaticPage.serve("customer/survey.html", root: root) }
        // An external technician's invitation (I2): by link, or by PIN on the collaborator PIN page.
        router.get("collaborate") { _, _ in try await StaticPage.serve("collaborator/index.html", root: root) }
        router.get("collaborate/{token}") { _, _ in try await StaticPage.serve("collaborator/index.html", root: root) }
        // A channel's public page (F2): the customer's request form.
        router.get("ch/{token}") { _, _ in try await StaticPage.serve("customer/channel.html", root: root) }
    }

    /// The WebSockets: the console and its workers' screens (authenticated at their upgrade), collaborators, agents and applets.
    func addSockets(to router: Router<GatewayRequestContext>, node: ClusterNode) {
        let console = ConsoleSocket(hub: hub, accounts: accounts)
        // Another gateway node's link (issue 20): signed by a node of this cluster, or refused.
        let link = NodeLinkSocket(hub: hub, accounts: accounts, console: console)
        router.ws("cluster/v1/link", shouldUpgrade: { request, _ in
            guard node.forwarding.vouchedNode(in: request) != nil else {
                throw GatewayError(.unauthenticated, "Only a gateway node of this cluster may open this link.")
            }
            return try WebSocketUpgrade.required(request)
        }, onUpgrade: { inbound, _, context in
            await link.run(inbound: inbound, from: context.request.headers[NodeForwarding.node] ?? "", logger: context.logger)
        })
        router.ws("ws/console", shouldUpgrade: { request, context in
            // A cookie's Origin was checked by AuthenticationMiddleware (a page from another site must
            // not ride it); bearer tokens cannot be sent by such a page.
            _ = try context.requireActor()
            return try WebSocketUpgrade.required(request)
        }, onUpgrade: { inbound, outbound, context in
            await console.run(inbound: inbound, outbound: outbound, context: context)
        })
        // A console page's worker drawing one session's screen (issue 23), signed in as the console.
        let screens = ScreensSocket(hub: hub, console: console)
        router.ws("ws/screens", shouldUpgrade: { request, context in
            let actor = try context.requireActor()
            try screens.check(try ScreensSocket.pairing(of: request), of: actor)
            return try WebSocketUpgrade.required(request)
        }, onUpgrade: { inbound, outbound, context in
            await screens.run(inbound: inbound, outbound: outbound, context: context)
        })
        let collaborator = CollaboratorSocket(hub: hub, helloDeadline: environment.helloDeadline)
        router.ws("ws/collaborator", shouldUpgrade: { request, _ in try WebSocketUpgrade.required(request) }) { inbound, outbound, context in
            await collaborator.run(inbound: inbound, outbound: outbound, context: context)
        }
        let agent = AgentSocket(hub: hub, helloDeadline: environment.helloDeadline)
        router.ws("ws/agent", shouldUpgrade: { request, _ in try WebSocketUpgrade.required(request) }) { inbound, outbound, context in
            await agent.run(inbound: inbound, outbound: outbound, context: context)
        }
        let applet = AppletSocket(hub: hub, helloDeadline: environment.helloDeadline)
        router.ws("ws/applet", shouldUpgrade: { request, _ in try WebSocketUpgrade.required(request) }) { inbound, outbound, context in
            await applet.run(inbound: inbound, outbound: outbound, context: context)
        }
    }

    /// HTTP/1 with WebSocket upgrades, every connection guarded, under TLS when given a certificate.
    func server(for router: Router<GatewayRequestContext>, logger: Logger) throws -> HTTPServerBuilder {
        let limits = environment.connectionLimits
        logger.info("Connection limits", metadata: ["connections.total": "\(limits.total)", "connections.perAddress": "\(limits.perAddress)"])
        let server: HTTPServerBuilder = .guardedHTTP1WebSocketUpgrade(
            webSocketRouter: router,
            // Binary screen updates may be large; text frames keep their 64 KiB limit in the sockets.
            configuration: .init(http1: .init(idleTimeout: limits.idleTimeout),
                                 ws: .init(maxFrameSize: ScreenUpdate.maximumFrameBytes, autoPing: .enabled(timePeriod: .seconds(20)))),
            ledger: connections, refusals: upgradeRefusals, limits: limits, logger: logger)
        guard let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath else {
            if !configuration.isLoopback {
                logger.warning("Serving plain HTTP on a non-loopback address: passwords and sessions travel unencrypted. Pass --tls-cert and --tls-key.")
            }
            return server
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try .tls(server, tlsConfiguration: tls)
    }
}

/// Tells the hub the gateway is stopping before the server closes its sockets. Run it after the
/// application in one ServiceGroup: services stop in reverse order, so it hears the signal first.
public struct ShutdownNotice: Service {
    let hub: SessionHub
    /// How long the gateway drains before it closes (not ready, no new sessions), so a load
    /// balancer sends newcomers to another gateway first.
    let drain: Duration

    public init(hub: SessionHub, drain: Duration = .zero) {
        self.hub = hub
        self.drain = drain
    }

    public func run() async throws {
        do { try await gracefulShutdown() } catch {
            // Cancelled rather than shut down: nothing to prepare.
            return hub.beginStopping()
        }
        hub.beginDraining()
        if drain > .zero {
            hub.logger.notice("Draining before stopping", metadata: ["drain.seconds": "\(drain.components.seconds)"])
            do { try await Task.sleep(for: drain) } catch { /* cancelled: stop now */ }
        }
        hub.beginStopping()
    }
}

/// Closes the store's connections once everything else has stopped.
struct StoreService: Service {
    let store: SQLStore

    func run() async throws {
        do { try await gracefulShutdown() } catch {
            // Cancelled rather than shut down: the connections end with the process either way.
        }
        await store.close()
    }
}

/// Moves sessions whose timers ran out, once a second, until shutdown.
struct TimerService: Service {
    let hub: SessionHub
    let interval: Double

    func run() async throws {
        // Graceful shutdown cancels the sleep, so stopping never waits for the next tick.
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(Int(interval * 1_000)))
                    await hub.runTimers()
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
