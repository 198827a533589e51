import Foundation
import Hummingbird
import LifelineCore
import LifelineStore

/// The organisation tree of the Admin Center (R1): technician groups with their permissions (A5),
/// nested one level; technicians and administrators; organisation settings (R4). Every action is
/// checked against the actor's scope (AdminScope).
struct AdminController {
    let accounts: Accounts
    let hub: SessionHub
    let environment: GatewayEnvironment
    var scope: AdminScope { AdminScope(store: accounts.store) }

    struct GroupRequest: Decodable {
        let name: String
        let permissions: [String]
        let parentId: String?
    }

    struct GroupView: Encodable {
        let id: String
        let name: String
        let permissions: [String]
        let parentId: String?
        init(_ group: TechnicianGroup) {
            id = group.id
            name = group.name
            permissions = group.permissions.sortedRawValues
            parentId = group.parentId
        }
    }

    struct TechnicianRequest: Decodable {
        let email: String
        let name: String
        let password: String
        let groupId: String?
        let role: AccountRole?
        let language: String?
        let managedGroupIds: [String]?
    }

    /// Only what is sent changes. `password` is a reset by an administrator: it never turns
    /// two-step verification off.
    struct TechnicianPatch: Decodable {
        let disabled: Bool?
        let groupId: String?
        let name: String?
        let password: String?
        let language: String?
        /// Administrators only, set by the master administrator; `wholeOrganisation: true` clears the list.
        let managedGroupIds: [String]?
        let wholeOrganisation: Bool?
    }

    struct TechnicianView: Encodable {
        let id: String
        let email: String
        let name: String
        let role: AccountRole
        let groupId: String?
        let disabled: Bool
        let language: String
        let managedGroupIds: [String]?
        init(_ t: Technician) {
            id = t.id
            email = t.email
            name = t.name
            role = t.role
            groupId = t.groupId
            disabled = t.disabled
            language = t.language
            managedGroupIds = t.role == .administrator ? t.managedGroupIds : nil
        }
    }

    struct PermissionsView: Encodable {
        let permissions: [String]
        /// Names whose feature is not built yet (shown as coming later).
        let notYetAvailable: [String]
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
        group.delete("admin/technicians/{id}", use: deleteTechnician)
        group.get("admin/settings", use: settings)
        group.put("admin/settings", use: updateSettings)
    }

    /// New values for some settings; what is left out stays as it is.
    struct SettingsChange: Decodable {
        let autoStartDefault: Bool?
        let urgentAfterSeconds: Int?
        let customFieldNames: [String]?
        let customFieldRules: [String: CustomFields.Rule]?
        let idleTimeoutMinutes: Int?
        let connectingTimeoutMinutes: Int?
        let awayAfterMinutes: Int?
        let busyAtSessions: Int?
        let recordingFormat: RecordingFormat?
        let maxFileMegabytes: Int?
        let requireTwoStep: Bool?
        let holdTimeoutDays: Int?
        /// A template, or `resetEmailTemplate: true` for Lifeline's default wording.
        let emailTemplate: EmailTemplate?
        let resetEmailTemplate: Bool?
        let notifyWhenMonitored: Bool?
        let approvedExternalTechnicians: [String]?
        /// Empty text: no terms.
        let appletTerms: String?

        func applied(to current: OrganisationSettings) -> OrganisationSettings {
            var s = current
            if let autoStartDefault { s.autoStartDefault = autoStartDefault }
            if let urgentAfterSeconds { s.urgentAfterSeconds = urgentAfterSeconds }
            if let customFieldNames { s.customFieldNames = customFieldNames }
            if let customFieldRules { s.customFieldRules = customFieldRules }
            if let idleTimeoutMinutes { s.idleTimeoutMinutes = idleTimeoutMinutes }
            if let connectingTimeoutMinutes { s.connectingTimeoutMinutes = connectingTimeoutMinutes }
            if let awayAfterMinutes { s.awayAfterMinutes = awayAfterMinutes }
            if let busyAtSessions { s.busyAtSessions = busyAtSessions }
            if let recordingFormat { s.recordingFormat = recordingFormat }
            if let maxFileMegabytes { s.maxFileMegabytes = maxFileMegabytes }
            if let requireTwoStep { s.requireTwoStep = requireTwoStep }
            if let holdTimeoutDays { s.holdTimeoutDays = holdTimeoutDays }
            if let emailTemplate { s.emailTemplate = emailTemplate }
            if resetEmailTemplate == true { s.emailTemplate = nil }
            if let notifyWhenMonitored { s.notifyWhenMonitored = notifyWhenMonitored }
            if let approvedExternalTechnicians { s.approvedExternalTechnicians = approvedExternalTechnicians }
            if let appletTerms { s.appletTerms = appletTerms }
            return s
        }
    }

