import LifelineProtocol

/// What the applet sends, waiting for a connection. While the applet reconnects, messages are
/// kept and sent once it is back, so nothing typed is lost. Kept as the text that goes on the
/// wire: a sender that has it encoded already (a view asked again) sends it as it is.
actor OutgoingMessages {
    private var pending: [String] = []
    private var current: AsyncStream<String>.Continuation?

    /// Encoded by the sender's task, so a long answer does not hold the others back here.
    nonisolated func send(_ message: AppletToGateway) async {
        await send(text: WireCodec.encode(message))
    }

    func send(text: String) {
        if let current {
            current.yield(text)
        } else {
            pending.append(text)
        }
    }

    /// A stream for one connection, starting with what was typed while there was none.
    func attach() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
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
