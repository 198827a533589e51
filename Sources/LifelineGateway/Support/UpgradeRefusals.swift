import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// The gateway's answers to WebSocket upgrades it refused, until the connection's guard writes
/// them. The WebSocket library answers every refused upgrade with an empty 400 of its own; a
/// browser's client, an API client and docs/protocol.md need the reason (401, 403 foreign_origin …).
final class UpgradeRefusals: Sendable {
    private let answers = NIOLockedValueBox<[ObjectIdentifier: ByteBuffer]>([:])

    func note(_ error: GatewayError, on channel: any NIOCore.Channel) {
        answers.withLockedValue { $0[ObjectIdentifier(channel)] = error.closingHTTP1Response }
    }

    func take(_ channel: any NIOCore.Channel) -> ByteBuffer? {
        answers.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func forget(_ channel: any NIOCore.Channel) {
        _ = take(channel)
    }
}

/// Outside the error middleware, which has made every error a `GatewayError`: notes the refusal
/// of a WebSocket upgrade for the connection's guard.
struct UpgradeRefusalMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let refusals: UpgradeRefusals

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as GatewayError where AuthenticationMiddleware.isWebSocketUpgrade(request) {
            refusals.note(error, on: context.channel)
            throw error
        }
    }
}
