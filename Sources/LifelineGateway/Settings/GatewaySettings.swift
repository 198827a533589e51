import Configuration
import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore
import Logging

/// What `lifeline-server` runs with, read once at start-up from the command line, the
/// environment and the configuration file (see `SettingsSources` for the order).
public struct GatewaySettings: Sendable {
    public var configuration: GatewayConfiguration
    public var logLevel: Logger.Level
    /// One JSON object a line instead of text.
    public var jsonLogs: Bool
    /// On SIGTERM, how long to drain before closing.
    public var drain: Duration
    public var maxConnectionsPerAddress: Int
    /// Said once logging is set up (a `LIFELINE_*` variable no setting has).
    public var warnings: [String]

    /// Every problem at once, each naming its setting, so one start-up attempt shows them all.
    public static func read(arguments: [String], environment: [String: String], configFile: String?,
                            appletBesideServer: String) async throws(SettingsError) -> GatewaySettings {
        let problems = SettingProblems()
        let values = SettingValues(
            reader: try SettingsSources.reader(arguments: arguments, environment: environment,
                                                     configFile: configFile ?? environment["LIFELINE_CONFIG"], problems: problems),
            problems: problems)
        let host = values.text(.host) ?? "127.0.0.1"
        let port = values.number(.port) ?? 8080
        let certificate = values.text(.tlsCert), key = values.text(.tlsKey)
        if (certificate == nil) != (key == nil) { problems.add("tlsCert and tlsKey go together: give both, or neither.") }
        var configuration = GatewayConfiguration(
            host: host, port: port, dataDirectory: values.text(.dataDir) ?? "./data", publicURL: values.text(.publicURL),
            tlsCertificatePath: certificate, tlsKeyPath: key, webRoot: values.text(.webRoot) ?? "./Web",
            appletBinaryPath: values.text(.appletBinary) ?? appletBesideServer,
            initialAdminEmail: values.text(.adminEmail), initialAdminPassword: values.text(.adminPassword),
            demo: values.flag(.demo), smtp: smtp(values), sms: sms(values), database: database(values))
        configuration.turn = turn(values)
        configuration.browserScreenWebRTC = webRTC(values, turn: configuration.turn)
        configuration.metricsToken = values.text(.metricsToken)
        configuration.nodeAddressSetting = values.text(.nodeAddress)
        let settings = GatewaySettings(
            configuration: configuration, logLevel: values.choice(.logLevel).flatMap(Logger.Level.init(rawValue:)) ?? .info,
            jsonLogs: values.choice(.logFormat) == "json", drain: .seconds(values.number(.drainSeconds) ?? 0),
            maxConnectionsPerAddress: values.number(.maxConnectionsPerAddress) ?? 256,
            warnings: SettingsSources.unknownVariables(in: environment).map { "\($0) is set but names no setting of lifeline-server" })
        let found = problems.messages
        guard found.isEmpty else { throw SettingsError(found.joined(separator: "\n")) }
        return settings
    }

    private static func database(_ values: SettingValues) -> DatabaseLocation? {
        guard let text = values.text(.databaseURL) else { return nil }
        do {
            return try DatabaseLocation(text)
        } catch {
            values.problems.add("\(SettingProblems.places(.databaseURL)): \(error.message)")
            return nil
        }
    }

    /// Every SMTP value is read, so a mistake is reported even while no host is set.
    private static func smtp(_ values: SettingValues) -> SMTPConfiguration? {
        let host = values.text(.smtpHost)
        let security = values.choice(.smtpSecurity).flatMap(SMTPConfiguration.Security.init(rawValue:)) ?? .startTLS
        let defaultPort = switch security { case .tls: 465; case .startTLS: 587; case .none: 25 }
        let port = values.number(.smtpPort), username = values.text(.smtpUsername), password = values.text(.smtpPassword)
        let from = values.text(.smtpFrom), caFile = values.text(.smtpCAFile)
        guard let host else { return nil }
        return SMTPConfiguration(host: host, port: port ?? defaultPort, security: security, username: username,
                                 password: password, from: from ?? "lifeline@\(host)", caFile: caFile)
    }

    private static func sms(_ values: SettingValues) -> SMSConfiguration? {
        let outbox = values.text(.smsOutbox), method = values.text(.smsWebhookMethod), body = values.text(.smsWebhookBody)
        let contentType = values.text(.smsWebhookContentType), authorization = values.text(.smsWebhookAuthorization)
        guard let address = values.text(.smsWebhookURL) else { return outbox.map { .outbox(directory: $0) } }
        guard let url = URL(string: address), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            values.problems.add("\(SettingProblems.places(.smsWebhookURL)): \(address) is not an http(s) address.")
            return nil
        }
        return .webhook(url: url, method: method ?? "POST", body: body ?? SMSConfiguration.defaultWebhookBody,
                        contentType: contentType ?? "application/json", authorization: authorization)
    }

    /// nil when the operator turned the direct path off.
    private static func webRTC(_ values: SettingValues, turn: TurnServerSecret?) -> WebRTCSetup? {
        let choice = values.choice(.webrtc)
        if choice == "off" { return nil }
        let servers = values.list(.iceServers).compactMap { option -> IceServer? in
            guard let server = IceServer(option: option) else {
                values.problems.add("\(SettingProblems.places(.iceServers)): \(option) is not an ICE server: stun:HOST:PORT or USER:PASSWORD@turn:HOST:PORT.")
                return nil
            }
            return server
        }
        let relayOnly = choice == "relay"
        if relayOnly, turn == nil, !servers.contains(where: { $0.urls.contains { $0.hasPrefix("turn") } }) {
            values.problems.add("\(SettingProblems.places(.webrtc)): relay needs a TURN server (turn.urls with turn.secret, or a TURN server in iceServers).")
        }
        return WebRTCSetup(iceServers: servers, relayOnly: relayOnly)
    }

    /// The TURN server with per-session credentials: its addresses and secret go together.
    private static func turn(_ values: SettingValues) -> TurnServerSecret? {
        let urls = values.list(.turnURLs), secret = values.text(.turnSecret)
        let lifetime = values.number(.turnLifetimeSeconds) ?? Int(TurnCredentials.defaultLifetime)
        for url in urls where !(url.hasPrefix("turn:") || url.hasPrefix("turns:")) {
            values.problems.add("\(SettingProblems.places(.turnURLs)): \(url) is not a TURN address (turn:HOST:PORT or turns:HOST:PORT).")
        }
        switch (urls.isEmpty, secret) {
        case (true, nil): return nil
        case (false, let secret?) where !secret.isEmpty:
            return TurnServerSecret(urls: urls, secret: Array(secret.utf8), lifetime: TimeInterval(lifetime))
        case (true, _):
            values.problems.add("\(SettingProblems.places(.turnSecret)) is set without \(SettingProblems.places(.turnURLs)): name the TURN server.")
        case (false, _):
            values.problems.add("\(SettingProblems.places(.turnURLs)) needs \(SettingProblems.places(.turnSecret)), the secret the TURN server shares.")
        }
        return nil
    }
}
