import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers a text message to a phone (F1). Providers differ; a webhook fits most SMS gateways.
protocol SMSSender: Sendable {
    func send(to phone: String, text: String) async throws
}

/// How the gateway sends SMS (LIFELINE_SMS_* settings).
public enum SMSConfiguration: Sendable, Equatable {
    /// An HTTP call to the provider; `{to}` and `{text}` in the body are replaced, escaped for its content type.
    case webhook(url: URL, method: String, body: String, contentType: String, authorization: String?)
    /// Development: each message becomes a file in this folder.
    case outbox(directory: String)

    public static let defaultWebhookBody = #"{"to":"{to}","text":"{text}"}"#
}

struct SMSFailure: Error, CustomStringConvertible {
    let description: String
}

/// Calls the provider's HTTP endpoint.
struct WebhookSMSSender: SMSSender {
    let url: URL
    let method: String
    let bodyTemplate: String
    let contentType: String
    let authorization: String?

    func send(to phone: String, text: String) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 20
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        request.httpBody = Data(Self.render(bodyTemplate, to: phone, text: text, contentType: contentType).utf8)
        let response: URLResponse
        do {
            (_, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw SMSFailure(description: "The SMS provider cannot be reached: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw SMSFailure(description: "The SMS provider answered HTTP \(status).") }
    }

    /// Fills the template, escaping each value for the body's format so it cannot break out of it.
    static func render(_ template: String, to phone: String, text: String, contentType: String) -> String {
        let escape: (String) -> String
        if contentType.contains("json") {
            escape = { value in
                let encoded = String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
                return String(encoded.dropFirst().dropLast())
            }
        } else {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            escape = { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        }
        return template.replacingOccurrences(of: "{to}", with: escape(phone)).replacingOccurrences(of: "{text}", with: escape(text))
    }
}

/// Writes each SMS to a file, for development without a provider.
struct OutboxSMSSender: SMSSender {
    let directory: String

    func send(to phone: String, text: String) async throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let name = "\(Int(Date().timeIntervalSince1970 * 1_000))-\(UUID().uuidString.prefix(8)).txt"
            try Data("To: \(phone)\n\n\(text)\n".utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        } catch {
            throw SMSFailure(description: "The SMS outbox \(directory) cannot be written: \(error.localizedDescription)")
        }
    }
}

extension SMSConfiguration {
    func makeSender() -> any SMSSender {
        switch self {
        case .webhook(let url, let method, let body, let contentType, let authorization):
            WebhookSMSSender(url: url, method: method, bodyTemplate: body, contentType: contentType, authorization: authorization)
        case .outbox(let directory):
            OutboxSMSSender(directory: directory)
        }
    }
}
