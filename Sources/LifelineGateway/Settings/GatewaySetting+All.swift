extension GatewaySetting {
    static let host = GatewaySetting("host", default: "127.0.0.1", help: "Address to listen on.")
    static let port = GatewaySetting("port", .number(1...65_535), default: "8080", help: "Port to listen on.")
    static let publicURL = GatewaySetting(
        "publicURL", default: "http(s)://HOST:PORT",
        help: "Address customers and technicians use, e.g. https://support.example.com (links, and the Origin browsers must send).")
    static let dataDir = GatewaySetting(
        "dataDir", default: "./data", help: "Folder for the SQLite database, recordings, files and the gateway's keys.")
    static let databaseURL = GatewaySetting(
        "databaseURL", default: "the data folder's lifeline.sqlite", secret: true, flag: "--database",
        help: "postgres://user:password@host:port/database (?host=/socket/dir for a Unix socket) or sqlite:PATH.")
    static let tlsCert = GatewaySetting("tlsCert", help: "PEM certificate chain; with tlsKey, the gateway serves HTTPS.")
    static let tlsKey = GatewaySetting(
        "tlsKey", help: "PEM private key file (the key is read from that file, never from the command line).")
    static let webRoot = GatewaySetting("webRoot", default: "./Web", help: "Folder with the console's and customers' web pages.")
    static let appletBinary = GatewaySetting(
        "appletBinary", default: "lifeline-applet beside lifeline-server", help: "The applet customers download.")
    static let demo = GatewaySetting(
        "demo", .flag, default: "false",
        help: "On an empty database, create a demo organisation with an administrator and a technician and print their passwords.")
    static let adminEmail = GatewaySetting(
        "admin.email", help: "On an empty database, the master administrator's email (else a one-time setup link is logged).")
    static let adminPassword = GatewaySetting("admin.password", secret: true, help: "That administrator's first password.")
    static let logLevel = GatewaySetting(
        "logLevel", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), default: "info",
        help: "The least important log line written.")
    static let logFormat = GatewaySetting(
        "logFormat", .choice(["text", "json"]), default: "text",
        help: "json: one JSON object a line (time, level, label, message and each value), for a log collector.")
    static let metricsToken = GatewaySetting(
        "metricsToken", secret: true,
        help: "Bearer token Prometheus sends to /metrics; unset: only this computer (loopback) may read them.")
    static let drainSeconds = GatewaySetting(
        "drainSeconds", .number(0...600), default: "0",
        help: "On SIGTERM, seconds the gateway reports not ready and starts no new session before it closes (behind a load balancer: e.g. 10).")
    static let nodeAddress = GatewaySetting(
        "nodeAddress", default: "http(s)://HOST:PORT (this machine's name when HOST is 0.0.0.0)",
        help: "Several gateways on one PostgreSQL: where the other nodes reach this one; it also names the node, so keep it across restarts.")
    static let maxConnectionsPerAddress = GatewaySetting(
        "maxConnectionsPerAddress", .number(1...1_000_000), default: "256",
        help: "Connections one source address may hold at once; raise it when many customers share one address.")
    static let iceServers = GatewaySetting(
        "iceServers", .list, default: "none", flag: "--ice-server",
        help: "STUN or TURN servers for screens shared from customers' browsers: stun:HOST:PORT or USER:PASSWORD@turn:HOST:PORT.")
    static let webrtc = GatewaySetting(
        "webrtc", .choice(["on", "off", "relay"]), default: "on",
        help: "off: screens and cameras shared from customers' browsers always come through the gateway, never straight between browsers; "
            + "relay: straight between browsers only through the TURN server (neither side learns the other's address).")
    static let turnURLs = GatewaySetting(
        "turn.urls", .list, default: "none", flag: "--turn-url",
        help: "A TURN server whose credentials the gateway makes per session (coturn's use-auth-secret): turn:HOST:3478, turns:HOST:5349 …")
    static let turnSecret = GatewaySetting(
        "turn.secret", secret: true, help: "The secret shared with that TURN server (coturn's static-auth-secret).")
    static let turnLifetimeSeconds = GatewaySetting(
        "turn.lifetimeSeconds", .number(60...604_800), default: "43200",
        help: "How long each session's TURN credentials stay valid (the relay refuses them after).")
    static let smtpHost = GatewaySetting("smtp.host", help: "Mail server for email invitations; unset: technicians use their own mail client.")
    static let smtpSecurity = GatewaySetting(
        "smtp.security", .choice(["starttls", "tls", "none"]), default: "starttls", help: "How the mail server is reached.")
    static let smtpPort = GatewaySetting(
        "smtp.port", .number(1...65_535), default: "587 (465 with tls, 25 with none)", help: "The mail server's port.")
    static let smtpUsername = GatewaySetting("smtp.username", help: "User name at the mail server.")
    static let smtpPassword = GatewaySetting("smtp.password", secret: true, help: "Password at the mail server.")
    static let smtpFrom = GatewaySetting("smtp.from", default: "lifeline@SMTP-HOST", help: "Sender of invitations.")
    static let smtpCAFile = GatewaySetting("smtp.caFile", help: "Extra certificate authorities (PEM) for a mail server with a private CA.")
    static let smsWebhookURL = GatewaySetting(
        "sms.webhookURL", help: "Your SMS provider's HTTP(S) API for SMS invitations; unset: no SMS.")
    static let smsWebhookMethod = GatewaySetting("sms.webhookMethod", default: "POST", help: "HTTP method of that call.")
    static let smsWebhookContentType = GatewaySetting(
        "sms.webhookContentType", default: "application/json", help: "Content type of its body.")
    static let smsWebhookBody = GatewaySetting(
        "sms.webhookBody", default: SMSConfiguration.defaultWebhookBody,
        help: "Its body; {to} and {text} are replaced, escaped for the content type.")
    static let smsWebhookAuthorization = GatewaySetting(
        "sms.webhookAuthorization", secret: true, help: "Its Authorization header, e.g. Bearer TOKEN.")
    static let smsOutbox = GatewaySetting(
        "sms.outbox", help: "For development: write each SMS to a file in this folder instead of calling a provider.")

    /// Every setting, in the order `--help` and docs/configuration.md list them.
    public static let all: [GatewaySetting] = [
        host, port, publicURL, dataDir, databaseURL, tlsCert, tlsKey, webRoot, appletBinary, demo,
        adminEmail, adminPassword, logLevel, logFormat, metricsToken, drainSeconds, nodeAddress, maxConnectionsPerAddress, iceServers, webrtc,
        turnURLs, turnSecret, turnLifetimeSeconds,
        smtpHost, smtpSecurity, smtpPort, smtpUsername, smtpPassword, smtpFrom, smtpCAFile,
        smsWebhookURL, smsWebhookMethod, smsWebhookContentType, smsWebhookBody, smsWebhookAuthorization, smsOutbox,
    ]
}
