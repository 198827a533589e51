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
            return try await call("api/v1/customer/links/\(escaped)", method: "GET", body: nil)
        case .resume:
            throw Failure(description: "A handed-over session needs no invitation.")
        }
    }

    func join(with credential: AppletOptions.Credential) async throws -> JoinedSession {
        switch credential {
        case .pin(let pin): return try await call("api/v1/customer/join", method: "POST", body: ["pin": pin])
        case .link(let link): return try await call("api/v1/customer/join", method: "POST", body: ["link": link])
        case .resume: throw Failure(description: "A handed-over session is already joined.")
        }
    }

    private func call<T: Decodable>(_ path: String, method: String, body: [String: String]?) async throws -> T {
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
                throw Failure(description: problem.error.message)
            }
            throw Failure(description: "The support gateway answered with HTTP \(status).")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw Failure(description: "The support gateway sent an answer this applet does not understand.")
        }
    }
}
