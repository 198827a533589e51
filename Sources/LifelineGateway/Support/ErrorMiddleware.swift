import Foundation
import Hummingbird
import Logging

/// Turns every error that is not already a `GatewayError` into the JSON error shape, so a client
/// never sees an empty body or a stack trace.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routeMethods: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as GatewayError {
            throw error
        } catch let error as HTTPError where error.status == .notFound {
            // An address the gateway has, asked with a method it does not take.
            let allowed = routeMethods.allowed(for: request.uri.path)
            guard !allowed.isEmpty else { throw Self.translate(error) }
            var refusal = GatewayError(.methodNotAllowed, "This address takes \(allowed.joined(separator: ", ")), not \(request.method.rawValue).")
            refusal.allow = allowed.joined(separator: ", ")
            throw refusal
        } catch let error as HTTPError {
            throw Self.translate(error)
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            throw GatewayError(.internalError, "Something went wrong on the gateway. It has been logged.")
        }
    }

    static func translate(_ error: HTTPError) -> GatewayError {
        switch error.status {
        case .notFound: return GatewayError(.notFound, "There is nothing at this address.")
        case .badRequest: return .badRequest(error.body ?? "The request could not be read. Send JSON as documented.")
        case .contentTooLarge: return GatewayError(.tooLarge, "The request is too large.")
        case .methodNotAllowed: return GatewayError(.methodNotAllowed, "This address does not take that method.")
        case .unauthorized: return .unauthenticated
        default: return GatewayError.http(error.status, message: error.body ?? error.status.reasonPhrase)
        }
    }
}
