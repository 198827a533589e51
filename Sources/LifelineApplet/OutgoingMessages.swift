import LifelineProtocol

/// What the customer typed, waiting for a connection. While the applet reconnects, lines are
/// kept and sent once it is back, so nothing typed is lost.
actor OutgoingMessages {
    private var pending: [AppletToGateway] = []
    private var current: AsyncStream<AppletToGateway>.Continuation?

    func send(_ message: AppletToGateway) {
        if let current {
            current.yield(message)
        } else {
            pending.append(message)
        }
    }

    /// A stream for one connection, starting with what was typed while there was none.
    func attach() -> AsyncStream<AppletToGateway> {
        let (stream, continuation) = AsyncStream<AppletToGateway>.makeStream()
        pending.forEach { continuation.yield($0) }
        pending.removeAll()
        current = continuation
        return stream
    }

    func detach() {
        current?.finish()
        current = nil
    }
}
