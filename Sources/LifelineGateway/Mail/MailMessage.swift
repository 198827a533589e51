import Foundation

/// A plain-text email, rendered as an RFC 5322 message with a base64 UTF-8 body.
struct MailMessage: Sendable, Equatable {
    let from: String
    let to: String
    let subject: String
    let body: String

    func rendered(date: Date, messageIdDomain: String) -> String {
        var headers = [
            "From: \(Self.headerSafe(from))",
            "To: \(Self.headerSafe(to))",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(Self.headerSafe(messageIdDomain))>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ]
        headers.append("")
        let encoded = Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
        let lines = stride(from: 0, to: encoded.count, by: 76).map { start -> String in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            let to = encoded.index(from, offsetBy: min(76, encoded.count - start))
            return String(encoded[from..<to])
        }
        return (headers + lines).joined(separator: "\r\n") + "\r\n"
    }

    /// No line breaks in headers: nothing can be smuggled into another header.
    static func headerSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// RFC 2047 for non-ASCII subjects.
    static func encodedWord(_ text: String) -> String {
        let safe = headerSafe(text)
        guard !safe.allSatisfy({ $0.isASCII }) else { return safe }
        return "=?UTF-8?B?\(Data(safe.utf8).base64EncodedString())?="
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
