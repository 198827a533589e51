import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// The minimal admin API: technician groups with their permissions, and technicians in them.
/// The full Admin Center (R1–R4) grows from here.
struct AdminController {
    let accounts: Accounts
    let hub: SessionHub
    let environment: GatewayEnvironment

    struct GroupRequest: Decodable {
        let name: String
        let permissions: [String]
    }

    struct GroupView: Encodable {
        let id: String
        let name: String
        let permissions: [String]
        init(_ group: TechnicianGroup) {
            id = group.id
            name = group.name
            permissions = group.permissions.sortedRawValues
        }
    }

    struct TechnicianRequest: Decodable {
        let email: String
        let name: String
        let password: String
        let groupId: String?
        let role: AccountRole?
        let language: String?
    }

    struct TechnicianPatch: Decodable {
        let disabled: Bool?
        let groupId: String?
        let name: String?
    }

    struct TechnicianView: Encodable {
        let id: String
        let email: String
        let name: String
        let role: AccountRole
        let groupId: String?
        let disabled: Bool
        let language: String
        init(_ t: Technician) {
            id = t.id
            email = t.email
            name = t.name
            role = t.role
            groupId = t.groupId
            disabled = t.disabled
            language = t.language
        }
    }

    struct PermissionsView: Encodable {
        let permissions: [String]
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("admin/permissions", use: permissions)
        group.get("admin/groups", use: listGroups)
        group.post("admin/groups", use: createGroup)
        group.put("admin/groups/{id}", use: updateGroup)
        group.delete("admin/groups/{id}", use: deleteGroup)
        group.get("admin/technicians", use: listTechnicians)
        group.post("admin/technicians", use: createTechnician)
        group.patch("admin/technicians/{id}", use: updateTechnician)
        group.get("admin/settings", use: settings)
        group.put("admin/settings", use: updateSettings)
    }

    /// New values for some settings; what is left out stays as it is.
    struct SettingsChange: Decodable {
        let autoStartDefault: Bool?
        let urgentAfterSeconds: Int?
        let customFieldNames: [String]?
        let idleTimeoutMinutes: Int?
        let connectingTimeoutMinutes: Int?
        let awayAfterMinutes: Int?
        let busyAtSessions: Int?
        let recordingFormat: RecordingFormat?
        let maxFileMegabytes: Int?

        func applied(to current: OrganisationSettings) -> OrganisationSettings {
            var s = current
            if let autoStartDefault { s.autoStartDefault = autoStartDefault }
            if let urgentAfterSeconds { s.urgentAfterSeconds = urgentAfterSeconds }
            if let customFieldNames { s.customFieldNames = customFieldNames }
            if let idleTimeoutMinutes { s.idleTimeoutMinutes = idleTimeoutMinutes }
            if let connectingTimeoutMinutes { s.connectingTimeoutMinutes = connectingTimeoutMinutes }
            if let awayAfterMinutes { s.awayAfterMinutes = awayAfterMinutes }
            if let busyAtSessions { s.busyAtSessions = busyAtSessions }
            if let recordingFormat { s.recordingFormat = recordingFormat }
            if let maxFileMegabytes { s.maxFileMegabytes = maxFileMegabytes }
            return s
        }
    }

    @Sendable func settings(request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdministrator()
        return try JSONResponse.make(await hub.settings)
    }

    @Sendable func updateSettings(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let change = try await request.decodeJSON(as: SettingsChange.self, context: context)
        let before = await hub.settings
        let saved = try await hub.saveSettings(change.applied(to: before))
        await hub.audit.record(.settingsChanged, by: actor, objectType: "organisation", objectId: actor.technician.organisationId,
                               before: AuditTrail.json(before), after: AuditTrail.json(saved), source: context.remoteAddress)
        context.logger.notice("Organisation settings changed", metadata: [
            "technician.id": "\(actor.id)", "settings.autoStartDefault": "\(saved.autoStartDefault)",
            "settings.urgentAfterSeconds": "\(saved.urgentAfterSeconds)", "settings.customFields": "\(saved.customFieldNames.count)",
            "settings.idleTimeoutMinutes": "\(saved.idleTimeoutMinutes)", "settings.awayAfterMinutes": "\(saved.awayAfterMinutes)",
            "settings.busyAtSessions": "\(saved.busyAtSessions)", "settings.recordingFormat": "\(saved.recordingFormat.rawValue)",
        ])
        return try JSONResponse.make(saved)
    }


    private func ownGroup(_ id: String, of actor: Actor) async throws -> TechnicianGroup {
        let found = try await accounts.store.group(id: id)
        guard let group = found, group.organisationId == actor.technician.organisationId else {
            throw GatewayError(.notFound, "group_not_found", "There is no such technician group.")
        }
        return group
    }

    /// A group of the actor's own organisation; any other is "not found".
    private func requireGroup(_ id: String, of actor: Actor) async throws {
        _ = try await ownGroup(id, of: actor)
    }

    @Sendable func permissions(request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdministrator()
        return try JSONResponse.make(PermissionsView(permissions: Permission.allCases.sorted().map(\.rawValue)))
    }

    @Sendable func listGroups(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        return try JSONResponse.make(try await accounts.store.groups(organisationId: actor.technician.organisationId).map(GroupView.init))
    }

