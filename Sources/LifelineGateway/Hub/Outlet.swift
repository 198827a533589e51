import Foundation

/// The sending side of one WebSocket as the hub sees it: frames go into a stream that the
/// socket's own task writes out, so a slow socket never blocks the hub.
struct Outlet: Sendable {
    enum Frame: Sendable {
        case text(String)
        /// Screen updates of the remote desktop.
        case binary([UInt8])
        case close(reason: String)
    }

    let id = UUID()
    let continuation: AsyncStream<Frame>.Continuation

    static func make() -> (Outlet, AsyncStream<Frame>) {
        // A console that stops reading must not make the gateway buffer without end.
        let (stream, continuation) = AsyncStream<Frame>.makeStream(bufferingPolicy: .bufferingNewest(1_000))
        return (Outlet(continuation: continuation), stream)
    }

    func send(_ text: String) { continuation.yield(.text(text)) }

    func send(binary bytes: [UInt8]) { continuation.yield(.binary(bytes)) }

    func close(reason: String) {
        continuation.yield(.close(reason: reason))
        continuation.finish()
    }
}
