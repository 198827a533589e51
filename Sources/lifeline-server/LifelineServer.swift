import ArgumentParser
import Foundation
import Hummingbird
import LifelineCore
import LifelineGateway
import LifelineProtocol
import LifelineStore
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `lifeline-server` serves (the default) or checks the audit log (`audit verify`).
@main
struct LifelineServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifeline-server", abstract: "The Lifeline remote-support gateway.",
        subcommands: [Serve.self, Audit.self, Migrate.self], defaultSubcommand: Serve.self)
}

/// `lifeline-server audit verify`: checks the audit log's hash chain; exit status 1 when it was tampered with.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit entry was changed, removed or inserted (exit status 1 if one was).")

        @Option(help: "The gateway's JSON configuration file (env LIFELINE_CONFIG), for its database settings.")
        var config: String?

        @Argument(parsing: .allUnrecognized, help: .init("The gateway's settings, as for serve: --data-dir, --database …", valueName: "settings"))
        var settings: [String] = []

        func run() async throws {
            var logger = Logger(label: "lifeline-audit")
            logger.logLevel = .warning
            let verdict: AuditChain.Verdict
            let location = try await GatewaySettings.readOrExit(arguments: settings, configFile: config).configuration.databaseLocation
            do {
                verdict = try await verifyAuditLog(in: location, logger: logger)
            } catch let error as GatewayError {
                FileHandle.standardError.write(Data("lifeline-server: \(error.message)\n".utf8))
                throw ExitCode(2)
            } catch let error as StoreError {
                FileHandle.standardError.write(Data("lifeline-server: \(error.message)\n".utf8))
                throw ExitCode(2)
            }
            switch verdict {
            case .intact(let entries, let lastHash):
                FileHandle.standardOutput.write(Data("Audit log intact: \(entries) entries, last hash \(lastHash).\n".utf8))
            case .broken(let sequence, let reason):
                FileHandle.standardError.write(Data("Audit log TAMPERED at entry \(sequence): \(reason).\n".utf8))
                throw ExitCode(1)
            case .incomplete(let entries, let lost):
                FileHandle.standardError.write(Data(
                    "Audit log INCOMPLETE: the \(entries) entries are intact, but \(lost) audited actions have no entry (the gateway could not write them; its log names each as critical).\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// Starts the Lifeline gateway. Its settings are listed once, in `GatewaySetting.all`; this
/// command passes them to swift-configuration with the environment and the file.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway (the default).", discussion: GatewaySetting.helpListing)

    @Option(help: "A JSON configuration file (env LIFELINE_CONFIG); flags and LIFELINE_* variables override it.")
    var config: String?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() async throws {
        let read = try await GatewaySettings.readOrExit(arguments: settings, configFile: config)
        LoggingSystem.bootstrap { label in
            if read.jsonLogs {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = read.logLevel
                return handler
            }
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = read.logLevel
            return handler
        }
        // swift-metrics' counters and timers (the store's, the relay's, Hummingbird's requests) land
        // in this registry, which /metrics shows with the gauges of what is live.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "lifeline")
        for warning in read.warnings { logger.warning("\(warning)") }
        let configuration = read.configuration
        var environment = GatewayEnvironment.production
        environment.connectionLimits.perAddress = read.maxConnectionsPerAddress
        environment.metricsRegistry = registry
        if environment.connectionLimits.total < 4_096 {
            logger.warning("Few file descriptors: raise the open-file limit (LimitNOFILE) for more connections",
                           metadata: ["connections.total": "\(environment.connectionLimits.total)"])
        }
        let (app, parts) = try await buildApplication(configuration: configuration, environment: environment, logger: logger)
        logger.notice("Lifeline is starting", metadata: ["console.url": "\(configuration.publicURL)/console/",
                                                         "customer.url": "\(configuration.publicURL)/"])
        // SIGTERM or SIGINT stops gracefully; the notice, last here, is told first (see ShutdownNotice).
        let services = ServiceGroup(configuration: .init(
            services: [app, ShutdownNotice(hub: parts.hub, drain: read.drain)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }
}

extension GatewaySettings {
    /// The settings, or every problem on standard error and exit status 2.
    static func readOrExit(arguments: [String], configFile: String?) async throws -> GatewaySettings {
        let besideMe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("lifeline-applet").path
        do {
            return try await read(arguments: arguments, environment: ProcessInfo.processInfo.environment, configFile: configFile,
                                  appletBesideServer: besideMe)
        } catch {
            FileHandle.standardError.write(Data("lifeline-server: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// `lifeline-server migrate --from sqlite:PATH --to postgres://…`: copies every organisation's data.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy all data (sessions, logs, the audit chain) from one database into an empty one, e.g. SQLite to PostgreSQL.")

    @Option(help: "The database to read: sqlite:PATH or postgres://user@host/database.")
    var from: String

    @Option(help: "The empty database to fill: postgres://user:password@host:port/database or sqlite:PATH.")
    var to: String

    func run() async throws {
        var logger = Logger(label: "lifeline-migrate")
        logger.logLevel = .warning
        do {
            let source = try DatabaseLocation(from)
            let destination = try DatabaseLocation(to)
            if case .sqlite(let path) = source, !FileManager.default.fileExists(atPath: path) {
                throw StoreError("There is no database at \(path).")
            }
            let report = try await DatabaseCopy.copy(from: source, to: destination, logger: logger)
            let tables = report.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            FileHandle.standardOutput.write(Data("Copied \(report.total) rows from \(source) to \(destination): \(tables).\n".utf8))
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("lifeline-server: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }
}