    /// A group's name and permissions, checked.
    private func validated(_ body: GroupRequest) throws -> (name: String, permissions: PermissionSet) {
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw GatewayError.badRequest("A group needs a name of 1 to 100 characters.") }
        do { return (name, try PermissionSet(rawValues: body.permissions)) } catch {
            throw GatewayError.badRequest("\(error.description) See GET /api/v1/admin/permissions.")
        }
    }

    @Sendable func createGroup(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let (name, permissions) = try validated(try await request.decodeJSON(as: GroupRequest.self, context: context))
        let group = TechnicianGroup(id: UUID().uuidString.lowercased(), organisationId: actor.technician.organisationId,
                                    name: name, permissions: permissions)
        try await accounts.store.insertGroup(group)
        await hub.audit.record(.groupCreated, by: actor, objectType: "group", objectId: group.id, after: AuditTrail.json(GroupView(group)),
                               source: context.remoteAddress)
        return try JSONResponse.make(GroupView(group), status: .created)
    }

    /// Rename a group or change its permissions (A5): its technicians get them with their next request.
    @Sendable func updateGroup(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        var group = try await ownGroup(context.parameters.get("id") ?? "", of: actor)
        let before = GroupView(group)
        (group.name, group.permissions) = try validated(try await request.decodeJSON(as: GroupRequest.self, context: context))
        try await accounts.store.updateGroup(group)
        for technician in try await accounts.store.technicians(organisationId: actor.technician.organisationId) where technician.groupId == group.id {
            await hub.technicianChanged(technician.id)
        }
        await hub.audit.record(.groupChanged, by: actor, objectType: "group", objectId: group.id, before: AuditTrail.json(before),
                               after: AuditTrail.json(GroupView(group)), source: context.remoteAddress)
        return try JSONResponse.make(GroupView(group))
    }

    /// Only an empty group goes: no technician in it, no channel taking its sessions.
    @Sendable func deleteGroup(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let group = try await ownGroup(context.parameters.get("id") ?? "", of: actor)
        let organisationId = actor.technician.organisationId
        let members = try await accounts.store.technicians(organisationId: organisationId).filter { $0.groupId == group.id }
        let channels = try await accounts.store.channels(organisationId: organisationId).filter { $0.groupIds.contains(group.id) }
        guard members.isEmpty, channels.isEmpty else {
            throw GatewayError(.conflict, "group_in_use",
                               "Move its \(members.count) technicians and take it off \(channels.count) channels first.")
        }
        try await accounts.store.deleteGroup(id: group.id)
        await hub.audit.record(.groupDeleted, by: actor, objectType: "group", objectId: group.id, before: AuditTrail.json(GroupView(group)),
                               source: context.remoteAddress)
        return Response(status: .noContent)
    }

    @Sendable func listTechnicians(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        return try JSONResponse.make(try await accounts.store.technicians(organisationId: actor.technician.organisationId).map(TechnicianView.init))
    }

    @Sendable func createTechnician(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let body = try await request.decodeJSON(as: TechnicianRequest.self, context: context)
        let email = body.email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 254 else { throw GatewayError.badRequest("The email address is not valid.") }
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw GatewayError.badRequest("A technician needs a name of 1 to 100 characters.") }
        try Accounts.validatePassword(body.password, context: [email, name, actor.organisationName])
        let role = body.role ?? .technician
        guard role != .masterAdministrator else { throw GatewayError.badRequest("There is only one master administrator.") }
        if let groupId = body.groupId { try await requireGroup(groupId, of: actor) }
        let technician = Technician(
            id: UUID().uuidString.lowercased(), organisationId: actor.technician.organisationId, groupId: body.groupId,
            email: email, name: name, passwordHash: try await accounts.hashPassword(body.password), role: role,
            disabled: false, language: Languages.console.contains(body.language ?? "") ? body.language! : "en",
            createdAt: environment.now())
        do {
            try await accounts.store.insertTechnician(technician)
        } catch {
            guard error.isConstraintViolation else { throw error }
            throw GatewayError(.conflict, "email_taken", "A technician with this email already exists.")
        }
        await hub.audit.record(.technicianCreated, by: actor, objectType: "technician", objectId: technician.id,
                               after: AuditTrail.json(TechnicianView(technician)), source: context.remoteAddress)
        return try JSONResponse.make(TechnicianView(technician), status: .created)
    }

    @Sendable func updateTechnician(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let body = try await request.decodeJSON(as: TechnicianPatch.self, context: context)
        guard let id = context.parameters.get("id"), var technician = try await accounts.store.technician(id: id),
              technician.organisationId == actor.technician.organisationId
        else { throw GatewayError(.notFound, "technician_not_found", "There is no such technician.") }
        let before = TechnicianView(technician)
        if let disabled = body.disabled {
            guard !(disabled && technician.role == .masterAdministrator) else {
                throw GatewayError.badRequest("The master administrator cannot be disabled.")
            }
            technician.disabled = disabled
        }
        if let groupId = body.groupId {
            try await requireGroup(groupId, of: actor)
            technician.groupId = groupId
        }
        if let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty { technician.name = name }
        try await accounts.store.updateTechnician(technician)
        await hub.audit.record(.technicianChanged, by: actor, objectType: "technician", objectId: technician.id,
                               before: AuditTrail.json(before), after: AuditTrail.json(TechnicianView(technician)), source: context.remoteAddress)
        await hub.technicianChanged(technician.id)
        if technician.disabled {
            // A disabled technician loses every login and open console at once.
            try await accounts.store.deleteTokens(technicianId: technician.id)
            await hub.closeConsoles(of: technician.id, reason: "account disabled")
        }
        return try JSONResponse.make(TechnicianView(technician))
    }
}
