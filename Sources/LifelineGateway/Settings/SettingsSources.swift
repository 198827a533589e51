import Configuration
import Foundation
import Logging
import Synchronization

/// Where settings come from, first match wins: the command line, then `LIFELINE_*` environment
/// variables, then the configuration file (`--config PATH` or `LIFELINE_CONFIG`), then defaults.
enum SettingsSources {
    static func reader(arguments: [String], environment: [String: String], configFile: String?,
                       problems: SettingProblems) throws(SettingsError) -> ConfigReader {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "the command line", values: try CommandLineSettings.values(from: arguments)),
            // The names are ours (LIFELINE_DATABASE_URL_FILE), not the library's default encoding.
            EnvironmentVariablesProvider(environmentVariables: environment, arraySeparator: " ")
                .mapKeys { key in AbsoluteConfigKey([GatewaySetting.environmentName(forKey: key.components.joined(separator: "."))]) },
        ]
        if let configFile {
            providers.append(InMemoryProvider(name: "the configuration file", values: try SettingsFile.values(atPath: configFile)))
        }
        return ConfigReader(providers: providers, accessReporter: problems)
    }

    /// `LIFELINE_*` variables that name no setting: probably a typo, said once the log is up.
    static func unknownVariables(in environment: [String: String]) -> [String] {
        let known = Set(GatewaySetting.all.flatMap { setting in
            [setting.environmentName] + (setting.fileKey.map { [GatewaySetting.environmentName(forKey: $0)] } ?? [])
        } + ["LIFELINE_CONFIG"])
        // Read by other programs of the project, not the gateway: the applet, the tests, the benchmarks.
        let others = ["LIFELINE_BIN_DIR", "LIFELINE_TEST_POSTGRES", "LIFELINE_APPLET_DEBUG"]
        return environment.keys.filter { $0.hasPrefix("LIFELINE_") && !known.contains($0) && !others.contains($0) }.sorted()
    }
}

/// Collects what a provider could not give (a malformed number, a list where text was wanted):
/// swift-configuration's getters fall back to the default and report it here instead of throwing.
final class SettingProblems: AccessReporter {
    private let found = Mutex<[String]>([])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var messages: [String] = []
        for provider in event.providerResults {
            if case .failure(let error) = provider.result { messages.append("\(error) (in \(Self.source(provider.providerName)))") }
        }
        if let error = event.conversionError { messages.append("\(error)") }
        guard !messages.isEmpty else { return }
        let where_ = GatewaySetting.all.first { $0.key == key || $0.fileKey == key }.map(Self.places) ?? key
        found.withLock { $0.append("\(where_): \(messages.joined(separator: "; "))") }
    }

    func add(_ message: String) {
        found.withLock { $0.append(message) }
    }

    var messages: [String] { found.withLock { $0 } }

    private static func source(_ providerName: String) -> String {
        if providerName.contains("Environment") { return "the environment" }
        // "InMemoryProvider[the configuration file]": the name given to it.
        if providerName.hasPrefix("InMemoryProvider["), providerName.hasSuffix("]") {
            return String(providerName.dropFirst("InMemoryProvider[".count).dropLast())
        }
        return providerName
    }

    /// `smtp.port (--smtp-port, LIFELINE_SMTP_PORT)`: every way the operator may have set it.
    static func places(_ setting: GatewaySetting) -> String {
        "\(setting.key) (\(setting.flag), \(setting.environmentName))"
    }
}
