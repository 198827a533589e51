import Foundation
import Hummingbird
import LifelineCore
import LifelineStore
import NIOCore

/// The scripts library over HTTP (N1): each technician's own scripts (the `deploy_scripts`
/// permission) and, read-only, the scripts embedded for their group; the Admin Center's routes
/// manage a group's embedded scripts (R4) with the same handlers. Another library's script is
/// "not found".
struct ScriptsController: Sendable {
    let library: ScriptLibrary
    let scope: AdminScope

    init(store: any Store, environment: GatewayEnvironment) {
        library = ScriptLibrary(store: store, environment: environment, turns: KeyedLocks())
        scope = AdminScope(store: store)
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("scripts", use: list)
        group.get("scripts/export", use: export)
        group.post("scripts/import", use: importFile)
        group.get("scripts/{script}/resource", use: downloadResource)
        addLibraryRoutes(to: group, prefix: "scripts") { _, context in
            let actor = try context.requireActor()
            try actor.require(.deployScripts)
            return .technician(actor)
        }
        addLibraryRoutes(to: group, prefix: "admin/groups/{id}/scripts") { [scope] _, context in
            let actor = try context.requireAdministrator()
            return .group(try await scope.group(context.parameters.get("id") ?? "", managedBy: actor))
        }
        group.get("admin/groups/{id}/scripts") { [scope, library] _, context in
            let actor = try context.requireAdministrator()
            let group = try await scope.group(context.parameters.get("id") ?? "", managedBy: actor)
            return try JSONResponse.make(try await library.scripts(of: .group(group)))
        }
    }

    struct ScriptBody: Decodable {
        let definition: ScriptDefinition
        let favourite: Bool

        init(from decoder: any Decoder) throws {
            definition = try ScriptDefinition(from: decoder)
            favourite = try decoder.container(keyedBy: Keys.self).decodeIfPresent(Bool.self, forKey: .favourite) ?? false
        }

        private enum Keys: String, CodingKey { case favourite }
    }

    struct MoveBody: Decodable {
        enum Direction: String, Decodable { case up, down }
        let direction: Direction
    }

    struct Listing: Encodable {
        let scripts: [LibraryScript]
        /// Scripts an administrator embedded for the technician's group (R4).
        let embedded: [LibraryScript]
        let canDeploy: Bool
        let canRunEmbedded: Bool
    }

    struct ImportResult: Encodable {
        let added: Int
        /// Scripts already there (same name and script).
        let unchanged: Int
    }

    /// Create, change, delete, move, and the resource file: the same for a technician's library and a group's.
    private func addLibraryRoutes(to group: RouterGroup<GatewayRequestContext>, prefix: String,
                                  owner: @escaping @Sendable (Request, GatewayRequestContext) async throws -> ScriptLibrary.Owner) {
        let library = library
        group.post(RouterPath(prefix)) { request, context in
            let owner = try await owner(request, context)
            let body = try await request.decodeJSON(as: ScriptBody.self, context: context)
            return try JSONResponse.make(try await library.create(body.definition, favourite: body.favourite, in: owner), status: .created)
        }
        group.put(RouterPath("\(prefix)/{script}")) { request, context in
            let owner = try await owner(request, context)
            let body = try await request.decodeJSON(as: ScriptBody.self, context: context)
            return try JSONResponse.make(try await library.update(try Self.scriptId(context), to: body.definition, favourite: body.favourite, in: owner))
        }
        group.delete(RouterPath("\(prefix)/{script}")) { request, context in
            try await library.delete(try Self.scriptId(context), in: try await owner(request, context))
            return Response(status: .noContent)
        }
        group.post(RouterPath("\(prefix)/{script}/move")) { request, context in
            let owner = try await owner(request, context)
            let body = try await request.decodeJSON(as: MoveBody.self, context: context)
            return try JSONResponse.make(try await library.move(try Self.scriptId(context), up: body.direction == .up, in: owner))
        }
        group.put(RouterPath("\(prefix)/{script}/resource")) { request, context in
            let owner = try await owner(request, context)
            let name = request.uri.queryParameters.get("name") ?? ""
            let bytes: ByteBuffer
            do {
                bytes = try await request.body.collect(upTo: ScriptRules.maximumResourceBytes)
            } catch {
                throw GatewayError(.fileTooLarge, ScriptRules.describe(.resourceTooLarge))
            }
            return try JSONResponse.make(try await library.setResource(try Self.scriptId(context), name: name,
                                                                       bytes: Data(bytes.readableBytesView), in: owner))
        }
        group.delete(RouterPath("\(prefix)/{script}/resource")) { request, context in
            let owner = try await owner(request, context)
            return try JSONResponse.make(try await library.removeResource(try Self.scriptId(context), in: owner))
        }
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let own = try await library.scripts(of: .technician(actor))
        var embedded: [LibraryScript] = []
        if let groupId = actor.technician.groupId { embedded = try await library.store.scripts(groupId: groupId) }
        return try JSONResponse.make(Listing(scripts: own, embedded: embedded, canDeploy: actor.permissions.allows(.deployScripts),
                                             canRunEmbedded: actor.permissions.allows(.runEmbeddedScripts)))
    }

    /// The resource file of one of the technician's scripts or of their group's embedded ones.
    @Sendable func downloadResource(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let script = try await visibleScript(try Self.scriptId(context), to: actor)
        let found = try await library.store.scriptResource(id: script.id)
        guard let bytes = found, let name = script.definition.resourceName else {
            throw GatewayError(.fileNotFound, "This script has no resource file.")
        }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: "no-store",
                                               .contentDisposition: FileDownload.attachment(name)],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func export(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try actor.require(.deployScripts)
        var rows: [(LibraryScript, Data?)] = []
        for script in try await library.scripts(of: .technician(actor)) {
            rows.append((script, script.resourceSha256 == nil ? nil : try await library.store.scriptResource(id: script.id)))
        }
        return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: FileDownload.attachment("scripts.xml")],
                        body: .init(byteBuffer: ByteBuffer(string: ScriptsXML.export(rows))))
    }

    @Sendable func importFile(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try actor.require(.deployScripts)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: ScriptsXML.maximumBytes)
        } catch {
            throw GatewayError(.fileTooLarge, "scripts.xml is larger than 64 MiB.")
        }
        let entries: [ScriptLibrary.Entry]
        do throws(ScriptsXML.Failure) {
            entries = try ScriptsXML.parse(Data(body.readableBytesView))
        } catch {
            throw GatewayError(.badScriptsFile, error.message)
        }
        let added = try await library.importEntries(entries, into: .technician(actor))
        return try JSONResponse.make(ImportResult(added: added, unchanged: entries.count - added))
    }

    /// One of the technician's own scripts, or one embedded for their group.
    func visibleScript(_ id: String, to actor: Actor) async throws -> LibraryScript {
        let found = try await library.store.script(id: id)
        guard let script = found, ScriptLibrary.permission(toRun: script, by: actor) != nil else { throw ScriptLibrary.notFound }
        return script
    }

    static func scriptId(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("script") else { throw ScriptLibrary.notFound }
        return id
    }
}
