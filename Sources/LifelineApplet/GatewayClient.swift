import Foundation
import LifelineProtocol
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The applet's HTTP calls: who is asking to connect, and joining the session.
struct GatewayClient: Sendable {
    let gateway: URL

    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// The gateway's error code, when it gave one (unknown_pin, pin_expired …).
        var code: String?
    }

    private struct ErrorBody: Decodable {
        struct Detail: Decodable { let code: String; let message: String }
        let error: Detail
    }

    func invitation(for credential: AppletOptions.Credential) async throws -> Invitation {
        switch credential {
        case .pin(let pin):
            return try await call("api/v1/customer/pin-check", method: "POST", body: ["pin": pin])
        case .link(let link):
            let token = CustomerLink.token(from: link)
            let escaped = token.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? token
            return try await call("api/v1/customer/links/\(escaped)", method: "GET", body: nil as [String: String]?)
        case .resume:
            throw Failure(description: "A handed-over session needs no invitation.")
        }
    }

    struct JoinBody: Encodable {
        var pin: String?
        var link: String?
        /// Sent once the customer accepted the organisation's terms; the gateway audits it.
        var acceptedTerms: Bool?
    }

    func join(with credential: AppletOptions.Credential, acceptedTerms: Bool = false) async throws -> JoinedSession {
        let accepted: Bool? = acceptedTerms ? true : nil
        switch credential {
        case .pin(let pin): return try await call("api/v1/customer/join", method: "POST", body: JoinBody(pin: pin, acceptedTerms: accepted))
        case .link(let link): return try await call("api/v1/customer/join", method: "POST", body: JoinBody(link: link, acceptedTerms: accepted))
        case .resume: throw Failure(description: "A handed-over session is already joined.")
        }
    }

    struct DeclineBody: Encodable {
        var pin: String?
        var link: String?
        let reason: String
    }

    /// An answer with no body (204).
    struct NoAnswer: Decodable {}

    /// Tells the technician the customer said no (to them, to the terms, or by closing the applet) before anyone connected.
    func decline(_ credential: AppletOptions.Credential, _ refusal: CustomerRefusal) async throws {
        let reason = refusal.rawValue
        let body: DeclineBody
        switch credential {
        case .pin(let pin): body = DeclineBody(pin: pin, reason: reason)
        case .link(let link): body = DeclineBody(link: link, reason: reason)
        case .resume: return
        }
        let _: NoAnswer = try await call("api/v1/customer/decline", method: "POST", body: body)
    }

    // MARK: Calling Card (F3, G3)

    /// A channel's page as the card's form needs it.
    struct ChannelPage: Decodable {
        let name: String
        let organisation: String
        let acceptsRequests: Bool
        let message: String?
        let fields: [String]
    }

    struct ChannelRequestBody: Encodable {
        let name: String
        let fields: [String: String]
    }

    struct ChannelRequestAnswer: Decodable {
        let link: String
        let available: Bool
        let message: String?
    }

    func callingCard(id: String) async throws -> CallingCardInfo {
        try await call("api/v1/calling-cards/\(Self.escaped(id))", method: "GET", body: nil as [String: String]?)
    }

    func channelPage(token: String) async throws -> ChannelPage {
        try await call("api/v1/channels/\(Self.escaped(token))", method: "GET", body: nil as [String: String]?)
    }

    func requestChannelSession(token: String, name: String, fields: [String: String]) async throws -> ChannelRequestAnswer {
        try await call("api/v1/channels/\(Self.escaped(token))/requests", method: "POST", body: ChannelRequestBody(name: name, fields: fields))
    }

    /// The card's logo, when it has one (saved as the desktop entry's icon).
    func callingCardLogo(id: String) async -> Data? {
        let request = URLRequest(url: gateway.appendingPathComponent("api/v1/calling-cards/\(Self.escaped(id))/logo"))
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return data
    }

    static func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? segment
    }

    private func call<T: Decodable, Body: Encodable>(_ path: String, method: String, body: Body?) async throws -> T {
        var request = URLRequest(url: gateway.appendingPathComponent(path))
        request.httpMethod = method
        request.timeoutInterval = 20
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONEncoder().encode(body)
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(description: "Cannot reach the support gateway at \(gateway.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            if let problem = try? JSONDecoder().decode(ErrorBody.self, from: data) {
                throw Failure(description: problem.error.message, code: problem.error.code)
            }
            throw Failure(description: "The support gateway answered with HTTP \(status).")
        }
        if data.isEmpty, let none = NoAnswer() as? T { return none }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw Failure(description: "The support gateway sent an answer this applet does not understand.")
        }
    }
}
