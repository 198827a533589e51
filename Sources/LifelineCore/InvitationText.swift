#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The words of an invitation sent to a customer (F1): the same facts for email, SMS and the
/// technician's own mail client. The Admin Center's template will replace the default wording.
public struct InvitationText: Equatable, Sendable {
    public let subject: String
    public let body: String

    public static func make(customerName: String, technicianName: String, organisation: String, link: String) -> InvitationText {
        let greeting = customerName == SessionName.fallback ? "Hello," : "Hello \(customerName),"
        return InvitationText(
            subject: "\(organisation): your remote support session with \(technicianName)",
            body: """
            \(greeting)

            \(technicianName) from \(organisation) is ready to help you. Open this link and follow the \
            instructions to start the support session:

            \(link)

            The link works once. If you did not ask for help, ignore this message.
            """)
    }

    /// The administrator's wording, with {customer}, {technician}, {organisation} and {link} filled in.
    public static func make(_ template: EmailTemplate?, customerName: String, technicianName: String, organisation: String,
                            link: String) -> InvitationText {
        guard let template else { return make(customerName: customerName, technicianName: technicianName, organisation: organisation, link: link) }
        let values = ["customer": customerName == SessionName.fallback ? "" : customerName, "technician": technicianName,
                      "organisation": organisation, "link": link]
        func fill(_ text: String) -> String {
            values.reduce(text) { $0.replacing("{\($1.key)}", with: $1.value) }
        }
        return InvitationText(subject: fill(template.subject), body: fill(template.body))
    }

    /// A short text for SMS.
    public static func short(technicianName: String, organisation: String, link: String) -> String {
        "\(technicianName) (\(organisation)) is ready to help you: \(link)"
    }
}

/// The email invitation as an administrator words it (R4): placeholders {customer},
/// {technician}, {organisation} and {link}; the body must carry the link.
public struct EmailTemplate: Codable, Equatable, Sendable {
    public var subject: String
    public var body: String

    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }

    public enum Problem: Error, Equatable, Sendable {
        case emptySubject
        case subjectTooLong
        case bodyTooLong
        case noLink
        case unknownPlaceholder(String)
    }

    static let placeholders: Set<String> = ["customer", "technician", "organisation", "link"]

    public func validated() throws(Problem) -> EmailTemplate {
        let subject = subject.trimmed
        guard !subject.isEmpty else { throw .emptySubject }
        guard subject.count <= 200, !subject.contains(where: \.isNewline) else { throw .subjectTooLong }
        guard body.count <= 5_000 else { throw .bodyTooLong }
        guard body.contains("{link}") else { throw .noLink }
        for text in [subject, body] {
            for match in text.matches(of: /\{([a-zA-Z]+)\}/) where !Self.placeholders.contains(String(match.1)) {
                throw .unknownPlaceholder(String(match.1))
            }
        }
        return EmailTemplate(subject: subject, body: body)
    }

    public static func describe(_ problem: Problem) -> String {
        switch problem {
        case .emptySubject: "The email subject is empty."
        case .subjectTooLong: "The email subject must be one line of at most 200 characters."
        case .bodyTooLong: "The email body may have at most 5,000 characters."
        case .noLink: "The email body must contain {link}, or the customer cannot join."
        case .unknownPlaceholder(let name): "{\(name)} is not a placeholder; use {customer}, {technician}, {organisation} or {link}."
        }
    }
}

/// Email addresses as a customer types them: one address, no spaces or line breaks, a domain.
public enum EmailAddress {
    public static func validated(_ raw: String) -> String? {
        let trimmed = raw.trimmed
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              trimmed.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value != 127 && !"<>(),;:\"[]\\".unicodeScalars.contains($0) })
        else { return nil }
        return trimmed
    }
}

/// Phone numbers as technicians type them: spaces, dots, dashes and brackets are dropped; an
/// optional leading + and 6 to 15 digits remain (E.164 length).
public enum PhoneNumber {
    public static func validated(_ raw: String) -> String? {
        let kept = raw.filter { !" .-()".contains($0) }
        let digits = kept.hasPrefix("+") ? kept.dropFirst() : Substring(kept)
        guard (6...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return kept
    }
}
