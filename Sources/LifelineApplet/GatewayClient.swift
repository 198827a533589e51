#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import LifelineCore
import LifelineProtocol
import NIOCore
import NIOHTTP1

/// The applet's HTTP calls: who is asking to connect, and joining the session.
struct GatewayClient: Sendable {
    let gateway: URL
    /// The Calling Card's HTTP proxy, when it has one (G3).
    var proxy: ProxySettings? = nil

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
            return try await call("api/v1/customer/links/\(Self.escaped(token))", method: "GET", body: nil as [String: String]?)
        case .resume, .afterRestart:
            throw Failure(description: "A handed-over or resumed session needs no invitation.")
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
        case .afterRestart(let ticket): return try await call("api/v1/customer/resume", method: "POST", body: ResumeRequest(ticket: ticket))
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
        case .resume, .afterRestart: return
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

    /// The agent's enrolment for unattended access (F5): its public key with the one-time token.
    func enrol(_ enrolment: AgentEnrolment) async throws -> EnrolledAgent {
        try await call("api/v1/agents/enroll", method: "POST", body: enrolment)
    }

    /// The card's logo, when it has one (saved as the desktop entry's icon).
    func callingCardLogo(id: String) async -> Data? {
        let request = HTTPClientRequest(url: gateway.appendingPathComponent("api/v1/calling-cards/\(Self.escaped(id))/logo").absoluteString)
        do {
            let answer = try await AppletHTTP.send(request, proxy: proxy)
            return answer.status == 200 ? answer.body : nil
        } catch {
            // The desktop entry keeps the generic icon.
            return nil
        }
    }

    static let proxyRefused = "The proxy refused the user name and password. Correct them in the Calling Card's Settings → Proxy."

    static func escaped(_ segment: String) -> String {
        segment.percentEncoded()
    }

    private func call<T: Decodable, Body: Encodable>(_ path: String, method: String, body: Body?) async throws -> T {
        var request = HTTPClientRequest(url: gateway.appendingPathComponent(path).absoluteString)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let answer: AppletHTTP.Answer
        do {
            answer = try await AppletHTTP.send(request, proxy: proxy)
        } catch let error as HTTPClientError where error == .proxyAuthenticationRequired {
            // Named as what it is: the customer (or the card's settings) can correct it.
            throw Failure(description: Self.proxyRefused, code: "proxy_refused")
        } catch {
            throw Failure(description: "Cannot reach the support gateway at \(gateway.absoluteString): \(error)")
        }
        let (status, data) = (answer.status, answer.body)
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
