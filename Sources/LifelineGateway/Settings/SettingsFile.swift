import Configuration
import Foundation

/// The configuration file (JSON), read here into values for swift-configuration's in-memory
/// provider: the library's own JSON provider needs its JSON trait, which would link all of
/// Foundation into the applet through async-http-client. Every key must name a setting; a
/// misspelt one stops start-up with its name.
enum SettingsFile {
    static func values(atPath path: String) throws(SettingsError) -> [AbsoluteConfigKey: ConfigValue] {
        let data: Data
        switch SettingText.contents(ofFile: path) {
        case .success(let bytes): data = bytes
        case .failure(let reason): throw SettingsError("Cannot read the configuration file \(path): \(reason).")
        }
        let top: JSONValue
        do {
            top = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw SettingsError("The configuration file \(path) is not JSON: \(Self.describe(error))")
        }
        guard case .object(let object) = top else {
            throw SettingsError("The configuration file \(path) must hold one JSON object, e.g. {\"port\": 8080}.")
        }
        let known = Set(GatewaySetting.all.flatMap { [$0.key] + ($0.fileKey.map { [$0] } ?? []) })
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        var unknown: [String] = []
        var malformed: [String] = []
        walk(object, path: [], known: known, into: &values, unknown: &unknown, malformed: &malformed)
        guard unknown.isEmpty else {
            let named = unknown.sorted().map { key in
                SettingText.closest(to: key, among: Array(known)).map { "\"\(key)\" (did you mean \"\($0)\"?)" } ?? "\"\(key)\""
            }
            throw SettingsError("The configuration file \(path) has unknown settings: \(named.joined(separator: ", ")). docs/configuration.md lists every setting.")
        }
        guard malformed.isEmpty else {
            throw SettingsError("The configuration file \(path) has values of no setting's kind: \(malformed.sorted().joined(separator: ", ")).")
        }
        return values
    }

    /// Leaves are settings; an object is a group (`smtp`, `sms`, `admin`) only where one exists.
    private static func walk(_ object: [String: JSONValue], path: [String], known: Set<String>, into values: inout [AbsoluteConfigKey: ConfigValue],
                             unknown: inout [String], malformed: inout [String]) {
        for (name, value) in object {
            let key = (path + [name]).joined(separator: ".")
            if case .object(let group) = value, known.contains(where: { $0.hasPrefix(key + ".") }) {
                walk(group, path: path + [name], known: known, into: &values, unknown: &unknown, malformed: &malformed)
            } else if !known.contains(key) {
                unknown.append(key)
            } else if let content = value.content {
                values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false)
            } else {
                malformed.append("\"\(key)\"")
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey].map { "\($0)" } ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// Any JSON value, decoded without Foundation's object bridging (so true stays a Bool, 1 an Int).
private enum JSONValue: Decodable {
    case string(String), int(Int), double(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try Self.probe(Bool.self, container) { self = .bool(bool) }
        else if let number = try Self.probe(Double.self, container) {
            // A whole number is an Int (ports, counts); settings have none past 2^53.
            self = number.rounded() == number && abs(number) < 9_007_199_254_740_992 ? .int(Int(number)) : .double(number)
        }
        else if let string = try Self.probe(String.self, container) { self = .string(string) }
        else if let array = try Self.probe([JSONValue].self, container) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// The value as `T`, or nil when it is another kind of JSON value; any other failure is the
    /// file's and goes up.
    private static func probe<T: Decodable>(_ type: T.Type, _ container: any SingleValueDecodingContainer) throws -> T? {
        do {
            return try container.decode(type)
        } catch DecodingError.typeMismatch {
            return nil
        }
    }

    /// The value as swift-configuration holds it; nil for what no setting takes (null, objects, mixed lists).
    var content: ConfigContent? {
        switch self {
        case .string(let text): .string(text)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .bool(let flag): .bool(flag)
        case .array(let items):
            // Lists of text only (iceServers).
            Optional(items.compactMap { item -> String? in if case .string(let text) = item { text } else { nil } })
                .flatMap { $0.count == items.count ? .stringArray($0) : nil }
        case .object, .null: nil
        }
    }
}
