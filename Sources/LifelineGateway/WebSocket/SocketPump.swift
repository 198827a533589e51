import HummingbirdWebSocket
import LifelineProtocol
import NIOCore
import Logging
import ServiceLifecycle

/// Runs one WebSocket: writes what the hub queues for it while `read` handles what arrives.
/// Whichever side ends first ends the other. On graceful shutdown the socket gets a proper close
/// frame, so applets and consoles know to reconnect to the next gateway process.
enum SocketPump {
    static func run(
        outlet: Outlet, frames: AsyncStream<Outlet.Frame>, outbound: WebSocketOutboundWriter, logger: Logger,
        read: @escaping @Sendable () async throws -> Void
    ) async {
        await withGracefulShutdownHandler {
            await pump(outlet: outlet, frames: frames, outbound: outbound, logger: logger, read: read)
        } onGracefulShutdown: {
            outlet.close(reason: "gateway restarting")
        }
    }

    /// How long the writer may take to send what was queued (an error, the close frame) after
    /// the reading side ended.
    static let drainGrace: Duration = .seconds(2)

    private static func pump(
        outlet: Outlet, frames: AsyncStream<Outlet.Frame>, outbound: WebSocketOutboundWriter, logger: Logger,
        read: @escaping @Sendable () async throws -> Void
    ) async {
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await frame in frames {
                        switch frame {
                        case .text(let text):
                            try await outbound.write(.text(text))
                        case .binary(let bytes):
                            try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                        case .close(let reason):
                            try await outbound.close(.normalClosure, reason: reason)
                            return true
                        }
                    }
                    return true
                }
                group.addTask { try await read(); return false }
                let writerEnded = try await group.next() ?? true
                if !writerEnded {
                    // Cancelling the writer now could drop the error that explains the close, or
                    // cut the close frame half sent, leaving the peer waiting for the handshake.
                    outlet.continuation.finish()
                    group.addTask { try await Task.sleep(for: drainGrace); return false }
                    _ = try await group.next()
                }
                group.cancelAll()
            }
        } catch {
            // A peer that vanishes mid-write is ordinary on a network; note it for debugging only.
            logger.debug("WebSocket ended with an error", metadata: ["error": "\(error)"])
        }
    }
}

extension WebSocketInboundStream {
    /// Hands each text frame, decoded as `M`, to `body`; a binary frame or one that is not an `M`
    /// is answered through `refuse` (code, message) and skipped: the socket stays open.
    func eachMessage<M: ChannelMessage>(_ type: M.Type, refuse: (String, String) -> Void,
                                        _ body: (M) async throws -> Void) async throws {
        for try await message in messages(maxSize: WireProtocol.maximumFrameBytes) {
            guard case .text(let text) = message else {
                refuse(ErrorCode.unexpectedFrame.rawValue, "This socket takes text frames only.")
                continue
            }
            let decoded: M
            do throws(WireError) {
                decoded = try WireCodec.decode(text, as: M.self)
            } catch {
                refuse(error.code, error.description)
                continue
            }
            try await body(decoded)
        }
    }
}
