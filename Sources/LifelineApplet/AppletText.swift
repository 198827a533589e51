#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The applet's words in the customer's language (A4): LC_ALL, LC_MESSAGES or LANG picks one of the
/// manual's 29 catalogs, compiled into the binary so a downloaded applet needs nothing beside it;
/// English fills any gap.
public struct AppletText: Sendable {
    public let language: String
    let messages: [String: String]
    let english: [String: String]

    public static let english = AppletText(language: "en")

    public init(language: String) {
        let english = Self.catalog("en")
        self.language = Self.catalogs[language] == nil ? "en" : language
        self.english = english
        self.messages = self.language == "en" ? english : Self.catalog(self.language)
    }

    /// The language the customer's session asks for, as POSIX locales name it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AppletText {
        // POSIX order: LC_ALL wins, then LC_MESSAGES, then LANG; an empty one is skipped.
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return AppletText(language: catalogLanguage(forLocale: value) ?? "en")
        }
        return AppletText(language: "en")
    }

    /// "pt_BR.UTF-8" → pt-BR, "zh_HK" → zh-TW, "nb_NO" → no, "de_AT@euro" → de; "C" and unknown ones → nil.
    static func catalogLanguage(forLocale locale: String) -> String? {
        let bare = locale.split(separator: ".").first.map(String.init)?.split(separator: "@").first.map(String.init) ?? ""
        let parts = bare.split(whereSeparator: { $0 == "_" || $0 == "-" }).map { $0.lowercased() }
        guard let base = parts.first else { return nil }
        let region = parts.count > 1 ? parts[1] : ""
        if base == "pt" && region == "br" { return "pt-BR" }
        if base == "zh" && ["tw", "hk", "mo", "hant"].contains(region) { return "zh-TW" }
        let language = ["nb": "no", "nn": "no", "iw": "he"][base] ?? base
        return catalogs[language] == nil ? nil : language
    }

    /// The text of `key` with its {placeholders} filled in.
    public func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        var text = messages[key] ?? english[key] ?? key
        for (name, value) in values { text = text.replacing("{\(name)}", with: value) }
        return text
    }

    /// Every catalog compiled in, by language.
    static let catalogs: [String: [UInt8]] = [
        "ar": PackageResources.ar_json, "bg": PackageResources.bg_json, "cs": PackageResources.cs_json,
        "da": PackageResources.da_json, "de": PackageResources.de_json, "el": PackageResources.el_json,
        "en": PackageResources.en_json, "es": PackageResources.es_json, "fi": PackageResources.fi_json,
        "fr": PackageResources.fr_json, "he": PackageResources.he_json, "hr": PackageResources.hr_json,
        "hu": PackageResources.hu_json, "it": PackageResources.it_json, "ja": PackageResources.ja_json,
        "ko": PackageResources.ko_json, "nl": PackageResources.nl_json, "no": PackageResources.no_json,
        "pl": PackageResources.pl_json, "pt": PackageResources.pt_json, "pt-BR": PackageResources.pt_BR_json,
        "ro": PackageResources.ro_json, "ru": PackageResources.ru_json, "sk": PackageResources.sk_json,
        "sv": PackageResources.sv_json, "th": PackageResources.th_json, "tr": PackageResources.tr_json,
        "zh": PackageResources.zh_json, "zh-TW": PackageResources.zh_TW_json,
    ]

    public static var languages: [String] { catalogs.keys.sorted() }

    static func catalog(_ language: String) -> [String: String] {
        guard let bytes = catalogs[language],
              let decoded = try? JSONDecoder().decode([String: String].self, from: Data(bytes)) else { return [:] }
        return decoded
    }
}
