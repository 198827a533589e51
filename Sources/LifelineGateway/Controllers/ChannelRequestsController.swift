import Foundation
import Hummingbird
import LifelineCore

/// The customer's side of channels (F2): the channel page's data, the HTML form an organisation
/// pastes on its own web site, and the request that puts a session in the channel queue.
/// Public: no sign-in; requests are rate-limited per address by the hub.
struct ChannelRequestsController {
    let hub: SessionHub
    let publicURL: String

    struct RequestBody: Decodable {
        let name: String?
        let fields: [String: String]?
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("channels/{token}", use: page)
        group.get("channels/{token}/form", use: form)
        group.post("channels/{token}/requests", use: request)
    }

    private func token(_ context: GatewayRequestContext) -> String {
        context.parameters.get("token") ?? ""
    }

    @Sendable func page(request: Request, context: GatewayRequestContext) async throws -> Response {
        try JSONResponse.make(try await hub.channelPage(token: token(context)))
    }

    @Sendable func request(request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: RequestBody.self, context: context)
        let accepted = try await hub.requestChannelSession(token: token(context), name: body.name, fields: body.fields ?? [:],
                                                           from: context.remoteAddress)
        return try JSONResponse.make(accepted, status: .created)
    }

    /// A plain HTML form for the organisation's site. It needs no script: it opens the channel
    /// page with what the customer typed, and that page sends the request.
    @Sendable func form(request: Request, context: GatewayRequestContext) async throws -> Response {
        let token = token(context)
        let page = try await hub.channelPage(token: token)
        var lines = [
            "<form action=\"\(HTML.escaped("\(publicURL)/ch/\(token)"))\" method=\"get\" class=\"lifeline-channel-form\">",
            "  <p><label>Your name <input name=\"name\" maxlength=\"100\" required></label></p>",
        ]
        for field in page.fields {
            let required = page.requiredFields.contains(field) ? " required" : ""
            lines.append("  <p><label>\(HTML.escaped(field)) <input name=\"field.\(HTML.escaped(field))\" maxlength=\"\(CustomFields.maximumValueLength)\"\(required)></label></p>")
        }
        lines += [
            "  <input type=\"hidden\" name=\"send\" value=\"1\">",
            "  <p><button type=\"submit\">Get help from \(HTML.escaped(page.organisation)) (\(HTML.escaped(page.name)))</button></p>",
            "</form>",
        ]
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }
}

/// Text placed in HTML this gateway writes itself.
enum HTML {
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
