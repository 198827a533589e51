/// One setting of `lifeline-server`, listed once: its key in the configuration file, and from it
/// its command-line flag and environment variable, the kind of value, the default shown to the
/// operator and what it does. `--help`, docs/configuration.md and the reader all come from
/// `GatewaySetting.all`.
public struct GatewaySetting: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text
        /// A whole number within the range.
        case number(ClosedRange<Int>)
        /// On when given alone on the command line; true/false, yes/no, 1/0 elsewhere.
        case flag
        /// One of these words.
        case choice([String])
        /// Repeat the flag, or separate with spaces in the environment; an array in the file.
        case list
    }

    /// Dotted path in the configuration file, e.g. `smtp.caFile` for `{"smtp": {"caFile": …}}`.
    public let key: String
    public let kind: Kind
    /// The default as the operator reads it; nil: unset unless given.
    public let defaultText: String?
    public let help: String
    /// A password or token: may come from a file (`…File` key, `--…-file`, `LIFELINE_…_FILE`),
    /// so it stays out of the process list and unit files.
    public let isSecret: Bool
    /// The flag when an older name is kept (`--database` rather than `--database-url`).
    private let flagOverride: String?

    init(_ key: String, _ kind: Kind = .text, default defaultText: String? = nil, secret: Bool = false,
         flag: String? = nil, help: String) {
        self.key = key
        self.kind = kind
        self.defaultText = defaultText
        self.help = help
        self.isSecret = secret
        self.flagOverride = flag
    }

    /// `--smtp-ca-file` for `smtp.caFile`.
    public var flag: String { flagOverride ?? Self.flag(forKey: key) }

    /// `LIFELINE_SMTP_CA_FILE` for `smtp.caFile`: the name swift-configuration's environment
    /// provider looks up for the key under the `lifeline` prefix.
    public var environmentName: String { Self.environmentName(forKey: key) }

    /// The key naming a file that holds a secret setting's value: `smtp.passwordFile`,
    /// `--smtp-password-file`, `LIFELINE_SMTP_PASSWORD_FILE`.
    public var fileKey: String? { isSecret ? key + "File" : nil }
    public var fileFlag: String? { isSecret ? flag + "-file" : nil }

    static func flag(forKey key: String) -> String {
        "--" + words(of: key).joined(separator: "-").lowercased()
    }

    static func environmentName(forKey key: String) -> String {
        (["LIFELINE"] + words(of: key)).joined(separator: "_").uppercased()
    }

    /// `sms.webhookURL` → sms, webhook, URL; `databaseURLFile` → database, URL, File: a word
    /// starts at an upper-case letter after a lower-case one, or before the last capital of a run
    /// followed by a lower-case letter.
    static func words(of key: String) -> [String] {
        key.split(separator: ".").flatMap { component -> [String] in
            let letters = Array(component)
            var words: [String] = []
            var word = ""
            for (index, letter) in letters.enumerated() {
                let previous = index > 0 ? letters[index - 1] : nil
                let next = index + 1 < letters.count ? letters[index + 1] : nil
                let startsWord = letter.isUppercase && previous.map { previous in
                    previous.isLowercase || (previous.isUppercase && next?.isLowercase == true)
                } == true
                if startsWord {
                    words.append(word)
                    word = ""
                }
                word.append(letter)
            }
            words.append(word)
            return words
        }
    }
}
