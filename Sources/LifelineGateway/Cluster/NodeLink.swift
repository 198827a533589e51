import Foundation
import HTTPTypes
import HummingbirdWSClient
import LifelineProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// What gateway nodes send each other over their links (issue 20, step 3): a console's message
/// (or its own screen's frame, H1) about a session another node serves goes to that node, and what
/// that node has for the technician's consoles (answers, the remote desktop's status and screen
/// updates) comes back.
enum LinkMessage: Codable, Sendable, Equatable {
    /// A console message for the node serving its session, with the login it came with.
    case fromConsole(technicianId: String, tokenHash: String, viaCookie: Bool, text: String)
    /// For every console of the technician on the receiving node.
    case toConsoles(technicianId: String, text: String)
    /// The sending node has no console of the technician left.
    case consolesGone(technicianId: String)

    /// A binary frame for the technician's consoles: the technician id's length (one byte), the
    /// id, then the frame as consoles take it.
    static func binary(_ bytes: [UInt8], for technicianId: String) -> [UInt8] {
        let id = Array(technicianId.utf8.prefix(255))
        return [UInt8(id.count)] + id + bytes
    }

    static func unpack(_ frame: [UInt8]) -> (technicianId: String, bytes: [UInt8])? {
        guard let length = frame.first.map(Int.init), length > 0, frame.count > length else { return nil }
        return (String(decoding: frame[1...length], as: UTF8.self), Array(frame[(length + 1)...]))
    }

    /// A console's binary frame (the technician's own screen, H1) for the node serving its
    /// session: a zero byte (no technician id is empty, so it is told apart from `binary`), the
    /// technician id and the login's hash (each after its length byte), 1 when the login came as a
    /// cookie, then the frame as the console sent it.
    static func fromConsole(_ bytes: [UInt8], technicianId: String, tokenHash: String, viaCookie: Bool) -> [UInt8] {
        let id = Array(technicianId.utf8.prefix(255)), hash = Array(tokenHash.utf8.prefix(255))
        return [0, UInt8(id.count)] + id + [UInt8(hash.count)] + hash + [viaCookie ? 1 : 0] + bytes
    }

    struct ConsoleFrame: Equatable, Sendable {
        let technicianId: String
        let tokenHash: String
        let viaCookie: Bool
        let bytes: [UInt8]
    }

    static func unpackFromConsole(_ frame: [UInt8]) -> ConsoleFrame? {
        guard frame.count > 2, frame[0] == 0 else { return nil }
        var at = 1
        func field() -> String? {
            guard at < frame.count else { return nil }
            let length = Int(frame[at])
            guard length > 0, at + length < frame.count else { return nil }
            defer { at += 1 + length }
            return String(decoding: frame[(at + 1)...(at + length)], as: UTF8.self)
        }
        guard let technicianId = field(), let tokenHash = field(), at < frame.count else { return nil }
        return ConsoleFrame(technicianId: technicianId, tokenHash: tokenHash, viaCookie: frame[at] == 1, bytes: Array(frame[(at + 1)...]))
    }
}

/// This node's links to the others, one WebSocket to each node it has something for, opened at
/// the first message and again after one broke (a message sent meanwhile waits for it, a while).
final class NodeLinks: Sendable {
    enum Frame: Sendable {
        case text(String)
        case binary([UInt8])
    }

    private let links = NIOLockedValueBox<[String: AsyncStream<Frame>.Continuation]>([:])
    let node: ClusterNode
    let logger: Logger

    init(node: ClusterNode, logger: Logger) {
        self.node = node
        self.logger = logger
    }

    /// Ends every link (the gateway stops).
    func closeAll() {
        for link in links.withLockedValue({ links in defer { links = [:] }; return Array(links.values) }) { link.finish() }
    }

    func send(_ message: LinkMessage, to nodeId: String) async {
        guard let frame = frame(of: message) else { return }
        await send(frame, to: nodeId)
    }

    private func frame(of message: LinkMessage) -> Frame? {
        do {
            return .text(String(decoding: try JSONEncoder().encode(message), as: UTF8.self))
        } catch {
            logger.error("A message for another gateway node could not be written", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// `send` without waiting, in order with the messages before it, for a node heard from at the
    /// last heartbeat (or already linked); others are not sent to.
    func sendNow(_ message: LinkMessage, to nodeIds: [String]) {
        guard !nodeIds.isEmpty, let frame = frame(of: message) else { return }
        sendNow(frame, to: nodeIds)
    }

    /// `sendNow` for a binary frame meant for the technician's consoles on those nodes.
    func sendNow(binary bytes: [UInt8], for technicianId: String, to nodeIds: [String]) {
        guard !nodeIds.isEmpty else { return }
        sendNow(.binary(LinkMessage.binary(bytes, for: technicianId)), to: nodeIds)
    }

    private func sendNow(_ frame: Frame, to nodeIds: [String]) {
        for nodeId in nodeIds {
            if let link = links.withLockedValue({ $0[nodeId] }) {
                link.yield(frame)
            } else if let address = node.knownAddress(of: nodeId) {
                open(to: nodeId, at: address).yield(frame)
            }
        }
    }

    func send(binary bytes: [UInt8], for technicianId: String, to nodeId: String) async {
        await send(.binary(LinkMessage.binary(bytes, for: technicianId)), to: nodeId)
    }

    /// A console's binary frame, with its login, for the node serving its session.
    func send(consoleFrame bytes: [UInt8], by actor: Actor, to nodeId: String) async {
        await send(.binary(LinkMessage.fromConsole(bytes, technicianId: actor.id, tokenHash: actor.tokenHash, viaCookie: actor.viaCookie)),
                   to: nodeId)
    }

    private func send(_ frame: Frame, to nodeId: String) async {
        if let link = links.withLockedValue({ $0[nodeId] }) {
            link.yield(frame)
            return
        }
        guard let address = await node.address(ofNodeIfKnown: nodeId) else {
            logger.warning("No address for a gateway node: a message for it is dropped", metadata: ["node.id": "\(nodeId)"])
            return
        }
        open(to: nodeId, at: address).yield(frame)
    }

    /// The link to the node: the one open, or a new one (its socket opened in the background).
    private func open(to nodeId: String, at address: String) -> AsyncStream<Frame>.Continuation {
        let (stream, continuation) = AsyncStream<Frame>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let (link, opened) = links.withLockedValue { links -> (AsyncStream<Frame>.Continuation, Bool) in
            if let existing = links[nodeId] { return (existing, false) }
            links[nodeId] = continuation
            return (continuation, true)
        }
        if opened { Task { await run(stream, to: nodeId, at: address) } }
        return link
    }

    private func run(_ frames: AsyncStream<Frame>, to nodeId: String, at address: String) async {
        let path = "/cluster/v1/link"
        let url = (address.hasPrefix("https") ? "wss" : "ws") + address.drop { $0 != ":" } + path
        var headers = HTTPFields()
        headers[NodeForwarding.node] = node.id
        headers[NodeForwarding.forwardedSignature] = node.forwarding.signature(address: node.id, method: "GET", path: path,
                                                                                at: node.forwarding.now())
        do {
            _ = try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: ScreenUpdate.maximumFrameBytes + 256, additionalHeaders: headers),
                logger: logger
            ) { _, outbound, _ in
                for await frame in frames {
                    switch frame {
                    case .text(let text): try await outbound.write(.text(text))
                    case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                    }
                }
            }
        } catch {
            logger.warning("The link to another gateway node broke", metadata: ["node.id": "\(nodeId)", "error": "\(error)"])
        }
        // The next message opens it again.
        links.withLockedValue { $0[nodeId] = nil }
    }
}
