import Foundation

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

    /// A short text for SMS.
    public static func short(technicianName: String, organisation: String, link: String) -> String {
        "\(technicianName) (\(organisation)) is ready to help you: \(link)"
    }
}

/// Email addresses as a customer types them: one address, no spaces or line breaks, a domain.
public enum EmailAddress {
    public static func validated(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
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
