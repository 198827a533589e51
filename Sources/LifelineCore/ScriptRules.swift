#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The rules of the scripts library (N1) and of running a script (N2), shared by the gateway (on
/// saving and before sending) and the applet (again before running): what a script may be called,
/// how big it is, which parameters it takes, what values they accept, and the argument vector it
/// runs with. No shell ever stands between these values and the machine.
public enum ScriptRules {
    public static let maximumNameLength = 64
    public static let maximumDescriptionLength = 1_000
    public static let maximumFileNameLength = 128
    /// The script itself: text, read by the customer before anything runs if they like.
    public static let maximumScriptBytes = 256 * 1024
    /// The optional resource file the script uses (an archive, a configuration…).
    public static let maximumResourceBytes = 8 * 1024 * 1024
    public static let maximumParameters = 10
    public static let maximumValueLength = 1_000
    public static let maximumChoices = 20
    public static let timeLimits = 1...3_600
    public static let defaultTimeLimit = 300
    /// Scripts a technician keeps (the manual says unlimited; this only stops a runaway import).
    public static let maximumCount = 1_000
    public static let maximumFavourites = 5
    /// Output sent to the console for one run; the rest is counted and hashed, not sent.
    public static let maximumOutputBytes = 1024 * 1024
    /// After SIGTERM, what still runs of a script's processes is killed this much later.
    public static let graceSeconds = 5.0
    /// Without a `#!` line the script is given to the POSIX shell, as `sh script` would.
    public static let defaultInterpreter = "/bin/sh"

    public enum Problem: Error, Equatable, Sendable {
        case badName
        case badDescription
        case badFileName
        case badScript
        case scriptTooLarge
        case badInterpreter
        case resourceTooLarge
        case badResourceName
        case noPlatform
        case badTimeLimit
        case tooManyParameters
        case badParameter(String)
        case missingValue(String)
        case badValue(String)
        case unknownValue(String)
    }

    /// The definition's text fields trimmed; throws the first problem.
    public static func validated(_ definition: ScriptDefinition) throws(Problem) -> ScriptDefinition {
        var valid = definition
        valid.name = definition.name.trimmed
        valid.description = definition.description.trimmed
        valid.fileName = definition.fileName.trimmed
        guard (1...maximumNameLength).contains(valid.name.count), !hasControlCharacters(valid.name) else { throw .badName }
        guard valid.description.count <= maximumDescriptionLength, !hasControlCharacters(valid.description, allowingLineBreaks: true) else {
            throw .badDescription
        }
        guard isFileName(valid.fileName) else { throw .badFileName }
        guard !definition.content.isEmpty, !definition.content.contains("\u{0}") else { throw .badScript }
        guard definition.content.utf8.count <= maximumScriptBytes else { throw .scriptTooLarge }
        _ = try interpreter(of: definition.content)
        if let resource = definition.resourceName {
            let name = resource.trimmed
            guard isFileName(name), name != valid.fileName else { throw .badResourceName }
            valid.resourceName = name
        }
        guard !valid.platforms.isEmpty else { throw .noPlatform }
        valid.platforms = Array(Set(valid.platforms)).sorted { $0.rawValue < $1.rawValue }
        guard timeLimits.contains(valid.timeLimitSeconds) else { throw .badTimeLimit }
        guard valid.parameters.count <= maximumParameters else { throw .tooManyParameters }
        var names = Set<String>()
        valid.parameters = try valid.parameters.map { parameter throws(Problem) in
            let checked = try validated(parameter)
            guard names.insert(checked.name).inserted else { throw .badParameter(checked.name) }
            return checked
        }
        return valid
    }

