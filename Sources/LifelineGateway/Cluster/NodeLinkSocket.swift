import Foundation
import HummingbirdWebSocket
import LifelineProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// `/cluster/v1/link`: another gateway node's link to this one (issue 20, step 3). Console messages
/// (and a console's own screen frames, H1) about sessions this node serves come in with the login they were sent with and are handled as
/// from a console here — through one stand-in outlet per technician, whose frames (answers, the
/// remote desktop's status and screen updates) go back over this node's own link to that node.
/// What this node is sent for its own consoles is passed to them.
struct NodeLinkSocket {
    let hub: SessionHub
    let accounts: Accounts
    let console: ConsoleSocket

    func run(inbound: WebSocketInboundStream, from nodeId: String, logger: Logger) async {
        guard let node = hub.clusterNode.withLockedValue({ $0 }) else { return }
        let standIns = NIOLockedValueBox<[String: Outlet]>([:])
        do {
            // A gateway that stops ends its links: the other node opens a new one to whoever serves next.
            try await cancelWhenGracefulShutdown {
                try await receive(inbound, from: nodeId, node: node, standIns: standIns, logger: logger)
            }
        } catch {
            logger.warning("A gateway node's link closed", metadata: ["node.id": "\(nodeId)", "error": "\(error)"])
        }
        for (technicianId, standIn) in standIns.withLockedValue({ $0 }) {
            await hub.otherNodeConsolesGone(technicianId: technicianId, outletId: standIn.id)
            standIn.close(reason: "link closed")
        }
    }

    /// What came over the link for one technician's consoles there, handled in order — and apart
    /// from other technicians', as their own consoles' sockets would be.
    private enum FromTechnician: Sendable {
        case message(tokenHash: String, viaCookie: Bool, text: String)
        /// A binary frame of their console (their own screen, H1).
        case frame(tokenHash: String, viaCookie: Bool, bytes: [UInt8])
        case gone
    }

