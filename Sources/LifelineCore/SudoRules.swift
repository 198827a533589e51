/// What an account may do with sudo (L5): the rules of /etc/sudoers and the files it includes
/// that name the account, one of its groups (`%group`), a user alias holding either, or ALL —
/// shown as written. The files are readable by root only, so the elevated applet (J3) reads them.
public enum SudoRules {
    /// One file's content, read: its rules, its user aliases and what it includes.
    public struct File: Equatable, Sendable {
        public var rules: [String] = []
        public var userAliases: [String: [String]] = [:]
        /// `@include` / `#include` files and `@includedir` / `#includedir` folders, in order.
        public var includes: [String] = []
        public var includeDirectories: [String] = []
    }

    public static func parse(_ text: String) -> File {
        var file = File()
        for line in logicalLines(text) {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard let first = words.first.map(String.init) else { continue }
            switch first {
            case "@include", "#include":
                if words.count > 1 { file.includes.append(String(words[1])) }
            case "@includedir", "#includedir":
                if words.count > 1 { file.includeDirectories.append(String(words[1])) }
            case _ where first.hasPrefix("Defaults"), "Host_Alias", "Runas_Alias", "Cmnd_Alias", "Cmd_Alias":
                continue
            case "User_Alias":
                // User_Alias ADMINS = alice, %wheel : OPS = bob
                for definition in line.dropFirst("User_Alias".count).split(separator: ":") {
                    let parts = definition.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    file.userAliases[parts[0].trimmedOfSpaces] = items(parts[1])
                }
            default:
                if line.contains("=") { file.rules.append(words.joined(separator: " ")) }
            }
        }
        return file
    }

    /// The rules of `files` (every file read, includes already followed) that apply to `user`.
    public static func applying(to user: String, groups: [String], in files: [File]) -> [String] {
        var aliases: [String: [String]] = [:]
        for file in files { aliases.merge(file.userAliases) { _, later in later } }
        func names(_ item: String, depth: Int = 0) -> Bool {
            if item == "ALL" || item == user || (item.hasPrefix("%") && groups.contains(String(item.dropFirst()))) { return true }
            guard depth < 8, let members = aliases[item] else { return false }
            return matches(members) { names($0, depth: depth + 1) }
        }
        return files.flatMap(\.rules).filter { rule in
            // The user list is the first word, its items joined by commas ("alice, %admin ALL = …" reads as "alice,%admin").
            let compact = rule.replacing(", ", with: ",")
            guard let list = compact.split(separator: " ").first else { return false }
            return matches(items(list)) { names($0) }
        }
    }

    /// A list matches when an item matches and no later negated item (`!bob`) takes it back.
    static func matches(_ items: [String], _ matching: (String) -> Bool) -> Bool {
        var result = false
        for item in items {
            if item.hasPrefix("!") {
                if matching(String(item.dropFirst())) { result = false }
            } else if matching(item) {
                result = true
            }
        }
        return result
    }

    static func items(_ list: some StringProtocol) -> [String] {
        list.split(separator: ",").map(\.trimmedOfSpaces).filter { !$0.isEmpty }
    }

    /// Lines with their continuations joined (a trailing backslash) and comments removed; `#include`
    /// and `#includedir` are directives, not comments.
    static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.hasSuffix("\\") {
                current += line.dropLast() + " "
                continue
            }
            current += line
            let trimmed = current.trimmedOfSpaces
            current = ""
            if trimmed.hasPrefix("#include") { lines.append(trimmed); continue }
            // A comment starts at a '#' not followed by a digit (`#1000` names a user by uid).
            var kept = ""
            var previous: Character = " "
            var iterator = trimmed.makeIterator()
            while let character = iterator.next() {
                if character == "#", previous.isWhitespace {
                    let rest = trimmed[trimmed.index(trimmed.startIndex, offsetBy: kept.count + 1)...]
                    if !(rest.first?.isNumber ?? false) { break }
                }
                kept.append(character)
                previous = character
            }
            let clean = kept.trimmedOfSpaces
            if !clean.isEmpty { lines.append(clean) }
        }
        return lines
    }
}
