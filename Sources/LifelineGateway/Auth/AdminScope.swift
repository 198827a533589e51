import Foundation
import LifelineStore

/// What an administrator may manage (R1): the master administrator and administrators given the
/// whole organisation manage everything in it; an administrator given some groups manages those
/// groups, their subgroups and the technicians in them, and nothing else. Objects of another
/// organisation are "not found"; objects of one's own organisation outside one's groups are refused.
struct AdminScope: Sendable {
    let store: any Store

    static let outsideScope = GatewayError(.outsideScope, "This is outside the groups you administer.")
    static let groupNotFound = GatewayError(.groupNotFound, "There is no such technician group.")
    static let technicianNotFound = GatewayError(.technicianNotFound, "There is no such technician.")

    static func isOrganisationWide(_ actor: Actor) -> Bool {
        actor.technician.role == .masterAdministrator || (actor.technician.role == .administrator && actor.technician.managedGroupIds == nil)
    }

    /// The groups `given` reaches: themselves and the groups nested in them.
    static func reach(of given: [String], in groups: [TechnicianGroup]) -> Set<String> {
        let direct = Set(given)
        return direct.union(groups.filter { $0.parentId.map(direct.contains) ?? false }.map(\.id))
    }

    /// Nil: the whole organisation.
    func managedGroupIds(of actor: Actor) async throws -> Set<String>? {
        guard !Self.isOrganisationWide(actor) else { return nil }
        guard actor.technician.role == .administrator, let given = actor.technician.managedGroupIds else { return [] }
        return Self.reach(of: given, in: try await store.groups(organisationId: actor.technician.organisationId))
    }

    /// Settings, channels, surveys, Calling Cards and the audit log belong to the whole organisation.
    func requireOrganisationWide(_ actor: Actor) throws(GatewayError) {
        guard Self.isOrganisationWide(actor) else { throw Self.outsideScope }
    }

    func group(_ id: String, managedBy actor: Actor) async throws -> TechnicianGroup {
        let found = try await store.group(id: id)
        guard let group = found, group.organisationId == actor.technician.organisationId else { throw Self.groupNotFound }
        if let managed = try await managedGroupIds(of: actor), !managed.contains(group.id) { throw Self.outsideScope }
        return group
    }

    /// A technician the actor may change: in the actor's groups, and an administrator only for the master.
    func technician(_ id: String, managedBy actor: Actor) async throws -> Technician {
        let found = try await store.technician(id: id)
        guard let technician = found, technician.organisationId == actor.technician.organisationId, technician.deletedAt == nil else {
            throw Self.technicianNotFound
        }
        try await requireManages(technician, actor: actor)
        return technician
    }

    func requireManages(_ technician: Technician, actor: Actor) async throws {
        if technician.role.isAdministrator, actor.technician.role != .masterAdministrator, technician.id != actor.id {
            throw GatewayError(.masterAdministratorOnly, "Only the master administrator manages administrators.")
        }
        guard technician.role == .technician, let managed = try await managedGroupIds(of: actor) else { return }
        guard let groupId = technician.groupId, managed.contains(groupId) else { throw Self.outsideScope }
    }

    /// The technicians the actor sees in the Admin Center.
    func visibleTechnicians(of actor: Actor) async throws -> [Technician] {
        let all = try await store.technicians(organisationId: actor.technician.organisationId)
        guard let managed = try await managedGroupIds(of: actor) else { return all }
        return all.filter { $0.id == actor.id || ($0.role == .technician && $0.groupId.map(managed.contains) ?? false) }
    }

    func visibleGroups(of actor: Actor) async throws -> [TechnicianGroup] {
        let all = try await store.groups(organisationId: actor.technician.organisationId)
        guard let managed = try await managedGroupIds(of: actor) else { return all }
        return all.filter { managed.contains($0.id) }
    }
}
