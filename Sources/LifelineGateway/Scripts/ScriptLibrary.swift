import Crypto
import Foundation
import LifelineCore
import LifelineStore

/// One library of scripts (N1): a technician's own, or the scripts an administrator embedded for a
/// technician group (R4). Every change that counts or reorders takes the library's turn, so two
/// requests cannot both pass a limit or leave two scripts in one place.
struct ScriptLibrary: Sendable {
    struct Owner: Sendable {
        let organisationId: String
        let technicianId: String?
        let groupId: String?

        static func technician(_ actor: Actor) -> Owner {
            Owner(organisationId: actor.technician.organisationId, technicianId: actor.id, groupId: nil)
        }

        static func group(_ group: TechnicianGroup) -> Owner {
            Owner(organisationId: group.organisationId, technicianId: nil, groupId: group.id)
        }

        var lockKey: String { technicianId.map { "scripts:technician:\($0)" } ?? "scripts:group:\(groupId ?? "")" }

        func owns(_ script: LibraryScript) -> Bool {
            script.organisationId == organisationId && script.ownerId == technicianId && script.groupId == groupId
        }
    }

    /// One script of an import, with its resource file's bytes.
    struct Entry: Equatable {
        var definition: ScriptDefinition
        var favourite: Bool
        var resource: Data?
    }

    let store: any Store
    let environment: GatewayEnvironment
    let turns: KeyedLocks

    static let notFound = GatewayError(.scriptNotFound, "There is no such script.")

    /// What running `script` needs of `actor`: their own script needs `deploy_scripts`, one embedded
    /// for their group `run_embedded_scripts`; nil when it is neither (it is "not found" to them).
    static func permission(toRun script: LibraryScript, by actor: Actor) -> Permission? {
        guard script.organisationId == actor.technician.organisationId else { return nil }
        if script.ownerId == actor.id { return .deployScripts }
        if let groupId = script.groupId, groupId == actor.technician.groupId { return .runEmbeddedScripts }
        return nil
    }

    func scripts(of owner: Owner) async throws -> [LibraryScript] {
        if let technicianId = owner.technicianId { return try await store.scripts(ownerId: technicianId) }
        return try await store.scripts(groupId: owner.groupId ?? "")
    }

    func script(_ id: String, of owner: Owner) async throws -> LibraryScript {
        let found = try await store.script(id: id)
        guard let script = found, owner.owns(script) else { throw Self.notFound }
        return script
    }

    func create(_ definition: ScriptDefinition, favourite: Bool, in owner: Owner) async throws -> LibraryScript {
        var valid = try Self.validated(definition)
        valid.resourceName = nil
        let now = environment.now()
        return try await turns.withLock(owner.lockKey) {
            let existing = try await scripts(of: owner)
            guard existing.count < ScriptRules.maximumCount else { throw Self.tooMany }
            if favourite { try Self.checkFavourites(existing, adding: 1) }
            let script = LibraryScript(id: UUID().uuidString.lowercased(), organisationId: owner.organisationId, ownerId: owner.technicianId,
                                       groupId: owner.groupId, position: (existing.map(\.position).max() ?? -1) + 1, favourite: favourite,
                                       definition: valid, scriptSha256: Self.sha256(Data(valid.content.utf8)), resourceSha256: nil,
                                       resourceSize: nil, createdAt: now, updatedAt: now)
            try await store.saveScript(script, resource: .keep)
            return script
        }
    }

    /// The definition replaced (the resource file stays: it changes through its own request).
    func update(_ id: String, to definition: ScriptDefinition, favourite: Bool, in owner: Owner) async throws -> LibraryScript {
        let valid = try Self.validated(definition)
        return try await turns.withLock(owner.lockKey) {
            var script = try await self.script(id, of: owner)
            if favourite && !script.favourite { try Self.checkFavourites(try await scripts(of: owner), adding: 1) }
            let resourceName = script.definition.resourceName
            script.definition = valid
            script.definition.resourceName = resourceName
            script.favourite = favourite
            script.scriptSha256 = Self.sha256(Data(valid.content.utf8))
            script.updatedAt = environment.now()
            try await store.saveScript(script, resource: .keep)
            return script
        }
    }

