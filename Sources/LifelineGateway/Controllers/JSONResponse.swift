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
            // The context's decoder directly: its errors say which field is wrong, in our words.
            return try await context.requestDecoder.decode(type, from: self, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ErrorMiddleware<GatewayRequestContext>.translate(error)
        } catch let error as GatewayError {
            throw error
        } catch let error as DecodingError {
            throw GatewayError.badRequest(Self.describe(error))
        } catch {
            throw GatewayError.badRequest("The request body is not the JSON this endpoint expects. See docs/openapi.yaml.")
        }
    }

    /// Which field is wrong and how, in the words a client's developer needs.
    static func describe(_ error: DecodingError) -> String {
        func name(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        let guide = " See docs/openapi.yaml."
        switch error {
        case .keyNotFound(let key, let context):
            return "The field \(name(context.codingPath + [key])) is missing." + guide
        case .typeMismatch(let type, let context):
            return "The field \(name(context.codingPath)) is not \(Self.article(type))." + guide
        case .valueNotFound(_, let context):
            return "The field \(name(context.codingPath)) must not be null." + guide
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "The request body is not valid JSON." + guide
        case .dataCorrupted(let context):
            return "The field \(name(context.codingPath)) has a value this endpoint does not take." + guide
        @unknown default:
            return "The request body is not the JSON this endpoint expects." + guide
        }
    }

    private static func article(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "a list"
        default: "of the expected type"
        }
    }
}