    static func validated(_ parameter: ScriptParameter) throws(Problem) -> ScriptParameter {
        var valid = parameter
        valid.label = parameter.label.trimmed
        guard isParameterName(parameter.name) else { throw .badParameter(String(parameter.name.prefix(32))) }
        guard (1...maximumNameLength).contains(valid.label.count), !hasControlCharacters(valid.label) else { throw .badParameter(parameter.name) }
        switch parameter.kind {
        case .choice:
            valid.choices = parameter.choices.map(\.trimmed)
            guard (1...maximumChoices).contains(valid.choices.count), Set(valid.choices).count == valid.choices.count,
                  valid.choices.allSatisfy({ (1...maximumNameLength).contains($0.count) && !hasControlCharacters($0) }) else {
                throw .badParameter(parameter.name)
            }
        case .text, .number:
            guard parameter.choices.isEmpty else { throw .badParameter(parameter.name) }
        }
        if let value = parameter.defaultValue {
            do throws(Problem) {
                valid.defaultValue = try checkedValue(value, for: valid)
            } catch {
                throw .badParameter(parameter.name)
            }
        }
        return valid
    }

    /// The values a run gives the script, in the order of its parameters: each checked against its
    /// kind; a value left out takes the default, an optional one without default is empty. A value
    /// for a parameter the script does not declare is refused rather than dropped.
    public static func arguments(for parameters: [ScriptParameter], values: [String: String]) throws(Problem) -> [String] {
        let declared = Set(parameters.map(\.name))
        if let unknown = values.keys.sorted().first(where: { !declared.contains($0) }) { throw .unknownValue(String(unknown.prefix(32))) }
        return try parameters.map { parameter throws(Problem) in
            guard let value = values[parameter.name] ?? parameter.defaultValue, !(value.isEmpty && parameter.required) else {
                if parameter.required { throw .missingValue(parameter.name) }
                return ""
            }
            return value.isEmpty ? "" : try checkedValue(value, for: parameter)
        }
    }

    /// Text: anything on any number of lines but NUL (an argument vector cannot carry it); a number:
    /// an integer; a choice: one of the choices.
    static func checkedValue(_ value: String, for parameter: ScriptParameter) throws(Problem) -> String {
        switch parameter.kind {
        case .text:
            guard value.count <= maximumValueLength, !value.contains("\u{0}") else { throw .badValue(parameter.name) }
            return value
        case .number:
            let number = value.trimmed
            guard number.count <= 19, Int64(number) != nil else { throw .badValue(parameter.name) }
            return number
        case .choice:
            guard parameter.choices.contains(value) else { throw .badValue(parameter.name) }
            return value
        }
    }

    /// The interpreter and its one optional argument from the script's `#!` line, as the kernel reads
    /// it (everything after the path is one argument); `/bin/sh` without one. The path must be absolute.
    public static func interpreter(of content: String) throws(Problem) -> [String] {
        guard content.hasPrefix("#!") else { return [defaultInterpreter] }
        let firstLine = content.dropFirst(2).prefix { !$0.isNewline }
        let line = firstLine.trimmedOfSpaces
        guard line.count <= 255 else { throw .badInterpreter }
        let pathEnd = line.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? line.endIndex
        let path = String(line[..<pathEnd])
        guard path.hasPrefix("/"), !hasControlCharacters(path) else { throw .badInterpreter }
        let argument = line[pathEnd...].trimmedOfSpaces
        return argument.isEmpty ? [path] : [path, argument]
    }

    /// The argument vector: the interpreter, the script's path, then the parameters' values.
    public static func commandLine(content: String, scriptPath: String, arguments: [String]) throws(Problem) -> [String] {
        try interpreter(of: content) + [scriptPath] + arguments
    }

    /// One path component a file can have in the applet's temporary folder.
    public static func isFileName(_ name: String) -> Bool {
        (1...maximumFileNameLength).contains(name.count) && name != "." && name != ".." && !name.hasPrefix("-")
            && !name.contains("/") && !name.contains("\\") && !hasControlCharacters(name)
    }

