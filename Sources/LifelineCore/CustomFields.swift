#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Custom fields (C3, F2): the organisation names up to five; customers fill them in a channel
/// form and technicians with the permission edit them in the queue.
public enum CustomFields {
    public static let maximumCount = 5
    public static let maximumNameLength = 40
    public static let maximumValueLength = 200

    public enum Problem: Error, Equatable, Sendable {
        case tooMany(limit: Int)
        case badName(String)
        case duplicateName(String)
        case unknownField(String)
        case valueTooLong(field: String, limit: Int)
        case missingRequired(String)
        case requiredNotAsked(String)
    }

    /// Where a field shows (R2): asked in channel forms, a column of the session list, required
    /// in forms. A field without a rule is asked, listed and optional.
    public struct Rule: Codable, Equatable, Sendable {
        public var inForms: Bool
        public var inList: Bool
        public var required: Bool

        public init(inForms: Bool = true, inList: Bool = true, required: Bool = false) {
            self.inForms = inForms
            self.inList = inList
            self.required = required
        }

        public static let standard = Rule()
    }

    /// Rules for the organisation's fields only; a required field must be asked.
    public static func validatedRules(_ rules: [String: Rule], names: [String]) throws(Problem) -> [String: Rule] {
        var kept: [String: Rule] = [:]
        for (name, rule) in rules where names.contains(name) {
            guard !rule.required || rule.inForms else { throw .requiredNotAsked(name) }
            if rule != .standard { kept[name] = rule }
        }
        return kept
    }

    /// The required fields a customer left empty, checked after `validatedValues`.
    public static func checkRequired(_ values: [String: String], required: [String]) throws(Problem) {
        if let missing = required.first(where: { (values[$0] ?? "").isEmpty }) { throw .missingRequired(missing) }
    }

    /// The organisation's field names, trimmed, in the administrator's order.
    public static func validatedNames(_ names: [String]) throws(Problem) -> [String] {
        let cleaned = names.map { SessionName.cleaned($0) }
        guard cleaned.count <= maximumCount else { throw .tooMany(limit: maximumCount) }
        var seen = Set<String>()
        for name in cleaned {
            guard !name.isEmpty, name.count <= maximumNameLength else { throw .badName(name) }
            guard seen.insert(name.lowercased()).inserted else { throw .duplicateName(name) }
        }
        return cleaned
    }

    /// Values typed by a customer or a technician: only the organisation's fields, trimmed and
    /// bounded; an empty value removes the field.
    public static func validatedValues(_ values: [String: String], names: [String]) throws(Problem) -> [String: String] {
        var result: [String: String] = [:]
        for (name, raw) in values {
            guard names.contains(name) else { throw .unknownField(name) }
            let value = SessionName.cleaned(raw)
            guard value.count <= maximumValueLength else { throw .valueTooLong(field: name, limit: maximumValueLength) }
            if !value.isEmpty { result[name] = value }
        }
        return result
    }

    /// A sentence for the error a user sees.
    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .tooMany(let limit): "At most \(limit) custom fields."
        case .badName(let name): "A custom field needs a name of 1 to \(maximumNameLength) characters (got \"\(name)\")."
        case .duplicateName(let name): "The custom field \"\(name)\" is listed twice."
        case .unknownField(let name): "There is no custom field named \"\(name)\"."
        case .valueTooLong(let field, let limit): "The value of \"\(field)\" is longer than \(limit) characters."
        case .missingRequired(let field): "Please fill in \"\(field)\"."
        case .requiredNotAsked(let field): "The field \"\(field)\" cannot be required without being asked in forms."
        }
    }
}
