import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// Channels (F2, R2), administered here; the customer side is `ChannelRequestsController`.
struct ChannelsController {
    let store: any Store
    let hub: SessionHub
    let publicURL: String
    let environment: GatewayEnvironment
    /// New channels of one organisation take turns: the limit is counted and kept in one step.
    let turns = KeyedLocks()

    struct ChannelRequest: Decodable {
        let name: String?
        let groupIds: [String]?
        let unavailableMessage: String?
        let whenUnavailable: ChannelRules.WhenUnavailable?
        let workingHours: WorkingHours?
        /// PATCH only: true removes the working hours (always open).
        let alwaysOpen: Bool?
    }

    struct ChannelView: Encodable {
        let id: String
        let name: String
        let link: String
        let groupIds: [String]
        let unavailableMessage: String
        let whenUnavailable: ChannelRules.WhenUnavailable
        let workingHours: WorkingHours?
    }

    static let defaultUnavailableMessage = "No technician is available right now. Please try again later."

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("admin/channels", use: list)
        group.post("admin/channels", use: create)
        group.patch("admin/channels/{id}", use: update)
        group.delete("admin/channels/{id}", use: delete)
    }

    private func view(_ channel: Channel) -> ChannelView {
        ChannelView(id: channel.id, name: channel.name, link: "\(publicURL)/ch/\(channel.publicToken)", groupIds: channel.groupIds,
                    unavailableMessage: channel.unavailableMessage, whenUnavailable: channel.whenUnavailable,
                    workingHours: channel.workingHours)
    }


    /// The channel of the actor's organisation; any other is "not found".
    private func ownChannel(_ context: GatewayRequestContext, of actor: Actor) async throws -> Channel {
        let notFound = GatewayError(.channelNotFound, "There is no such channel.")
        guard let id = context.parameters.get("id") else { throw notFound }
        // Two steps, not one guard: the release compiler (6.3) crashed splitting this coroutine.
        let found = try await channel(id: id)
        guard let channel = found, channel.organisationId == actor.technician.organisationId else { throw notFound }
        return channel
    }

    private func channel(id: String) async throws -> Channel? {
        try await store.channel(id: id)
    }

    /// Name, groups, message and hours as the request gives them, checked.
    private func apply(_ body: ChannelRequest, to channel: inout Channel, actor: Actor) async throws {
        if let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) {
            guard !name.isEmpty, name.count <= 100 else { throw GatewayError.badRequest("A channel needs a name of 1 to 100 characters.") }
            channel.name = name
        }
        if let groupIds = body.groupIds {
            let own = Set(try await store.groups(organisationId: actor.technician.organisationId).map(\.id))
            guard Set(groupIds).isSubset(of: own) else {
                throw GatewayError(.groupNotFound, "One of the groups does not exist in your organisation.")
            }
            channel.groupIds = Array(Set(groupIds)).sorted()
        }
        if let message = body.unavailableMessage?.trimmingCharacters(in: .whitespacesAndNewlines) {
            guard !message.isEmpty, message.count <= 500 else {
                throw GatewayError.badRequest("The \"no technician available\" message needs 1 to 500 characters.")
            }
            channel.unavailableMessage = message
        }
        if let rule = body.whenUnavailable { channel.whenUnavailable = rule }
        if body.alwaysOpen == true { channel.workingHours = nil }
        if let hours = body.workingHours {
            do { channel.workingHours = try hours.validated() } catch {
                switch error {
                case .unknownTimeZone(let zone): throw GatewayError.badRequest("Unknown time zone \"\(zone)\".")
                case .badSpan: throw GatewayError.badRequest("Working hours need weekdays 1–7 and opening before closing within the day.")
                }
            }
        }
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        return try JSONResponse.make(try await store.channels(organisationId: actor.technician.organisationId).map(view))
    }

    @Sendable func create(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let body = try await request.decodeJSON(as: ChannelRequest.self, context: context)
        guard body.name != nil else { throw GatewayError.badRequest("A channel needs a name.") }
        var channel = Channel(
            id: UUID().uuidString.lowercased(), organisationId: actor.technician.organisationId, name: "",
            publicToken: Secrets.token(bytes: 16), groupIds: [], unavailableMessage: Self.defaultUnavailableMessage,
            whenUnavailable: .keep, workingHours: nil, createdAt: environment.now())
        try await apply(body, to: &channel, actor: actor)
        let created = channel
        try await turns.withLock("channels:\(actor.technician.organisationId)") {
            let existing = try await store.channels(organisationId: actor.technician.organisationId)
            guard existing.count < ChannelRules.maximumPerOrganisation else {
                throw GatewayError(.channelLimit, "An organisation has at most \(ChannelRules.maximumPerOrganisation) channels.")
            }
            try await store.insertChannel(created)
        }
        hub.channelsChanged()
        try await hub.audit.record(.channelCreated, by: actor, objectType: "channel", objectId: channel.id, after: AuditTrail.json(view(channel)),
                               source: context.remoteAddress)
        return try JSONResponse.make(view(channel), status: .created)
    }

    @Sendable func update(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        var channel = try await ownChannel(context, of: actor)
        let before = view(channel)
        try await apply(try await request.decodeJSON(as: ChannelRequest.self, context: context), to: &channel, actor: actor)
        try await store.updateChannel(channel)
        hub.channelsChanged()
        try await hub.audit.record(.channelChanged, by: actor, objectType: "channel", objectId: channel.id, before: AuditTrail.json(before),
                               after: AuditTrail.json(view(channel)), source: context.remoteAddress)
        return try JSONResponse.make(view(channel))
    }

    @Sendable func delete(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let channel = try await ownChannel(context, of: actor)
        try await store.deleteChannel(id: channel.id)
        hub.channelsChanged()
        try await hub.audit.record(.channelDeleted, by: actor, objectType: "channel", objectId: channel.id, before: AuditTrail.json(view(channel)),
                               source: context.remoteAddress)
        return Response(status: .noContent)
    }
}