    @Sendable func settings(request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdministrator()
        return try JSONResponse.make(hub.settings)
    }

    @Sendable func updateSettings(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireOrganisationAdministrator()
        let change = try await request.decodeJSON(as: SettingsChange.self, context: context)
        let before = hub.settings
        let saved = try await hub.saveSettings(change.applied(to: before))
        try await hub.audit.record(.settingsChanged, by: actor, objectType: "organisation", objectId: actor.technician.organisationId,
                               before: AuditTrail.json(before), after: AuditTrail.json(saved), source: context.remoteAddress)
        context.logger.notice("Organisation settings changed", metadata: [
            "technician.id": "\(actor.id)", "settings.autoStartDefault": "\(saved.autoStartDefault)",
            "settings.urgentAfterSeconds": "\(saved.urgentAfterSeconds)", "settings.customFields": "\(saved.customFieldNames.count)",
            "settings.idleTimeoutMinutes": "\(saved.idleTimeoutMinutes)", "settings.awayAfterMinutes": "\(saved.awayAfterMinutes)",
            "settings.busyAtSessions": "\(saved.busyAtSessions)", "settings.recordingFormat": "\(saved.recordingFormat.rawValue)",
        ])
        return try JSONResponse.make(saved)
    }


    @Sendable func permissions(request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdministrator()
        return try JSONResponse.make(PermissionsView(permissions: Permission.allCases.sorted().map(\.rawValue),
                                                     notYetAvailable: Permission.notYetAvailable.sorted().map(\.rawValue)))
    }

    @Sendable func listGroups(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        return try JSONResponse.make(try await scope.visibleGroups(of: actor).map(GroupView.init))
    }

