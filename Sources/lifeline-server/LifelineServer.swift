import ArgumentParser
import Foundation
import Hummingbird
import LifelineCore
import LifelineGateway
import LifelineProtocol
import LifelineStore
import Logging
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

        @Option(name: .customLong("data-dir"), help: "Folder of the SQLite database (env LIFELINE_DATA_DIR).")
        var dataDirectory: String = ProcessInfo.processInfo.environment["LIFELINE_DATA_DIR"] ?? "./data"

        @Option(help: "The database instead of the data folder's SQLite file: postgres://user@host/database or sqlite:PATH (env LIFELINE_DATABASE_URL).")
        var database: String? = ProcessInfo.processInfo.environment["LIFELINE_DATABASE_URL"]

        func run() async throws {
            var logger = Logger(label: "lifeline-audit")
            logger.logLevel = .warning
            let verdict: AuditChain.Verdict
            do {
                let location = try database.map { try DatabaseLocation($0) } ?? .sqlite(path: "\(dataDirectory)/lifeline.sqlite")
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

/// Starts the Lifeline gateway. Every flag can also come from the environment (LIFELINE_…).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway (the default).")

    @Option(help: "Address to listen on (env LIFELINE_HOST).")
    var host: String = ProcessInfo.processInfo.environment["LIFELINE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env LIFELINE_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["LIFELINE_PORT"] ?? "") ?? 8080

    @Option(name: .customLong("data-dir"), help: "Folder for the SQLite database, recordings, files and keys (env LIFELINE_DATA_DIR).")
    var dataDirectory: String = ProcessInfo.processInfo.environment["LIFELINE_DATA_DIR"] ?? "./data"

    @Option(help: "The database: postgres://user:password@host:port/database (?host=/socket/dir for a Unix socket) or sqlite:PATH; default the data folder's SQLite file (env LIFELINE_DATABASE_URL).")
    var database: String?

    @Option(name: .customLong("public-url"), help: "Address customers and technicians use (env LIFELINE_PUBLIC_URL).")
    var publicURL: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; with --tls-key, serves HTTPS (env LIFELINE_TLS_CERT).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key (env LIFELINE_TLS_KEY).")
    var tlsKey: String?

    @Option(name: .customLong("web-root"), help: "Folder with the web pages (env LIFELINE_WEB_ROOT).")
    var webRoot: String = ProcessInfo.processInfo.environment["LIFELINE_WEB_ROOT"] ?? "./Web"

    @Option(name: .customLong("applet-binary"), help: "Applet binary offered to customers; defaults to lifeline-applet beside this program.")
    var appletBinary: String?

    @Flag(help: "On an empty database, create a demo organisation with an administrator and a technician and print their passwords.")
    var demo = false

    @Option(name: .customLong("max-connections-per-address"),
            help: "Connections one source address may hold at once (env LIFELINE_MAX_CONNECTIONS_PER_ADDRESS; default 256).")
    var maxConnectionsPerAddress: Int = Int(ProcessInfo.processInfo.environment["LIFELINE_MAX_CONNECTIONS_PER_ADDRESS"] ?? "") ?? 256

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env LIFELINE_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["LIFELINE_LOG_LEVEL"] ?? "info"

    @Option(name: .customLong("ice-server"),
            help: "A STUN or TURN server for screens shared from customers' browsers: stun:HOST:PORT or USER:PASSWORD@turn:HOST:PORT; repeat for more (env LIFELINE_ICE_SERVERS, separated by spaces).")
    var iceServers: [String] = []

    @Flag(name: .customLong("no-webrtc"),
          help: "Screens shared from customers' browsers always come through the gateway, never straight between the browsers (env LIFELINE_WEBRTC=off).")
    var noWebRTC = false

    /// Optional settings: the flag, else the environment variable.
    private var environment: [String: String] { ProcessInfo.processInfo.environment }
    private var resolvedPublicURL: String? { publicURL ?? environment["LIFELINE_PUBLIC_URL"] }
    private var resolvedCertificate: String? { tlsCertificate ?? environment["LIFELINE_TLS_CERT"] }
    private var resolvedKey: String? { tlsKey ?? environment["LIFELINE_TLS_KEY"] }

    /// Email invitations go through this mail server when LIFELINE_SMTP_HOST is set.
    private func smtpConfiguration() throws -> SMTPConfiguration? {
        guard let host = environment["LIFELINE_SMTP_HOST"] else { return nil }
        let securityName = environment["LIFELINE_SMTP_SECURITY"] ?? "starttls"
        guard let security = SMTPConfiguration.Security(rawValue: securityName) else {
            throw ValidationError("LIFELINE_SMTP_SECURITY must be none, starttls or tls.")
        }
        let defaultPort = security == .tls ? 465 : security == .startTLS ? 587 : 25
        return SMTPConfiguration(
            host: host, port: Int(environment["LIFELINE_SMTP_PORT"] ?? "") ?? defaultPort, security: security,
            username: environment["LIFELINE_SMTP_USERNAME"], password: environment["LIFELINE_SMTP_PASSWORD"],
            from: environment["LIFELINE_SMTP_FROM"] ?? "lifeline@\(host)", caFile: environment["LIFELINE_SMTP_CA_FILE"])
    }

    /// SMS invitations go to an HTTP webhook (LIFELINE_SMS_WEBHOOK_URL) or, for development, to
    /// files in a folder (LIFELINE_SMS_OUTBOX).
    private func smsConfiguration() throws -> SMSConfiguration? {
        if let address = environment["LIFELINE_SMS_WEBHOOK_URL"] {
            guard let url = URL(string: address), url.scheme == "https" || url.scheme == "http" else {
                throw ValidationError("LIFELINE_SMS_WEBHOOK_URL must be an http(s) address.")
            }
            return .webhook(url: url, method: environment["LIFELINE_SMS_WEBHOOK_METHOD"] ?? "POST",
                            body: environment["LIFELINE_SMS_WEBHOOK_BODY"] ?? SMSConfiguration.defaultWebhookBody,
                            contentType: environment["LIFELINE_SMS_WEBHOOK_CONTENT_TYPE"] ?? "application/json",
                            authorization: environment["LIFELINE_SMS_WEBHOOK_AUTHORIZATION"])
        }
        return environment["LIFELINE_SMS_OUTBOX"].map { .outbox(directory: $0) }
    }

    private var resolvedDatabase: DatabaseLocation? {
        get throws {
            guard let text = database ?? environment["LIFELINE_DATABASE_URL"] else { return nil }
            do { return try DatabaseLocation(text) } catch { throw ValidationError(error.message) }
        }
    }

    /// nil when the operator turned the direct path off.
    private var webRTC: WebRTCSetup? {
        get throws {
            if noWebRTC || environment["LIFELINE_WEBRTC"] == "off" { return nil }
            let options = iceServers.isEmpty ? (environment["LIFELINE_ICE_SERVERS"] ?? "").split(separator: " ").map(String.init) : iceServers
            return WebRTCSetup(iceServers: try options.map { option in
                guard let server = IceServer(option: option) else {
                    throw ValidationError("\(option) is not an ICE server: stun:HOST:PORT or USER:PASSWORD@turn:HOST:PORT.")
                }
                return server
            })
        }
    }

    func validate() throws {
        _ = try resolvedDatabase
        _ = try webRTC
        if (resolvedCertificate == nil) != (resolvedKey == nil) { throw ValidationError("--tls-cert and --tls-key go together.") }
        guard maxConnectionsPerAddress > 0 else { throw ValidationError("--max-connections-per-address must be at least 1.") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown log level \(logLevel).") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "lifeline")
        let besideMe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("lifeline-applet").path
        var configuration = GatewayConfiguration(
            host: host, port: port, dataDirectory: dataDirectory, publicURL: resolvedPublicURL,
            tlsCertificatePath: resolvedCertificate, tlsKeyPath: resolvedKey, webRoot: webRoot,
            appletBinaryPath: appletBinary ?? environment["LIFELINE_APPLET_BINARY"] ?? besideMe,
            initialAdminEmail: environment["LIFELINE_ADMIN_EMAIL"], initialAdminPassword: environment["LIFELINE_ADMIN_PASSWORD"],
            demo: demo, smtp: try smtpConfiguration(), sms: try smsConfiguration(), database: try resolvedDatabase)
        configuration.browserScreenWebRTC = try webRTC
        var environment = GatewayEnvironment.production
        environment.connectionLimits.perAddress = maxConnectionsPerAddress
        if environment.connectionLimits.total < 4_096 {
            logger.warning("Few file descriptors: raise the open-file limit (LimitNOFILE) for more connections",
                           metadata: ["connections.total": "\(environment.connectionLimits.total)"])
        }
        let (app, parts) = try await buildApplication(configuration: configuration, environment: environment, logger: logger)
        logger.notice("Lifeline is starting", metadata: ["console.url": "\(configuration.publicURL)/console/",
                                                         "customer.url": "\(configuration.publicURL)/"])
        // SIGTERM or SIGINT stops gracefully; the notice, last here, is told first (see ShutdownNotice).
        let services = ServiceGroup(configuration: .init(
            services: [app, ShutdownNotice(hub: parts.hub)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
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
