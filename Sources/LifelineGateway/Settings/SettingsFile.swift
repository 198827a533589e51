import Foundation

/// The configuration file (JSON) looked over before swift-configuration reads it: the library
/// ignores keys nobody asks for, and a misspelt one must stop start-up with its name.
enum SettingsFile {
    static func checkKeys(atPath path: String) throws(SettingsError) {
        let data: Data
        switch SettingText.contents(ofFile: path) {
        case .success(let bytes): data = bytes
        case .failure(let reason): throw SettingsError("Cannot read the configuration file \(path): \(reason).")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey].map { "\($0)" } ?? error.localizedDescription
            throw SettingsError("The configuration file \(path) is not JSON: \(detail)")
        }
        guard let top = object as? [String: Any] else {
            throw SettingsError("The configuration file \(path) must hold one JSON object, e.g. {\"port\": 8080}.")
        }
        let known = Set(GatewaySetting.all.flatMap { [$0.key] + ($0.fileKey.map { [$0] } ?? []) })
        var unknown: [String] = []
        walk(top, path: [], known: known, unknown: &unknown)
        guard unknown.isEmpty else {
            let named = unknown.sorted().map { key in
                SettingText.closest(to: key, among: Array(known)).map { "\"\(key)\" (did you mean \"\($0)\"?)" } ?? "\"\(key)\""
            }
            throw SettingsError("The configuration file \(path) has unknown settings: \(named.joined(separator: ", ")). docs/configuration.md lists every setting.")
        }
    }

    /// Leaves are settings; an object is a group (`smtp`, `sms`, `admin`) only where one exists.
    private static func walk(_ object: [String: Any], path: [String], known: Set<String>, unknown: inout [String]) {
        for (name, value) in object {
            let key = (path + [name]).joined(separator: ".")
            if let group = value as? [String: Any], known.contains(where: { $0.hasPrefix(key + ".") }) {
                walk(group, path: path + [name], known: known, unknown: &unknown)
            } else if !known.contains(key) {
                unknown.append(key)
            }
        }
    }
}