    func delete(_ id: String, in owner: Owner) async throws {
        try await turns.withLock(owner.lockKey) {
            let script = try await self.script(id, of: owner)
            try await store.deleteScript(id: script.id)
        }
    }

    /// Swaps the script with the one above (`up`) or below it; the places are renumbered 0, 1, 2 … on the way.
    func move(_ id: String, up: Bool, in owner: Owner) async throws -> [LibraryScript] {
        try await turns.withLock(owner.lockKey) {
            var scripts = try await scripts(of: owner)
            guard let index = scripts.firstIndex(where: { $0.id == id }) else { throw Self.notFound }
            let other = up ? index - 1 : index + 1
            if scripts.indices.contains(other) { scripts.swapAt(index, other) }
            let moved = scripts.enumerated().map { place, script in
                var script = script
                script.position = place
                return script
            }
            try await store.setScriptPositions(moved.map { (id: $0.id, position: $0.position) })
            return moved
        }
    }

    func setResource(_ id: String, name: String, bytes: Data, in owner: Owner) async throws -> LibraryScript {
        try await turns.withLock(owner.lockKey) {
            var script = try await self.script(id, of: owner)
            var definition = script.definition
            definition.resourceName = name
            script.definition = try Self.validated(definition)
            script.resourceSha256 = Self.sha256(bytes)
            script.resourceSize = bytes.count
            script.updatedAt = environment.now()
            try await store.saveScript(script, resource: .replace(bytes))
            return script
        }
    }

    func removeResource(_ id: String, in owner: Owner) async throws -> LibraryScript {
        try await turns.withLock(owner.lockKey) {
            var script = try await self.script(id, of: owner)
            script.definition.resourceName = nil
            script.resourceSha256 = nil
            script.resourceSize = nil
            script.updatedAt = environment.now()
            try await store.saveScript(script, resource: .remove)
            return script
        }
    }

    /// Adds the entries the library does not hold yet (same name and same script); returns how many
    /// were added. All or nothing: a limit passed adds none.
    func importEntries(_ entries: [Entry], into owner: Owner) async throws -> Int {
        try await turns.withLock(owner.lockKey) {
            let existing = try await scripts(of: owner)
            var seen = Set(existing.map { "\($0.definition.name)\u{0}\($0.scriptSha256)" })
            let fresh = entries.filter { seen.insert("\($0.definition.name)\u{0}\(Self.sha256(Data($0.definition.content.utf8)))").inserted }
            guard existing.count + fresh.count <= ScriptRules.maximumCount else { throw Self.tooMany }
            try Self.checkFavourites(existing, adding: fresh.filter(\.favourite).count)
            var position = (existing.map(\.position).max() ?? -1) + 1
            let now = environment.now()
            let rows = fresh.map { entry -> (LibraryScript, Data?) in
                defer { position += 1 }
                let script = LibraryScript(id: UUID().uuidString.lowercased(), organisationId: owner.organisationId,
                                           ownerId: owner.technicianId, groupId: owner.groupId, position: position, favourite: entry.favourite,
                                           definition: entry.definition, scriptSha256: Self.sha256(Data(entry.definition.content.utf8)),
                                           resourceSha256: entry.resource.map(Self.sha256), resourceSize: entry.resource?.count,
                                           createdAt: now, updatedAt: now)
                return (script, entry.resource)
            }
            try await store.saveScripts(rows)
            return rows.count
        }
    }

    static let tooMany = GatewayError(.tooManyScripts, "A library keeps at most \(ScriptRules.maximumCount) scripts.")

    static func checkFavourites(_ scripts: [LibraryScript], adding: Int) throws {
        guard scripts.filter(\.favourite).count + adding <= ScriptRules.maximumFavourites else {
            throw GatewayError(.tooManyFavourites, "At most \(ScriptRules.maximumFavourites) scripts are favourites; remove a star first.")
        }
    }

    static func validated(_ definition: ScriptDefinition) throws -> ScriptDefinition {
        do throws(ScriptRules.Problem) {
            return try ScriptRules.validated(definition)
        } catch {
            throw GatewayError.badRequest(ScriptRules.describe(error))
        }
    }

    static func sha256(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).hexString
    }
}
