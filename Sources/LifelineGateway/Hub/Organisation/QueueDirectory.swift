import Foundation
import LifelineCore
import LifelineStore
import Logging
import NIOConcurrencyHelpers

/// What the gateway remembers of a technician with an open console, to know which channel queues
/// they see without reading the store for every push.
struct QueueMember: Sendable, Equatable {
    let organisationId: String
    let groupId: String?
    let permissions: PermissionSet

    init(_ actor: Actor) {
        organisationId = actor.technician.organisationId
        groupId = actor.technician.groupId
        permissions = actor.permissions
    }
}

/// Who sees which queue (F2, C6): the group and permissions of each technician with a console,
/// and the channels, read once and kept until an administrator edits them.
final class QueueDirectory: Sendable {
    private struct State {
        var members: [String: QueueMember] = [:]
        var channels: [String: Channel] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let store: any Store
    private let logger: Logger

    init(store: any Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    func remember(_ actor: Actor) {
        let member = QueueMember(actor)
        state.withLockedValue { $0.members[actor.id] = member }
    }

    func member(_ technicianId: String) -> QueueMember? {
        state.withLockedValue { $0.members[technicianId] }
    }

    /// A channel by id, cached; nil when there is none or the store could not be read (logged).
    func channel(_ id: String?) async -> Channel? {
        guard let id else { return nil }
        if let cached = state.withLockedValue({ $0.channels[id] }) { return cached }
        do {
            let channel = try await store.channel(id: id)
            if let channel { state.withLockedValue { $0.channels[id] = channel } }
            return channel
        } catch {
            logger.error("Could not read a channel", metadata: ["channel.id": "\(id)", "error": "\(error)"])
            return nil
        }
    }

    /// An administrator changed channels: they are read again when next needed.
    func forgetChannels() {
        state.withLockedValue { $0.channels = [:] }
    }

    func seesQueue(of channel: Channel, _ technicianId: String) -> Bool {
        guard let member = member(technicianId), member.organisationId == channel.organisationId else { return false }
        return ChannelRules.mayView(groupId: member.groupId, permissions: member.permissions, channelGroups: Set(channel.groupIds))
    }

    func isInGroup(_ technicianId: String, groupId: String, organisationId: String) -> Bool {
        guard let member = member(technicianId) else { return false }
        return member.groupId == groupId && member.organisationId == organisationId
    }
}
