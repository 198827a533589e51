import Foundation
import HTTPTypes
import HummingbirdWSClient
import LifelineProtocol
import Logging
import NIOCore

/// A real WebSocket client for tests: frames it receives queue up for `next`, frames to send go
/// through `send`. Used both as a fake applet and as a console without a browser.
final class SocketProbe: Sendable {
    private let received = Mailbox()
    private let outgoing: AsyncStream<WebSocketMessage>.Continuation
    /// Binary frames are kept as "binary:" + base64 among the text frames, in arrival order.
    static let binaryPrefix = "binary:"
    private let task: Task<WebSocketCloseFrame?, any Error>

    /// Connects; `headers` carry a cookie or Origin when a test needs them.
    init(port: Int, path: String, headers: HTTPFields = [:]) {
        let (outgoingStream, outgoing) = AsyncStream<WebSocketMessage>.makeStream()
        self.outgoing = outgoing
        let mailbox = received
        var logger = Logger(label: "probe")
        logger.logLevel = .critical
        task = Task {
            defer { Task { await mailbox.finish() } }
            return try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)\(path)", configuration: .init(maxFrameSize: 1 << 22, additionalHeaders: headers),
                logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await message in outgoingStream {
                            switch message {
                            case .text(let text): try await outbound.write(.text(text))
                            case .binary(let buffer): try await outbound.write(.binary(buffer))
                            }
                        }
                        try await outbound.close(.normalClosure, reason: "probe done")
                    }
                    group.addTask {
                        for try await frame in inbound.messages(maxSize: 1 << 22) {
                            switch frame {
                            case .text(let text): await mailbox.put(text)
                            case .binary(let buffer):
                                await mailbox.put(Self.binaryPrefix + Data(buffer.readableBytesView).base64EncodedString())
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    func send(_ text: String) { outgoing.yield(.text(text)) }
    func send(binary bytes: [UInt8]) { outgoing.yield(.binary(ByteBuffer(bytes: bytes))) }

    /// The next binary frame within `seconds`, skipping text frames.
    func nextBinary(within seconds: Double = 5) async -> [UInt8]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let item = await next(within: deadline.timeIntervalSinceNow) else { return nil }
            if item.hasPrefix(Self.binaryPrefix), let data = Data(base64Encoded: String(item.dropFirst(Self.binaryPrefix.count))) {
                return Array(data)
            }
        }
        return nil
    }
    func send<M: ChannelMessage>(_ message: M) { send(WireCodec.encode(message)) }

    /// Reads binary frames until one is a frame acknowledgement (to an applet) matching `predicate`.
    func expectAcknowledgement(within seconds: Double = 5, where predicate: (FrameAcknowledgement) -> Bool = { _ in true }) async throws -> FrameAcknowledgement {
        let deadline = Date().addingTimeInterval(seconds)
        while let bytes = await nextBinary(within: deadline.timeIntervalSinceNow) {
            if FrameAcknowledgement.isAcknowledgement(bytes), let acknowledgement = try? FrameAcknowledgement.decode(bytes),
               predicate(acknowledgement) { return acknowledgement }
        }
        throw HarnessError("No matching frame acknowledgement within \(seconds) s")
    }

    /// Closes from this side, like a customer whose network drops.
    func close() async {
        outgoing.finish()
        _ = try? await task.value
    }

    /// The socket's close frame (or the connection error) once the server ends it.
    func closed() async -> Result<WebSocketCloseFrame?, any Error> {
        await task.result
    }

    /// The next frame, or nil when the socket closed or nothing came within `seconds`.
    func next(within seconds: Double = 5) async -> String? {
        await received.take(within: seconds)
    }

    /// Whether the server closes the socket within `seconds`, whatever it sends before.
    func closes(within seconds: Double = 3) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await next(within: deadline.timeIntervalSinceNow) == nil { return await received.isFinished }
        }
        return false
    }

    /// Reads frames until one decodes to a message matching `predicate`.
    func expect<M: ChannelMessage>(_ type: M.Type, within seconds: Double = 5, where predicate: (M) -> Bool = { _ in true }) async throws -> M {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard let text = await next(within: deadline.timeIntervalSinceNow) else { break }
            if let message = try? WireCodec.decode(text, as: M.self), predicate(message) { return message }
        }
        throw HarnessError("No matching \(M.self) within \(seconds) s")
    }
}

/// Frames received and not yet read. Waiting with a timeout must not end the stream, which is
/// what cancelling an AsyncStream iteration would do.
actor Mailbox {
    private var items: [String] = []
    private(set) var finished = false
    var isFinished: Bool { finished && items.isEmpty }
    private var waiters: [UUID: CheckedContinuation<String?, Never>] = [:]

    func put(_ item: String) {
        if let (id, waiter) = waiters.first {
            waiters[id] = nil
            waiter.resume(returning: item)
        } else {
            items.append(item)
        }
    }

    func finish() {
        finished = true
        for waiter in waiters.values { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    func take(within seconds: Double) async -> String? {
        if !items.isEmpty { return items.removeFirst() }
        if finished { return nil }
        let id = UUID()
        Task {
            try? await Task.sleep(for: .milliseconds(Int(max(0, seconds) * 1_000)))
            self.expire(id)
        }
        return await withCheckedContinuation { waiters[id] = $0 }
    }

    private func expire(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume(returning: nil)
    }
}
