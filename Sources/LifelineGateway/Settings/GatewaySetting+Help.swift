extension GatewaySetting {
    /// How a value is written, for the listings.
    var valueHint: String {
        switch kind {
        case .text: "<text>"
        case .number: "<number>"
        case .flag: ""
        case .choice(let words): "<" + words.joined(separator: "|") + ">"
        case .list: "<server> (repeat)"
        }
    }

    static let precedence = """
        Each setting comes from, first match wins: its flag; its LIFELINE_* environment variable; \
        the configuration file (--config PATH or LIFELINE_CONFIG: JSON, keys as listed, groups as \
        objects: {"port": 443, "smtp": {"host": "mail.example.com"}}); its default. Secrets (*) may \
        instead come from a file: --NAME-file, LIFELINE_NAME_FILE or the key with File appended.
        """

    /// The listing `lifeline-server serve --help` ends with: every setting once, wrapped here
    /// (the argument parser rewraps long lines without their indent).
    public static var helpListing: String {
        let lines = all.map { setting in
            let flag = ([setting.flag, setting.valueHint].filter { !$0.isEmpty }).joined(separator: " ")
            let secret = setting.isSecret ? " (*)" : ""
            let fallback = setting.defaultText.map { " Default: \($0)." } ?? ""
            return (["  \(flag)", "      \(setting.environmentName) · file: \(setting.key)\(secret)"]
                + wrapped(setting.help + fallback, indent: "      ", width: 78)).joined(separator: "\n")
        }
        return precedence + "\n\nSETTINGS:\n" + lines.joined(separator: "\n")
    }

    static func wrapped(_ text: String, indent: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        return lines + [line]
    }

    /// The table docs/configuration.md holds; a test keeps the two the same.
    public static var markdownTable: String {
        let head = "| Key (file) | Flag | Environment | Default | What it does |\n|---|---|---|---|---|"
        let rows = all.map { setting in
            let key = "`\(setting.key)`" + (setting.fileKey.map { " (or `\($0)`)" } ?? "")
            let flag = ("`" + ([setting.flag, setting.valueHint].filter { !$0.isEmpty }).joined(separator: " ") + "`").replacingPipes
                + (setting.fileFlag.map { " (or `\($0) <path>`)" } ?? "")
            let environment = "`\(setting.environmentName)`" + (setting.isSecret ? " (or `\(setting.environmentName)_FILE`)" : "")
            let fallback = setting.defaultText.map { "`\($0)`".replacingPipes } ?? "unset"
            return "| \(key) | \(flag) | \(environment) | \(fallback) | \(setting.help.replacingPipes) |"
        }
        return ([head] + rows).joined(separator: "\n")
    }
}

private extension String {
    /// A `|` inside a Markdown table cell ends the cell.
    var replacingPipes: String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
