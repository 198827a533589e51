import Foundation
import Hummingbird
import HummingbirdWebSocket
import LifelineCore
import LifelineStore
import NIOCore

/// The signed-in technician behind a request.
public struct Actor: Sendable, Equatable {
    public let technician: Technician
    public let organisationName: String
    public let permissions: PermissionSet
    /// The hash of the token the request came with, so logout can revoke exactly that login.
    public let tokenHash: String
    public let viaCookie: Bool
    /// When that login ends: a console socket checks it on every message without the store.
    public let tokenExpiresAt: Date

    public var id: String { technician.id }

    func require(_ permission: Permission) throws(GatewayError) {
        guard permissions.allows(permission) else { throw .forbidden(permission) }
    }
}

public struct GatewayRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public var actor: Actor?
    /// The peer's address, the key for rate limits (the customer's, when another gateway node
    /// forwarded the request and vouched for it).
    public var remoteAddress: String
    /// The connection, for what must end it (a stalled transfer).
    let channel: any NIOCore.Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        actor = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        channel = source.channel
    }

    /// The signed-in technician, or 401.
    func requireActor() throws(GatewayError) -> Actor {
        guard let actor else { throw .unauthenticated }
        return actor
    }

    /// The signed-in administrator (master or scoped), or 401 / 403.
    func requireAdministrator() throws(GatewayError) -> Actor {
        let actor = try requireActor()
        guard actor.technician.role.isAdministrator else { throw .administratorsOnly }
        return actor
    }

    /// The master administrator or an administrator given the whole organisation: what belongs
    /// to every group (settings, channels, surveys, Calling Cards, the audit log) is theirs (R1).
    func requireOrganisationAdministrator() throws(GatewayError) -> Actor {
        let actor = try requireAdministrator()
        guard AdminScope.isOrganisationWide(actor) else { throw AdminScope.outsideScope }
        return actor
    }
}
