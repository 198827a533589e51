import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import NIOPosix

/// The customer's way in: check a PIN or link, join, download the applet (F1, G1).
/// No sign-in; PIN guesses are rate-limited per address by the hub.
struct CustomerController {
    let hub: SessionHub
    let applet: AppletDownload
    /// The gateway's own address for the launcher (never the request's Host header).
    let publicURL: String

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
        group.post("customer/resume", use: resume)
        group.get("customer/applet", use: appletInfo)
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

    /// The applet started after a restart (M1–M3) rejoins with its single-use ticket.
    @Sendable func resume(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: ResumeRequest.self, context: context)
        return try JSONResponse.make(try await hub.resume(ticket: body.ticket, from: context.remoteAddress))
    }

    static let noApplet = GatewayError(.appletUnavailable, "This gateway has no applet binary to offer. Ask your technician for the applet.")

    /// The applet's size and SHA-256, for the pages to show and the commands to check.
    @Sendable func appletInfo(request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let info = try await applet.info() else { throw Self.noApplet }
        return try JSONResponse.make(info)
    }

    /// The one-click launcher (issue 16): a .desktop file that fetches, checks and starts the
    /// applet with the PIN or link in the query. Nothing is looked up, so it tells a guesser nothing.
    @Sendable func launcher(request: Request, context: GatewayRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let credential: DesktopLauncher.Credential
        switch (query["pin"].map(String.init), query["link"].map(String.init)) {
        case (let pin?, nil): credential = .pin(pin)
        case (nil, let link?): credential = .link(CustomerLink.token(from: link))
        default: throw GatewayError.badRequest("Send either pin or link.")
        }
        guard credential.isPlain else { throw GatewayError.badRequest("A PIN is six digits; a link is the one your technician sent.") }
        guard let info = try await applet.info() else { throw Self.noApplet }
        let name = if case .pin(let pin) = credential { "Lifeline support (PIN \(pin))" } else { "Lifeline support" }
        guard let entry = DesktopLauncher.entry(gateway: publicURL, credential: credential, sha256: info.sha256, name: name) else {
            throw GatewayError(.appletUnavailable, "This gateway's address cannot be put in a launcher; use the command instead.")
        }
        return Response(status: .ok, headers: [
            .contentType: "application/x-desktop; charset=utf-8",
            .contentDisposition: "attachment; filename=\"lifeline-support.desktop\"",
        ], body: .init(byteBuffer: ByteBuffer(string: entry)))
    }

    /// The applet binary this gateway was built with (Linux x86_64), streamed from disk; gzip on
    /// the wire when the client takes it and the gateway has the compressed copy.
    @Sendable func download(request: Request, context: GatewayRequestContext) async throws -> Response {
        let acceptsGzip = AcceptEncoding.allowsGzip(request.headers[.acceptEncoding])
        guard let choice = await applet.download(acceptsGzip: acceptsGzip) else { throw Self.noApplet }
        let body = try await FileIO().loadFile(path: choice.path, context: context)
        var headers: HTTPFields = [
            .contentType: "application/octet-stream",
            .contentDisposition: "attachment; filename=\"lifeline-applet\"",
            .vary: "Accept-Encoding",
        ]
        if choice.gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: body)
    }
}
