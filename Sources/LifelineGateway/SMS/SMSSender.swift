import AsyncHTTPClient
import Foundation
import NIOCore

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

/// Calls the provider's HTTP endpoint with async-http-client (the client the applet uses too):
/// one deadline for the whole call, redirects not followed (a provider answers where it is asked).
struct WebhookSMSSender: SMSSender {
    let url: URL
    let method: String
    let bodyTemplate: String
    let contentType: String
    let authorization: String?
    var timeout: TimeAmount = .seconds(20)

    func send(to phone: String, text: String) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Content-Type", value: contentType)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: Self.render(bodyTemplate, to: phone, text: text, contentType: contentType)))
        let status: UInt
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            status = response.status.code
            // The answer's body is not needed; it is read so the connection can be reused.
            _ = try await response.body.collect(upTo: 64 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw SMSFailure(description: "The SMS provider did not answer within \(timeout.nanoseconds / 1_000_000_000) s.")
        } catch {
            throw SMSFailure(description: "The SMS provider cannot be reached: \(error)")
        }
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
