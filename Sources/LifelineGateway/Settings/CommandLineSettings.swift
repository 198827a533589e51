import Configuration

/// The settings given as flags after `lifeline-server serve`, turned into typed values for the
/// first provider of the reader. Written here rather than with swift-configuration's own
/// command-line provider: that one splits every value at commas (an SMS body is JSON) and takes
/// any flag, where a misspelt one must stop start-up.
enum CommandLineSettings {
    static func values(from arguments: [String]) throws(SettingsError) -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        var lists: [String: [String]] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { throw SettingsError("Unexpected argument \(argument): settings are given as --name value.") }
            let name = String(argument.prefix { $0 != "=" })
            let inline = argument.firstIndex(of: "=").map { String(argument[argument.index(after: $0)...]) }
            guard let (setting, isFile) = setting(forFlag: name) else {
                throw SettingsError("Unknown option \(name)\(suggestion(for: name)). `lifeline-server serve --help` lists every setting.")
            }
            let key = AbsoluteConfigKey(ConfigKey(isFile ? setting.fileKey! : setting.key))
            if setting.kind == .flag, !isFile {
                let text = inline ?? "true"
                guard let on = SettingText.bool(text) else { throw SettingsError("\(name) takes true or false, not \(text).") }
                values[key] = ConfigValue(.bool(on), isSecret: false)
                continue
            }
            let value: String
            if let inline {
                value = inline
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                throw SettingsError("\(name) needs a value.")
            }
            if setting.kind == .list, !isFile {
                lists[setting.key, default: []].append(value)
                continue
            }
            guard values[key] == nil else { throw SettingsError("\(name) is given twice.") }
            switch setting.kind {
            case .number where !isFile:
                guard let number = Int(value) else { throw SettingsError("\(name) takes a whole number, not \(value).") }
                values[key] = ConfigValue(.int(number), isSecret: false)
            default:
                values[key] = ConfigValue(.string(value), isSecret: setting.isSecret)
            }
        }
        for (key, list) in lists { values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.stringArray(list), isSecret: false) }
        return values
    }

    private static func setting(forFlag flag: String) -> (GatewaySetting, isFile: Bool)? {
        for setting in GatewaySetting.all {
            if setting.flag == flag { return (setting, false) }
            if setting.fileFlag == flag { return (setting, true) }
        }
        return nil
    }

    private static func suggestion(for flag: String) -> String {
        let flags = GatewaySetting.all.flatMap { [$0.flag] + ($0.fileFlag.map { [$0] } ?? []) }
        return SettingText.closest(to: flag, among: flags).map { " (did you mean \($0)?)" } ?? ""
    }
}
