import Hummingbird
import HummingbirdWebSocket

/// The sockets' addresses take WebSocket upgrades only: a plain GET is told so (426), not
/// answered with an empty 200.
enum WebSocketUpgrade {
    static func required(_ request: Request) throws(GatewayError) -> RouterShouldUpgrade {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw GatewayError(.upgradeRequired, "This address takes WebSocket connections only (see docs/protocol.md).")
        }
        return .upgrade([:])
    }
}
