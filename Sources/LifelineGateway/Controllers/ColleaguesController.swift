import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol

/// Colleagues working a session with its lead (I1, I3): invite, change what they may do, remove,
/// offer and accept the lead, and the technicians' private chat. Each answer is the session as
/// the caller sees it (its `colleagues` list).
struct ColleaguesController {
    let hub: SessionHub

    struct InviteRequest: Decodable {
        let technicianId: String
        /// The permissions chosen for this session; absent: all of the colleague's group's.
        let permissions: [String]?
        let comment: String?
    }

    struct PermissionsRequest: Decodable {
        let permissions: [String]?
    }

    /// A colleague named: the lead's offer, or who gets the mouse and keyboard.
    struct LeadOfferRequest: Decodable {
        let technicianId: String
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions/{id}/colleagues", use: invite)
        group.put("sessions/{id}/colleagues/{technicianId}", use: setPermissions)
        group.delete("sessions/{id}/colleagues/{technicianId}", use: remove)
        group.post("sessions/{id}/lead-offer", use: offerLead)
        group.delete("sessions/{id}/lead-offer", use: withdrawLeadOffer)
        group.post("sessions/{id}/lead", use: acceptLead)
        group.post("sessions/{id}/technician-messages", use: privateMessage)
        group.put("sessions/{id}/controller", use: giveControl)
    }

    @Sendable func invite(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: InviteRequest.self, context: context)
        let summary = try await hub.inviteColleague(body.technicianId, permissions: try Self.permissions(body.permissions),
                                                    comment: body.comment ?? "", to: try SessionsController.id(context),
                                                    by: actor, from: context.remoteAddress)
        return try JSONResponse.make(summary, status: .created)
    }

    @Sendable func setPermissions(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: PermissionsRequest.self, context: context)
        return try JSONResponse.make(try await hub.setColleaguePermissions(
            try Self.permissions(body.permissions), of: context.parameters.get("technicianId") ?? "", in: try SessionsController.id(context), by: actor))
    }

    @Sendable func remove(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.removeColleague(context.parameters.get("technicianId") ?? "",
                                                                   from: try SessionsController.id(context), by: actor))
    }

    @Sendable func offerLead(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: LeadOfferRequest.self, context: context)
        return try JSONResponse.make(try await hub.offerLead(to: body.technicianId, in: try SessionsController.id(context), by: actor))
    }

    @Sendable func withdrawLeadOffer(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.withdrawLeadOffer(in: try SessionsController.id(context), by: actor))
    }

    @Sendable func acceptLead(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.acceptLead(in: try SessionsController.id(context), by: actor))
    }

    @Sendable func privateMessage(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: SessionsController.MessageRequest.self, context: context)
        return try JSONResponse.make(try await hub.sendPrivateChat(body.text, to: try SessionsController.id(context), by: actor),
                                     status: .created)
    }

    /// The lead gives the customer's mouse and keyboard to a colleague who sees the screen, or
    /// takes them back (their own id).
    @Sendable func giveControl(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: LeadOfferRequest.self, context: context)
        try await hub.giveControl(to: body.technicianId, in: try SessionsController.id(context), by: actor)
        return Response(status: .noContent)
    }

    /// Names the lead chose; an unknown name is a clear error rather than silently dropped.
    static func permissions(_ names: [String]?) throws -> [Permission]? {
        guard let names else { return nil }
        do throws(UnknownPermission) {
            return try PermissionSet(rawValues: names).granted.sorted()
        } catch {
            throw GatewayError.badRequest("There is no permission named \(error.name).")
        }
    }
}
