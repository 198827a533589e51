import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The checks every action on a session's customer side starts with, in one place: the actor's
/// own live session (anyone else's answers "not found"), Active when the action needs it, and the
/// customer's applet connected.
extension SessionHub {
    func ownedLiveSession(_ id: String, by actor: Actor) async throws -> SessionRecord {
        let record = try await visibleSession(id, by: actor)
        guard registry.record(id) != nil, record.technicianId == actor.id else { throw GatewayError.sessionNotFound }
        return record
    }

    /// The session the actor works on with `permission`: their own, or one they collaborate in
    /// (I1, A5: every permission of their group applies unless the lead chose fewer for them). A
    /// colleague invited, or on hold for themselves, does not work on it now (409); the lead's
    /// session must be in `leadStates` (nil: the caller checks). Refusals in the usual order: not
    /// theirs 404, the permission 403, the state 409.
    func workedSession(_ id: String, by actor: Actor, permission: Permission, activeOnly: String,
                       leadStates: Set<SessionState>? = [.active, .collaboration]) async throws -> SessionRecord {
        let record = try await visibleSession(id, by: actor)
        guard registry.record(id) != nil, let work = work(on: record, by: actor) else { throw GatewayError.sessionNotFound }
        try actor.require(permission)
        let isLead = record.technicianId == actor.id
        // A colleague's permissions are the group's as the lead chose: the lead may have left this one out.
        guard work.permissions.allows(permission) else { throw GatewayError.collaboration(.notPermitted(permission)) }
        if isLead {
            guard leadStates?.contains(work.state) != false else {
                throw GatewayError(.sessionNotActive, "\(activeOnly) in an active session only.")
            }
        } else {
            guard work.state == .collaboration else {
                throw GatewayError(.sessionNotActive, "\(activeOnly) while you collaborate in the session only.")
            }
        }
        return record
    }

    /// How the actor works on the session: their state in it (the lead's view, or their own as a
    /// colleague) and what they may do there (their group's permissions; a colleague's as the lead
    /// chose, never more). Nil when it is not theirs to work on.
    func work(on record: SessionRecord, by actor: Actor) -> (state: SessionState, permissions: PermissionSet)? {
        if record.technicianId == actor.id { return (record.machine.state, actor.permissions) }
        guard let view = record.otherViews[actor.id], record.collaborations[actor.id] != nil else { return nil }
        return (view.state, PermissionSet(sessionPermissions(of: actor, in: record)))
    }

    /// `activeOnly` completes the refusal: "Files can be sent" → "… in an active session only."
    /// The order of the refusals is part of the contract (the authorization matrix tests it):
    /// someone else's session is "not found", then a missing permission is 403, then the state 409.
    func ownedActiveSession(_ id: String, by actor: Actor, permission: Permission? = nil, activeOnly: String) async throws -> SessionRecord {
        let record = try await ownedLiveSession(id, by: actor)
        if let permission { try actor.require(permission) }
        guard record.machine.state == .active || record.machine.state == .collaboration else {
            throw GatewayError(.sessionNotActive, "\(activeOnly) in an active session only.")
        }
        return record
    }

    /// The customer's connection, the applet's or Instant Chat's: for what both can show (chat, links).
    func connectedCustomer(of id: String) throws -> Outlet {
        guard let customer = sockets.applet(of: id) else {
            throw GatewayError(.customerNotConnected, "The customer's applet is not connected right now.")
        }
        return customer
    }

    /// The customer's applet, for the tools Instant Chat cannot offer (G2: "chat only").
    func connectedApplet(of id: String) throws -> Outlet {
        if registry.record(id)?.sessionType.hasAppletTools == false { throw GatewayError.noAppletToolsInLens }
        let customer = try connectedCustomer(of: id)
        if registry.record(id)?.customer?.chatOnly == true { throw GatewayError.chatOnly }
        return customer
    }
}
