import Configuration
import Foundation

/// Typed reads of the settings through swift-configuration, checked against each setting's kind;
/// what is wrong goes to `problems`, so start-up lists every mistake at once.
struct SettingValues {
    let reader: ConfigReader
    let problems: SettingProblems

    /// Text, or for a secret the first line of the file its `…File` setting names.
    func text(_ setting: GatewaySetting) -> String? {
        let direct = reader.string(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
        guard let fileKey = setting.fileKey, let path = reader.string(forKey: ConfigKey(fileKey)) else { return direct.flatMap(nonEmpty) }
        guard direct == nil else {
            problems.add("\(setting.key) and \(fileKey) are both set: give the value or the file that holds it, not both.")
            return nil
        }
        switch SettingText.contents(ofFile: path) {
        case .failure(let reason):
            problems.add("\(fileKey): cannot read \(path): \(reason).")
            return nil
        case .success(let data):
            var secret = String(decoding: data, as: UTF8.self)
            while secret.hasSuffix("\n") || secret.hasSuffix("\r") { secret.removeLast() }
            guard !secret.isEmpty else {
                problems.add("\(fileKey): \(path) is empty.")
                return nil
            }
            return secret
        }
    }

    func number(_ setting: GatewaySetting) -> Int? {
        guard let number = reader.int(forKey: ConfigKey(setting.key)) else { return nil }
        if case .number(let range) = setting.kind, !range.contains(number) {
            problems.add("\(SettingProblems.places(setting)): \(number) is outside \(range.lowerBound)–\(range.upperBound).")
            return nil
        }
        return number
    }

    func flag(_ setting: GatewaySetting) -> Bool {
        reader.bool(forKey: ConfigKey(setting.key)) ?? false
    }

    func choice(_ setting: GatewaySetting) -> String? {
        guard let word = text(setting) else { return nil }
        guard case .choice(let words) = setting.kind, !words.contains(word.lowercased()) else { return word.lowercased() }
        problems.add("\(SettingProblems.places(setting)): \(word) is not one of \(words.joined(separator: ", ")).")
        return nil
    }

    func list(_ setting: GatewaySetting) -> [String] {
        (reader.stringArray(forKey: ConfigKey(setting.key)) ?? []).filter { !$0.isEmpty }
    }

    /// An empty variable (LIFELINE_SMTP_HOST=) counts as unset, as shells and unit files write it.
    private func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
