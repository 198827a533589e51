import Foundation
@testable import LifelineGateway
import LifelineProtocol
import Testing

/// `lifeline-server`'s settings through swift-configuration: one precedence (flag, environment,
/// file, default), every mistake refused with its name, secrets from files.
@Suite("The gateway's settings: flags, LIFELINE_* variables and a configuration file")
struct GatewaySettingsTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lifeline-settings-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ arguments: [String] = [], environment: [String: String] = [:], configFile: String? = nil) async throws(SettingsError) -> GatewaySettings {
        try await GatewaySettings.read(arguments: arguments, environment: environment, configFile: configFile, appletBesideServer: "/opt/lifeline/lifeline-applet")
    }

    func refusal(_ arguments: [String] = [], environment: [String: String] = [:], configFile: String? = nil) async -> String {
        do {
            _ = try await read(arguments, environment: environment, configFile: configFile)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test("the same setting from a flag, the environment and the file: the flag wins, then the environment, then the file, then the default")
    func precedence() async throws {
        let config = try file("lifeline.json", #"{"port": 7003, "smtp": {"host": "file.example.com"}, "logLevel": "error"}"#)
        let environment = ["LIFELINE_PORT": "7002", "LIFELINE_SMTP_HOST": "env.example.com"]
        let all = try await read(["--port", "7001"], environment: environment, configFile: config)
        #expect(all.configuration.port == 7001)
        #expect(all.configuration.smtp?.host == "env.example.com")
        #expect(all.logLevel == .error)
        let noFlag = try await read(environment: environment, configFile: config)
        #expect(noFlag.configuration.port == 7002)
        let fileOnly = try await read(configFile: config)
        #expect(fileOnly.configuration.port == 7003)
        #expect(fileOnly.configuration.smtp?.host == "file.example.com")
        #expect(fileOnly.configuration.smtp?.port == 587, "the default port of starttls")
        let defaults = try await read()
        #expect(defaults.configuration.port == 8080 && defaults.configuration.host == "127.0.0.1")
        #expect(defaults.configuration.smtp == nil && defaults.configuration.sms == nil)
        #expect(defaults.configuration.appletBinaryPath == "/opt/lifeline/lifeline-applet")
        #expect(defaults.logLevel == .info && defaults.maxConnectionsPerAddress == 256)
        #expect(defaults.configuration.browserScreenWebRTC == WebRTCSetup(iceServers: []))
    }

    @Test("deploy/lifeline.json, the example docs/operations.md installs, is read as it says: TLS on 443, JSON logs, a 10 s drain")
    func deployedExample() async throws {
        let deployed = try await read(environment: ["LIFELINE_METRICS_TOKEN": "from the env file"],
                                      configFile: DocumentationTests.root + "/deploy/lifeline.json")
        #expect(deployed.configuration.port == 443 && deployed.configuration.host == "0.0.0.0")
        #expect(deployed.configuration.publicURL == "https://support.example.com" && deployed.configuration.usesTLS)
        #expect(deployed.configuration.dataDirectory == "/var/lib/lifeline")
        #expect(deployed.jsonLogs && deployed.drain == .seconds(10))
        #expect(deployed.configuration.metricsToken == "from the env file")
    }

    @Test("the file may name the configuration file through LIFELINE_CONFIG; --config wins over it")
    func configFileFromTheEnvironment() async throws {
        let first = try file("a.json", #"{"port": 7101}"#), second = try file("b.json", #"{"port": 7102}"#)
        #expect(try await read(environment: ["LIFELINE_CONFIG": first]).configuration.port == 7101)
        #expect(try await read(environment: ["LIFELINE_CONFIG": first], configFile: second).configuration.port == 7102)
    }

    @Test("a typo in the file is refused with its name and the setting it probably meant")
    func typoInTheFile() async throws {
        let config = try file("typo.json", #"{"port": 7003, "smtp": {"hots": "mail.example.com"}, "logLevle": "debug"}"#)
        let message = await refusal(configFile: config)
        #expect(message.contains("\"smtp.hots\" (did you mean \"smtp.host\"?)"), "\(message)")
        #expect(message.contains("\"logLevle\" (did you mean \"logLevel\"?)"), "\(message)")
        #expect(await refusal(configFile: try file("bad.json", "{port: 1}")).contains("is not JSON"))
        #expect(await refusal(configFile: folder + "/missing.json").contains("No such file or directory"))
        #expect(await refusal(configFile: try file("list.json", "[1]")).contains("one JSON object"))
        #expect(await refusal(configFile: try file("fraction.json", #"{"port": 80.5}"#)).contains("port (--port, LIFELINE_PORT)"))
        let flat = try file("flat.json", #"{"smtp.host": "flat.example.com"}"#)
        #expect(try await read(configFile: flat).configuration.smtp?.host == "flat.example.com", "a group's key written flat")
    }

    @Test("an unknown or repeated flag, or one without its value, is refused with its name")
    func badFlags() async {
        #expect(await refusal(["--prot", "9000"]).contains("Unknown option --prot (did you mean --port?)"))
        #expect(await refusal(["--port", "1", "--port", "2"]).contains("--port is given twice"))
        #expect(await refusal(["--host"]).contains("--host needs a value"))
        #expect(await refusal(["--port", "eighty"]).contains("--port takes a whole number, not eighty"))
        #expect(await refusal(["serve"]).contains("Unexpected argument serve"))
    }

    @Test("bad values from every source are all named at once, with the flag and variable that set them")
    func badValues() async throws {
        let config = try file("values.json", #"{"maxConnectionsPerAddress": "many"}"#)
        let message = await refusal(["--smtp-security", "tsl", "--ice-server", "turn-without-scheme"],
                                    environment: ["LIFELINE_PORT": "x", "LIFELINE_LOG_LEVEL": "loud", "LIFELINE_TLS_CERT": "/etc/cert.pem",
                                                  "LIFELINE_SMS_WEBHOOK_URL": "ftp://sms.example.com", "LIFELINE_DATABASE_URL": "mysql://db"],
                                    configFile: config)
        for expected in ["port (--port, LIFELINE_PORT)", "logLevel (--log-level, LIFELINE_LOG_LEVEL): loud is not one of",
                         "smtp.security (--smtp-security, LIFELINE_SMTP_SECURITY): tsl is not one of starttls, tls, none",
                         "maxConnectionsPerAddress (--max-connections-per-address, LIFELINE_MAX_CONNECTIONS_PER_ADDRESS)",
                         "(in the configuration file)", "(in the environment)", "tlsCert and tlsKey go together",
                         "iceServers (--ice-server, LIFELINE_ICE_SERVERS): turn-without-scheme is not an ICE server",
                         "sms.webhookURL (--sms-webhook-url, LIFELINE_SMS_WEBHOOK_URL): ftp://sms.example.com is not an http(s) address",
                         "databaseURL (--database, LIFELINE_DATABASE_URL)"] {
            #expect(message.contains(expected), "\(expected) in \(message)")
        }
        #expect(await refusal(["--port", "70000"]).contains("70000 is outside 1–65535"))
        #expect(await refusal(["--max-connections-per-address", "0"]).contains("0 is outside"))
    }

    @Test("secrets come from files named by --…-file, LIFELINE_…_FILE or the key with File; never both ways at once")
    func secretsFromFiles() async throws {
        let password = try file("smtp-password", "s3cret, with a comma\n")
        let token = try file("sms-token", "Bearer abc")
        let config = try file("secrets.json", #"{"sms": {"webhookURL": "https://sms.example.com/send", "webhookAuthorizationFile": "\#(token)"}}"#)
        let settings = try await read(["--smtp-host", "mail.example.com"],
                                      environment: ["LIFELINE_SMTP_PASSWORD_FILE": password, "LIFELINE_ADMIN_PASSWORD": "from the environment"],
                                      configFile: config)
        #expect(settings.configuration.smtp?.password == "s3cret, with a comma", "the file's last newline dropped")
        #expect(settings.configuration.initialAdminPassword == "from the environment")
        guard case .webhook(_, _, _, _, let authorization) = settings.configuration.sms else {
            Issue.record("no SMS webhook")
            return
        }
        #expect(authorization == "Bearer abc")
        let database = try file("database-url", "sqlite:\(folder)/elsewhere.sqlite\n")
        #expect(try await read(["--database-file", database]).configuration.databaseLocation == .sqlite(path: "\(folder)/elsewhere.sqlite"))
        #expect(await refusal(["--smtp-password", "x"], environment: ["LIFELINE_SMTP_PASSWORD_FILE": password])
            .contains("smtp.password and smtp.passwordFile are both set"))
        #expect(await refusal(["--smtp-password-file", folder + "/none"]).contains("smtp.passwordFile: cannot read \(folder)/none: No such file or directory"))
        #expect(await refusal(["--admin-password-file", try file("empty", "\n")]).contains("is empty"))
    }

    @Test("lists: the flag repeated, spaces in the environment, an array in the file; text with commas stays whole")
    func listsAndCommas() async throws {
        let fromFlags = try await read(["--ice-server", "stun:a.example.com:3478", "--ice-server=stun:b.example.com:3478",
                                        "--sms-webhook-url", "https://sms.example.com", "--sms-webhook-body", #"{"to":"{to}","msg":"{text}"}"#])
        #expect(fromFlags.configuration.browserScreenWebRTC?.iceServers.count == 2)
        guard case .webhook(_, _, let body, _, _) = fromFlags.configuration.sms else {
            Issue.record("no SMS webhook")
            return
        }
        #expect(body == #"{"to":"{to}","msg":"{text}"}"#)
        let fromEnvironment = try await read(environment: ["LIFELINE_ICE_SERVERS": "stun:a.example.com:3478 stun:b.example.com:3478 stun:c.example.com:3478"])
        #expect(fromEnvironment.configuration.browserScreenWebRTC?.iceServers.count == 3)
        let config = try file("ice.json", #"{"iceServers": ["stun:a.example.com:3478"], "webrtc": "on"}"#)
        #expect(try await read(configFile: config).configuration.browserScreenWebRTC?.iceServers.count == 1)
        #expect(try await read(["--webrtc", "off"]).configuration.browserScreenWebRTC == nil)
        #expect(try await read(environment: ["LIFELINE_WEBRTC": "off"]).configuration.browserScreenWebRTC == nil)
        #expect(try await read(["--demo"]).configuration.demo)
        #expect(try await read(environment: ["LIFELINE_DEMO": "yes"]).configuration.demo)
        #expect(try await read(["--demo=false"]).configuration.demo == false)
    }

    @Test("a TURN server with per-session credentials: its addresses and secret together; relay needs a TURN server")
    func turnServer() async throws {
        let secret = try file("turn-secret", "shared with coturn\n")
        let settings = try await read(["--turn-url", "turn:turn.example.com:3478", "--turn-secret-file", secret, "--webrtc", "relay"])
        #expect(settings.configuration.turn?.urls == ["turn:turn.example.com:3478"])
        #expect(settings.configuration.turn?.secret == Array("shared with coturn".utf8))
        #expect(settings.configuration.turn?.lifetime == 43_200)
        #expect(settings.configuration.browserScreenWebRTC?.iceTransportPolicy == "relay")
        #expect(try await read(environment: ["LIFELINE_TURN_URLS": "turns:a.example.com:5349", "LIFELINE_TURN_SECRET": "s",
                                             "LIFELINE_TURN_LIFETIME_SECONDS": "600"]).configuration.turn?.lifetime == 600)
        #expect(try await read().configuration.turn == nil)
        #expect(await refusal(["--turn-url", "turn:a.example.com:3478"]).contains("turn.urls (--turn-url, LIFELINE_TURN_URLS) needs turn.secret"))
        #expect(await refusal(["--turn-secret", "s"]).contains("is set without turn.urls"))
        #expect(await refusal(["--turn-url", "stun:a.example.com:3478", "--turn-secret", "s"]).contains("stun:a.example.com:3478 is not a TURN address"))
        #expect(await refusal(["--webrtc", "relay"]).contains("relay needs a TURN server"))
        #expect(await refusal(["--turn-lifetime-seconds", "5"]).contains("5 is outside"))
    }

    @Test("names: each key's flag and variable as the operator types them")
    func names() {
        #expect(GatewaySetting.smtpCAFile.flag == "--smtp-ca-file" && GatewaySetting.smtpCAFile.environmentName == "LIFELINE_SMTP_CA_FILE")
        #expect(GatewaySetting.smsWebhookURL.environmentName == "LIFELINE_SMS_WEBHOOK_URL")
        #expect(GatewaySetting.environmentName(forKey: GatewaySetting.databaseURL.fileKey!) == "LIFELINE_DATABASE_URL_FILE")
        #expect(GatewaySetting.maxConnectionsPerAddress.flag == "--max-connections-per-address")
        #expect(Set(GatewaySetting.all.map(\.key)).count == GatewaySetting.all.count)
        #expect(Set(GatewaySetting.all.map(\.flag)).count == GatewaySetting.all.count)
        #expect(SettingsSources.unknownVariables(in: ["LIFELINE_SMTP_HOTS": "x", "LIFELINE_PORT": "1", "PATH": "/bin"]) == ["LIFELINE_SMTP_HOTS"])
    }

    @Test("--help and docs/configuration.md list every setting once, with its flag, variable and default")
    func documented() throws {
        let help = GatewaySetting.helpListing
        for setting in GatewaySetting.all {
            #expect(help.components(separatedBy: "\n  \(setting.flag)").count == 2, "\(setting.flag) once in --help")
            #expect(help.contains(setting.environmentName))
            if let fallback = setting.defaultText { #expect(help.contains(fallback.split(separator: " ").last!), "\(setting.key)'s default") }
        }
        let docs = try String(contentsOfFile: DocumentationTests.root + "/docs/configuration.md", encoding: .utf8)
        #expect(docs.contains(GatewaySetting.markdownTable), "docs/configuration.md's table should read:\n\(GatewaySetting.markdownTable)")
    }
}
