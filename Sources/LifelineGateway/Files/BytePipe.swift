import NIOCore

/// Bytes from one HTTP request body (the technician's upload) to another HTTP response (the
/// applet's download), at the pace of the slower side: the writer waits while a few megabytes are
/// buffered, so a file of any size costs bounded memory.
actor BytePipe {
    enum Failure: Error, Equatable {
        /// The writer stopped before the end (the reason says why).
        case broken(String)
        /// The reader went away.
        case readerGone
    }

    static let bufferLimit = 8 * 1024 * 1024
    private var chunks: [ByteBuffer] = []
    private var head = 0
    private var buffered = 0
    private var finished = false
    private var failure: String?
    private var readerGone = false
    private var readerWaiting: CheckedContinuation<Void, Never>?
    private var writerWaiting: CheckedContinuation<Void, Never>?

    func write(_ buffer: ByteBuffer) async throws(Failure) {
        while buffered >= Self.bufferLimit && !readerGone {
            await withCheckedContinuation { writerWaiting = $0 }
        }
        guard !readerGone else { throw .readerGone }
        chunks.append(buffer)
        buffered += buffer.readableBytes
        wakeReader()
    }

    /// The end of the bytes: `error` nil when all arrived.
    func finish(error: String? = nil) {
        finished = true
        failure = error
        wakeReader()
    }

    /// The next bytes, or nil at the end; throws when the writer broke off.
    func read() async throws(Failure) -> ByteBuffer? {
        while head == chunks.count && !finished {
            await withCheckedContinuation { readerWaiting = $0 }
        }
        if head < chunks.count {
            let chunk = chunks[head]
            head += 1
            buffered -= chunk.readableBytes
            if head > 64 {
                chunks.removeFirst(head)
                head = 0
            }
            wakeWriter()
            return chunk
        }
        if let failure { throw .broken(failure) }
        return nil
    }

    /// The transfer is called off from outside (the customer's applet disconnected, the session
    /// moved on): the reader sees the failure, a waiting writer is woken and fails.
    func abort(_ reason: String) {
        finish(error: reason)
        readerGone = true
        wakeWriter()
    }

    /// The reader stopped reading (the applet's connection dropped): the writer's next write fails.
    func abandon() {
        readerGone = true
        chunks.removeAll()
        head = 0
        buffered = 0
        wakeWriter()
    }

    private func wakeReader() {
        readerWaiting?.resume()
        readerWaiting = nil
    }

    private func wakeWriter() {
        writerWaiting?.resume()
        writerWaiting = nil
    }
}
