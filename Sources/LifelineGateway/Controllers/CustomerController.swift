import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import NIOPosix

/// The customer's way in: check a PIN or link, join, download the applet (F1, G1).
/// No sign-in; PIN guesses are rate-limited per address by the hub.
struct CustomerController {
    let hub: SessionHub
    let appletBinaryPath: String?

    struct PinRequest: Decodable {
        let pin: String
    }

    struct JoinRequest: Decodable {
        let pin: String?
        let link: String?
        /// The applet sends true once the customer accepted the organisation's terms.
        let acceptedTerms: Bool?
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("customer/pin-check", use: pinCheck)
        group.get("customer/links/{token}", use: linkCheck)
        group.post("customer/join", use: join)
        group.post("customer/decline", use: decline)
    }

    struct DeclineRequest: Decodable {
        let pin: String?
        let link: String?
        let reason: CustomerRefusal
    }

    /// The customer said no in the applet before joining: the technician is told.
    @Sendable func decline(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: DeclineRequest.self, context: context)
        try await hub.customerDeclined(try Self.credential(pin: body.pin, link: body.link), body.reason, from: context.remoteAddress)
        return Response(status: .noContent)
    }

    static func credential(pin: String?, link: String?) throws(GatewayError) -> SessionHub.Credential {
        switch (pin, link) {
        case (let pin?, nil): .pin(pin)
        case (nil, let link?): .link(CustomerLink.token(from: link))
        default: throw GatewayError.badRequest("Send either \"pin\" or \"link\".")
        }
    }

    @Sendable func pinCheck(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: PinRequest.self, context: context)
        return try JSONResponse.make(try await hub.invitation(for: .pin(body.pin), from: context.remoteAddress))
    }

    @Sendable func linkCheck(request: Request, context: GatewayRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        return try JSONResponse.make(try await hub.invitation(for: .link(token), from: context.remoteAddress))
    }

    @Sendable func join(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: JoinRequest.self, context: context)
        let credential = try Self.credential(pin: body.pin, link: body.link)
        return try JSONResponse.make(try await hub.join(with: credential, from: context.remoteAddress, acceptedTerms: body.acceptedTerms == true))
    }

    /// The applet binary this gateway was built with (Linux x86_64).
    @Sendable func download(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let path = appletBinaryPath, FileManager.default.isReadableFile(atPath: path) else {
            throw GatewayError(.appletUnavailable,
                               "This gateway has no applet binary to offer. Ask your technician for the applet.")
        }
        let data = try await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: URL(fileURLWithPath: path)) }
        return Response(status: .ok, headers: [
            .contentType: "application/octet-stream",
            .contentDisposition: "attachment; filename=\"lifeline-applet\"",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
