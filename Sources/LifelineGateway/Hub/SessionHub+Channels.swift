import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// Channel sessions (F2): a customer's request waits in the channel's queue, seen by every
/// technician of an assigned group; the first Start takes it and it leaves everyone else's queue.
extension SessionHub {
    /// What the public channel page shows before the customer sends the form.
    struct ChannelPage: Codable, Sendable {
        let name: String
        let organisation: String
        let availability: ChannelRules.Availability
        /// The "no technician available" message, when it applies now.
        let message: String?
        /// Whether a request sent now would be taken (kept in the queue) or refused.
        let acceptsRequests: Bool
        let fields: [String]
        /// The fields the customer must fill in (R2).
        let requiredFields: [String]
    }

    struct ChannelRequestAccepted: Codable, Sendable {
        let sessionId: String
        /// The customer's link: the same page as a private link session from then on.
        let link: String
        let available: Bool
        let message: String?
    }

    func remember(_ actor: Actor) {
        queues.remember(actor)
    }

    /// A channel by id, cached; administrators' edits clear the cache.
    func channel(_ id: String?) async -> Channel? {
        await queues.channel(id)
    }

    /// Called after an administrator changed channels: queues are recomputed from the store, on every gateway node.
    public func channelsChanged() {
        queues.forgetChannels()
        outbox.announce(.change(.channels))
    }

    func seesQueue(of channel: Channel, _ technicianId: String) -> Bool {
        queues.seesQueue(of: channel, technicianId)
    }

    /// Technicians with an open console who see this channel's queue.
    func queueViewers(of channel: Channel) -> [String] {
        sockets.techniciansWithConsoles.filter { queues.seesQueue(of: channel, $0) }
    }

    /// Technicians with an open console in a technician group (a transfer into the group's queue).
    func groupViewers(_ groupId: String, organisationId: String) -> [String] {
        sockets.techniciansWithConsoles.filter { queues.isInGroup($0, groupId: groupId, organisationId: organisationId) }
    }

    /// Who sees the session through a queue rather than as owner or by a view of their own: the
    /// channel's queue while nobody took it, or the group's or channel's queue it is transferred to.
    func queueAudience(of record: SessionRecord) async -> [String] {
        let audience: [String]
        if record.technicianId == nil {
            guard let channel = await channel(record.channelId) else { return [] }
            audience = queueViewers(of: channel)
        } else if let transfer = record.transfer {
            switch transfer.to {
            case .technician: return []
            case .group(let groupId): audience = groupViewers(groupId, organisationId: record.organisationId)
            case .channel(let channelId):
                guard let channel = await channel(channelId) else { return [] }
                audience = queueViewers(of: channel)
            }
        } else {
            return []
        }
        return audience.filter { $0 != record.technicianId && record.otherViews[$0] == nil }
    }

    /// How the queue's audience sees it: waiting in the channel queue, or Incoming after a transfer.
    func queueView(of record: SessionRecord) -> SessionMachine? {
        if record.technicianId == nil { return record.machine }
        guard let transfer = record.transfer, transfer.to.technicianId == nil else { return nil }
        return SessionMachine.incomingTransfer(at: transfer.at)
    }

    /// The colleague's name, or the group's or channel's.
    func targetName(_ target: TransferTarget) async -> String {
        switch target {
        case .technician(let id): return await technicianName(id)
        case .channel(let id): return await channel(id)?.name ?? "Channel"
        case .group(let id):
            return await names.name(of: id, .group)
        }
    }

    /// Whether someone could take a request now: an Online technician who sees the queue.
    func availability(of channel: Channel) -> ChannelRules.Availability {
        let channelGroups = Set(channel.groupIds)
        let anyone = queueViewers(of: channel).contains { id in
            guard let member = queues.member(id) else { return false }
            return ChannelRules.mayTake(groupId: member.groupId, permissions: member.permissions,
                                        status: status(of: id), channelGroups: channelGroups)
        }
        return ChannelRules.availability(hours: channel.workingHours, anyoneMayTake: anyone, at: environment.now())
    }

    private func publicChannel(token: String) async throws -> Channel {
        guard let channel = try await store.channel(publicToken: token) else {
            throw GatewayError(.channelNotFound, "This support link is not valid. Check the address on the web site you came from.")
        }
        return channel
    }

    func channelPage(token: String) async throws -> ChannelPage {
        let channel = try await publicChannel(token: token)
        let availability = availability(of: channel)
        return ChannelPage(
            name: channel.name, organisation: await organisationName(channel.organisationId), availability: availability,
            message: availability == .open ? nil : channel.unavailableMessage,
            acceptsRequests: ChannelRules.accepts(availability, whenUnavailable: channel.whenUnavailable),
            fields: settings.formFieldNames, requiredFields: settings.requiredFieldNames)
    }

    /// A customer sent the channel form: a session waits in the channel queue for its applet,
    /// or, when nobody can help and the channel refuses then, the customer gets its message.
    func requestChannelSession(token: String, name: String?, fields: [String: String], from source: String) async throws -> ChannelRequestAccepted {
        try refuseWhileDraining()
        let now = environment.now()
        if let wait = channelRequests.admit(source, at: now) { throw GatewayError.tooManyAttempts(retryAfter: wait) }
        let channel = try await publicChannel(token: token)
        let values: [String: String]
        do {
            values = try CustomFields.validatedValues(fields, names: settings.formFieldNames)
            try CustomFields.checkRequired(values, required: settings.requiredFieldNames)
        } catch {
            throw GatewayError.badRequest(CustomFields.describe(error))
        }
        let availability = availability(of: channel)
        guard ChannelRules.accepts(availability, whenUnavailable: channel.whenUnavailable) else {
            throw GatewayError(.noTechnicianAvailable, channel.unavailableMessage)
        }
        let linkToken = Secrets.token()
        let link = "\(publicURL)/c/\(linkToken)"
        let record = try await openSession(SessionRecord(
            id: Secrets.sessionNumber(), organisationId: channel.organisationId, technicianId: nil,
            name: SessionName.normalised(name), method: .link, pin: nil, linkTokenHash: Secrets.hash(linkToken),
            appletTokenHash: nil, machine: SessionMachine(createdAt: now), customer: nil, closedAt: nil,
            channelId: channel.id, fields: values), link: link)
        logger.info("Channel request", metadata: ["session.id": "\(record.id)", "channel.id": "\(channel.id)",
                                                  "channel.availability": "\(availability.rawValue)"])
        return ChannelRequestAccepted(sessionId: record.id, link: link, available: availability == .open,
                                      message: availability == .open ? nil : channel.unavailableMessage)
    }

    /// Another technician already took this channel session: say so rather than "not found".
    func alreadyTaken(_ record: SessionRecord, by technicianId: String) async -> Bool {
        guard record.technicianId != nil, record.technicianId != technicianId,
              let channel = await channel(record.channelId) else { return false }
        return seesQueue(of: channel, technicianId)
    }

    /// The custom fields of a session in the actor's queue, as a technician with the permission edits them (C3).
    func editFields(of id: String, to values: [String: String], by actor: Actor) async throws -> SessionSummary {
        try actor.require(.editCustomFields)
        guard let session = registry.session(id) else {
            _ = try await visibleSession(id, by: actor)
            throw GatewayError(.sessionClosed, "A closed session cannot be edited.")
        }
        return try await session.editFields(to: values, by: actor)
    }
}