    private func receive(_ inbound: WebSocketInboundStream, from nodeId: String, node: ClusterNode,
                         standIns: NIOLockedValueBox<[String: Outlet]>, logger: Logger) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            var inboxes: [String: AsyncStream<FromTechnician>.Continuation] = [:]
            defer { for inbox in inboxes.values { inbox.finish() } }
            func inbox(of technicianId: String) -> AsyncStream<FromTechnician>.Continuation {
                if let known = inboxes[technicianId] { return known }
                let (stream, inbox) = AsyncStream<FromTechnician>.makeStream()
                inboxes[technicianId] = inbox
                group.addTask {
                    for await item in stream {
                        await handle(item, of: technicianId, from: nodeId, node: node, standIns: standIns, logger: logger)
                    }
                }
                return inbox
            }
            for try await message in inbound.messages(maxSize: ScreenUpdate.maximumFrameBytes + 256) {
                switch message {
                case .text(let text):
                    let decoded: LinkMessage
                    do {
                        decoded = try JSONDecoder().decode(LinkMessage.self, from: Data(text.utf8))
                    } catch {
                        logger.error("A gateway node sent a message this node cannot read", metadata: ["node.id": "\(nodeId)", "error": "\(error)"])
                        continue
                    }
                    switch decoded {
                    case .fromConsole(let technicianId, let tokenHash, let viaCookie, let consoleText):
                        inbox(of: technicianId).yield(.message(tokenHash: tokenHash, viaCookie: viaCookie, text: consoleText))
                    case .toConsoles(let technicianId, let consoleText):
                        hub.sockets.sendToLocalConsoles(of: technicianId, consoleText)
                    case .consolesGone(let technicianId):
                        inbox(of: technicianId).yield(.gone)
                    }
                case .binary(let buffer):
                    let frame = Array(buffer.readableBytesView)
                    if let fromConsole = LinkMessage.unpackFromConsole(frame) {
                        inbox(of: fromConsole.technicianId).yield(.frame(tokenHash: fromConsole.tokenHash, viaCookie: fromConsole.viaCookie,
                                                                         bytes: fromConsole.bytes))
                        continue
                    }
                    guard let (technicianId, bytes) = LinkMessage.unpack(frame) else { continue }
                    for local in hub.sockets.localConsoles(of: technicianId) {
                        hub.screenRelay.updatesOutlet(for: local, frame: bytes).send(binary: bytes)
                    }
                }
            }
        }
    }

    private func handle(_ item: FromTechnician, of technicianId: String, from nodeId: String, node: ClusterNode,
                        standIns: NIOLockedValueBox<[String: Outlet]>, logger: Logger) async {
        switch item {
        case .message(let tokenHash, let viaCookie, let text):
            await handle(.text(text), of: technicianId, tokenHash: tokenHash, viaCookie: viaCookie, from: nodeId, node: node,
                         standIns: standIns, logger: logger)
        case .frame(let tokenHash, let viaCookie, let bytes):
            await handle(.binary(ByteBuffer(bytes: bytes)), of: technicianId, tokenHash: tokenHash, viaCookie: viaCookie, from: nodeId,
                         node: node, standIns: standIns, logger: logger)
        case .gone:
            if let standIn = standIns.withLockedValue({ $0.removeValue(forKey: technicianId) }) {
                await hub.otherNodeConsolesGone(technicianId: technicianId, outletId: standIn.id)
                standIn.close(reason: "consoles gone")
            }
        }
    }

    /// One console message or frame, handled here as from the technician's stand-in.
    private func handle(_ message: WebSocketMessage, of technicianId: String, tokenHash: String, viaCookie: Bool, from nodeId: String,
                        node: ClusterNode, standIns: NIOLockedValueBox<[String: Outlet]>, logger: Logger) async {
        do {
            guard let standIn = try await standIn(for: technicianId, tokenHash: tokenHash, viaCookie: viaCookie,
                                                  from: nodeId, node: node, known: standIns) else { return }
            await console.handle(message, outlet: standIn, logger: logger, forwardable: false)
        } catch {
            logger.error("A console message from another gateway node could not be handled",
                         metadata: ["node.id": "\(nodeId)", "technician.id": "\(technicianId)", "error": "\(error)"])
        }
    }

    /// The technician's stand-in here for their consoles on `nodeId`, made at their first message:
    /// authenticated with their login, its frames sent back over this node's link to that node.
    private func standIn(for technicianId: String, tokenHash: String, viaCookie: Bool, from nodeId: String, node: ClusterNode,
                         known standIns: NIOLockedValueBox<[String: Outlet]>) async throws -> Outlet? {
        if let known = standIns.withLockedValue({ $0[technicianId] }), hub.identities.actor(of: known.id, at: accounts.environment.now()) != nil {
            return known
        }
        if let stale = standIns.withLockedValue({ $0.removeValue(forKey: technicianId) }) {
            await hub.otherNodeConsolesGone(technicianId: technicianId, outletId: stale.id)
            stale.close(reason: "signed out")
        }
        guard let actor = try await accounts.actor(forTokenHash: tokenHash, viaCookie: viaCookie), actor.id == technicianId else {
            hub.logger.warning("A gateway node passed a console message with a login that is not valid here",
                               metadata: ["node.id": "\(nodeId)", "technician.id": "\(technicianId)"])
            return nil
        }
        let (outlet, frames) = Outlet.make()
        hub.identities.register(outlet.id, actor: actor, expiresAt: actor.tokenExpiresAt)
        hub.sockets.addConsole(outlet, of: technicianId, standingFor: nodeId)
        hub.remember(actor)
        standIns.withLockedValue { $0[technicianId] = outlet }
        let links = node.links
        Task {
            for await frame in frames {
                switch frame {
                case .text(let text): await links.send(.toConsoles(technicianId: technicianId, text: text), to: nodeId)
                case .binary(let bytes): await links.send(binary: bytes, for: technicianId, to: nodeId)
                case .close: return
                }
            }
        }
        return outlet
    }
}
