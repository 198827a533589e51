import Foundation
import Hummingbird

/// Encodes API answers the same way everywhere: ISO 8601 times, sorted keys, never cached.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status,
                        headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// Decodes the JSON body, turning any failure into a clear 400.
    func decodeJSON<T: Decodable>(as type: T.Type, context: GatewayRequestContext) async throws -> T {
        do {
            return try await decode(as: type, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ErrorMiddleware<GatewayRequestContext>.translate(error)
        } catch {
            throw GatewayError.badRequest("The request body is not the JSON this endpoint expects. See docs/openapi.yaml.")
        }
    }
}