    /// Letters, digits and `_`, starting with a letter: also the environment variable's suffix.
    public static func isParameterName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...32).contains(name.count), first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func hasControlCharacters(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        ReplyRules.hasControlCharacters(text, allowingLineBreaks: allowingLineBreaks)
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .badName: "A script's name is 1 to \(maximumNameLength) characters on one line."
        case .badDescription: "A description is at most \(maximumDescriptionLength) characters of plain text."
        case .badFileName: "The script's file name is one file name (no folder, no control characters, not starting with '-')."
        case .badScript: "The script is text and cannot be empty."
        case .scriptTooLarge: "A script is at most \(maximumScriptBytes / 1024) KiB."
        case .badInterpreter: "The script's first line names its interpreter by an absolute path, e.g. #!/bin/sh or #!/usr/bin/env python3."
        case .resourceTooLarge: "A resource file is at most \(maximumResourceBytes / 1024 / 1024) MiB."
        case .badResourceName: "The resource file's name is one file name, other than the script's."
        case .noPlatform: "Choose at least one platform the script runs on."
        case .badTimeLimit: "The time limit is \(timeLimits.lowerBound) to \(timeLimits.upperBound) seconds."
        case .tooManyParameters: "A script takes at most \(maximumParameters) parameters."
        case .badParameter(let name): "Parameter \"\(name)\": a name of letters, digits and _ (starting with a letter), a label, "
            + "choices for a choice (1 to \(maximumChoices), different), a default its kind accepts; names differ."
        case .missingValue(let name): "Parameter \"\(name)\" needs a value."
        case .badValue(let name): "The value of \"\(name)\" is not what it accepts (text up to \(maximumValueLength) characters, an integer, or one of its choices)."
        case .unknownValue(let name): "The script has no parameter \"\(name)\"."
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

public enum ScriptPlatform: String, Codable, Sendable, CaseIterable {
    case linux
    case macos
    case windows
}

/// A value the technician gives when running the script: passed as an argument and as the
/// environment variable `LIFELINE_PARAM_<NAME>`.
public struct ScriptParameter: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case text
        case number
        case choice
    }

    public var name: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    public var choices: [String]
    public var defaultValue: String?

    public init(name: String, label: String, kind: Kind, required: Bool = false, choices: [String] = [], defaultValue: String? = nil) {
        self.name = name
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
        self.defaultValue = defaultValue
    }

    private enum CodingKeys: String, CodingKey { case name, label, kind, required, choices, defaultValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decodeIfPresent(String.self, forKey: .label) ?? name
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .text
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        choices = try container.decodeIfPresent([String].self, forKey: .choices) ?? []
        defaultValue = try container.decodeIfPresent(String.self, forKey: .defaultValue)
    }
}

/// What a script is, as the technician writes it (the library keeps it with an id, an owner and a place).
public struct ScriptDefinition: Codable, Equatable, Sendable {
    public var name: String
    public var description: String
    public var fileName: String
    public var content: String
    /// The resource file's name when the script has one (its bytes travel apart).
    public var resourceName: String?
    public var platforms: [ScriptPlatform]
    public var runAtStart: Bool
    public var timeLimitSeconds: Int
    public var parameters: [ScriptParameter]

    public init(name: String, description: String = "", fileName: String, content: String, resourceName: String? = nil,
                platforms: [ScriptPlatform] = [.linux], runAtStart: Bool = false, timeLimitSeconds: Int = ScriptRules.defaultTimeLimit,
                parameters: [ScriptParameter] = []) {
        self.name = name
        self.description = description
        self.fileName = fileName
        self.content = content
        self.resourceName = resourceName
        self.platforms = platforms
        self.runAtStart = runAtStart
        self.timeLimitSeconds = timeLimitSeconds
        self.parameters = parameters
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, fileName, content, resourceName, platforms, runAtStart, timeLimitSeconds, parameters
    }

    /// What a client leaves out takes its default: no description, Linux, no start run, 5 minutes, no parameters.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        fileName = try container.decode(String.self, forKey: .fileName)
        content = try container.decode(String.self, forKey: .content)
        resourceName = try container.decodeIfPresent(String.self, forKey: .resourceName)
        platforms = try container.decodeIfPresent([ScriptPlatform].self, forKey: .platforms) ?? [.linux]
        runAtStart = try container.decodeIfPresent(Bool.self, forKey: .runAtStart) ?? false
        timeLimitSeconds = try container.decodeIfPresent(Int.self, forKey: .timeLimitSeconds) ?? ScriptRules.defaultTimeLimit
        parameters = try container.decodeIfPresent([ScriptParameter].self, forKey: .parameters) ?? []
    }
}