    /// A group's name, permissions and parent, checked: the parent is a top-level group the actor
    /// manages (one level of nesting), never the group itself or one of its children.
    private func validated(_ body: GroupRequest, for groupId: String?, actor: Actor) async throws
        -> (name: String, permissions: PermissionSet, parentId: String?) {
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw GatewayError.badRequest("A group needs a name of 1 to 100 characters.") }
        let permissions: PermissionSet
        do { permissions = try PermissionSet(rawValues: body.permissions) } catch {
            throw GatewayError.badRequest("\(error.description) See GET /api/v1/admin/permissions.")
        }
        if let parentId = body.parentId {
            let parent = try await scope.group(parentId, managedBy: actor)
            guard parent.parentId == nil, parent.id != groupId else {
                throw GatewayError.badRequest("Groups nest one level: the parent must be a top-level group other than this one.")
            }
            if let groupId, try await accounts.store.groups(organisationId: actor.technician.organisationId).contains(where: { $0.parentId == groupId }) {
                throw GatewayError.badRequest("This group has subgroups, so it cannot go inside another group.")
            }
        } else if try await scope.managedGroupIds(of: actor) != nil, groupId == nil {
            // An administrator of some groups adds groups inside them, not beside them.
            throw AdminScope.outsideScope
        }
        return (name, permissions, body.parentId)
    }

    @Sendable func createGroup(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let body = try await request.decodeJSON(as: GroupRequest.self, context: context)
        let (name, permissions, parentId) = try await validated(body, for: nil, actor: actor)
        let group = TechnicianGroup(id: UUID().uuidString.lowercased(), organisationId: actor.technician.organisationId,
                                    name: name, permissions: permissions, parentId: parentId)
        try await accounts.store.insertGroup(group)
        try await hub.audit.record(.groupCreated, by: actor, objectType: "group", objectId: group.id, after: AuditTrail.json(GroupView(group)),
                               source: context.remoteAddress)
        return try JSONResponse.make(GroupView(group), status: .created)
    }

    /// Rename a group, change its permissions or its parent (A5): its technicians get them with their next request.
    @Sendable func updateGroup(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        var group = try await scope.group(context.parameters.get("id") ?? "", managedBy: actor)
        let before = GroupView(group)
        let body = try await request.decodeJSON(as: GroupRequest.self, context: context)
        let parentId: String?
        (group.name, group.permissions, parentId) = try await validated(body, for: group.id, actor: actor)
        // A scoped administrator cannot lift a group out of the parent that puts it in their reach.
        if parentId != group.parentId, try await scope.managedGroupIds(of: actor) != nil,
           !(actor.technician.managedGroupIds ?? []).contains(group.id) {
            throw AdminScope.outsideScope
        }
        group.parentId = parentId
        try await accounts.store.updateGroup(group)
        for technician in try await accounts.store.technicians(organisationId: actor.technician.organisationId) where technician.groupId == group.id {
            hub.technicianChanged(technician.id)
            await hub.consolesChanged(of: technician.id, accounts: accounts)
        }
        try await hub.audit.record(.groupChanged, by: actor, objectType: "group", objectId: group.id, before: AuditTrail.json(before),
                               after: AuditTrail.json(GroupView(group)), source: context.remoteAddress)
        return try JSONResponse.make(GroupView(group))
    }

    /// Only an empty group goes: no technician, no subgroup, no channel taking its sessions.
    @Sendable func deleteGroup(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let group = try await scope.group(context.parameters.get("id") ?? "", managedBy: actor)
        let organisationId = actor.technician.organisationId
        let members = try await accounts.store.technicians(organisationId: organisationId).filter { $0.groupId == group.id }
        let subgroups = try await accounts.store.groups(organisationId: organisationId).filter { $0.parentId == group.id }
        let channels = try await accounts.store.channels(organisationId: organisationId).filter { $0.groupIds.contains(group.id) }
        guard members.isEmpty, subgroups.isEmpty, channels.isEmpty else {
            throw GatewayError(.groupInUse,
                               "Move its \(members.count) technicians and \(subgroups.count) subgroups and take it off \(channels.count) channels first.")
        }
        try await accounts.store.deleteGroup(id: group.id)
        try await hub.audit.record(.groupDeleted, by: actor, objectType: "group", objectId: group.id, before: AuditTrail.json(GroupView(group)),
                               source: context.remoteAddress)
        return Response(status: .noContent)
    }

    @Sendable func listTechnicians(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        return try JSONResponse.make(try await scope.visibleTechnicians(of: actor).map(TechnicianView.init))
    }

    private static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw GatewayError.badRequest("A technician needs a name of 1 to 100 characters.") }
        return name
    }

    private static func validLanguage(_ language: String?) throws -> String? {
        guard let language else { return nil }
        guard Languages.console.contains(language) else {
            throw GatewayError.badRequest("The console speaks \(Languages.console.sorted().joined(separator: ", ")).")
        }
        return language
    }

    /// Groups given to an administrator: groups of the organisation, given by the master administrator.
    private func validManagedGroups(_ ids: [String], actor: Actor) async throws -> [String] {
        guard actor.technician.role == .masterAdministrator else {
            throw GatewayError(.masterAdministratorOnly, "Only the master administrator manages administrators.")
        }
        for id in ids { _ = try await scope.group(id, managedBy: actor) }
        return Array(Set(ids)).sorted()
    }

    @Sendable func createTechnician(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let body = try await request.decodeJSON(as: TechnicianRequest.self, context: context)
        let email = body.email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.contains("@"), email.count <= 254 else { throw GatewayError.badRequest("The email address is not valid.") }
        let name = try Self.validName(body.name)
        let twoStepRequired = hub.settings.requireTwoStep
        try Accounts.validatePassword(body.password, context: [email, name, actor.organisationName], twoStepRequired: twoStepRequired)
        let role = body.role ?? .technician
        guard role != .masterAdministrator else { throw GatewayError.badRequest("There is only one master administrator.") }
        var managed: [String]?
        if role == .administrator {
            // Only the master administrator makes administrators; no list given: the whole organisation.
            let given = try await validManagedGroups(body.managedGroupIds ?? [], actor: actor)
            managed = body.managedGroupIds == nil ? nil : given
        }
        if let groupId = body.groupId {
            _ = try await scope.group(groupId, managedBy: actor)
        } else if role == .technician, try await scope.managedGroupIds(of: actor) != nil {
            throw GatewayError.badRequest("Choose one of your groups for the technician.")
        }
        let technician = Technician(
            id: UUID().uuidString.lowercased(), organisationId: actor.technician.organisationId, groupId: body.groupId,
            email: email, name: name, passwordHash: try await accounts.hashPassword(body.password), role: role,
            disabled: false, language: try Self.validLanguage(body.language) ?? "en",
            createdAt: environment.now(), managedGroupIds: managed)
        do {
            try await accounts.store.insertTechnician(technician)
        } catch {
            guard error.isConstraintViolation else { throw error }
            throw GatewayError(.emailTaken, "A technician with this email already exists.")
        }
        try await hub.audit.record(.technicianCreated, by: actor, objectType: "technician", objectId: technician.id,
                               after: AuditTrail.json(TechnicianView(technician)), source: context.remoteAddress)
        return try JSONResponse.make(TechnicianView(technician), status: .created)
    }

    @Sendable func updateTechnician(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        let body = try await request.decodeJSON(as: TechnicianPatch.self, context: context)
        var technician = try await scope.technician(context.parameters.get("id") ?? "", managedBy: actor)
        let before = TechnicianView(technician)
        var endSignIns = false
        if let disabled = body.disabled {
            guard !(disabled && technician.role == .masterAdministrator) else {
                throw GatewayError.badRequest("The master administrator cannot be disabled.")
            }
            technician.disabled = disabled
            endSignIns = disabled
        }
        if let groupId = body.groupId {
            _ = try await scope.group(groupId, managedBy: actor)
            technician.groupId = groupId
        }
        if let name = body.name { technician.name = try Self.validName(name) }
        if let language = try Self.validLanguage(body.language) { technician.language = language }
        if body.wholeOrganisation == true || body.managedGroupIds != nil {
            guard technician.role == .administrator else { throw GatewayError.badRequest("Only administrators are given groups to manage.") }
            let given = try await validManagedGroups(body.wholeOrganisation == true ? [] : body.managedGroupIds ?? [], actor: actor)
            technician.managedGroupIds = body.wholeOrganisation == true ? nil : given
        }
        if let password = body.password {
            try Accounts.validatePassword(password, context: [technician.email, technician.name, actor.organisationName],
                                          twoStepRequired: hub.settings.requireTwoStep)
            technician.passwordHash = try await accounts.hashPassword(password)
            endSignIns = true
        }
        try await accounts.store.updateTechnician(technician)
        try await hub.audit.record(.technicianChanged, by: actor, objectType: "technician", objectId: technician.id,
                               before: AuditTrail.json(before), after: AuditTrail.json(TechnicianView(technician)), source: context.remoteAddress)
        hub.technicianChanged(technician.id)
        if endSignIns {
            // A disabled technician or a reset password ends every login and open console at once.
            try await accounts.store.deleteTokens(technicianId: technician.id)
            await hub.closeConsoles(of: technician.id, reason: technician.disabled ? "account disabled" : "password reset")
        }
        await hub.consolesChanged(of: technician.id, accounts: accounts)
        return try JSONResponse.make(TechnicianView(technician))
    }

    /// The technician leaves every list and cannot sign in; past sessions keep the name. Refused
    /// while sessions are in the technician's queue: transfer or end them first.
    @Sendable func deleteTechnician(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireAdministrator()
        var technician = try await scope.technician(context.parameters.get("id") ?? "", managedBy: actor)
        guard technician.role != .masterAdministrator, technician.id != actor.id else {
            throw GatewayError.badRequest("The master administrator and your own account cannot be deleted.")
        }
        let open = hub.liveSessionCount(of: technician.id)
        guard open == 0 else {
            throw GatewayError(.technicianHasSessions, "\(technician.name) still has \(open) sessions. Transfer or end them first.")
        }
        let before = TechnicianView(technician)
        technician.disabled = true
        technician.deletedAt = environment.now()
        technician.email = "deleted-\(technician.id)@deleted.invalid"
        try await accounts.store.updateTechnician(technician)
        try await accounts.store.deleteTokens(technicianId: technician.id)
        try await accounts.store.deleteTwoStep(technicianId: technician.id)
        await hub.closeConsoles(of: technician.id, reason: "account deleted")
        hub.technicianChanged(technician.id)
        await hub.consolesChanged(of: technician.id, accounts: accounts)
        try await hub.audit.record(.technicianDeleted, by: actor, objectType: "technician", objectId: technician.id,
                               before: AuditTrail.json(before), source: context.remoteAddress)
        return Response(status: .noContent)
    }
}
