import Foundation
import Hummingbird
import LifelineCore
import LifelineStore
import NIOCore

/// Predefined replies and URLs (D2), shared by the technicians of an organisation: list, add,
/// edit, delete, export and import replies.xml. Another organisation's reply is "not found".
struct RepliesController: Sendable {
    let store: any Store
    let environment: GatewayEnvironment
    /// Additions to one organisation's replies take turns: the limit is counted and kept in one step.
    let turns = KeyedLocks()

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("replies", use: list)
        group.post("replies", use: create)
        group.get("replies/export", use: export)
        group.post("replies/import", use: importFile)
        group.put("replies/{reply}", use: update)
        group.delete("replies/{reply}", use: delete)
    }

    struct ReplyRequest: Decodable {
        let kind: ReplyRules.Kind
        let name: String
        let content: String
    }

    struct ImportResult: Encodable {
        let added: Int
        /// Entries already there (same kind, name and text).
        let unchanged: Int
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await store.replies(organisationId: actor.technician.organisationId))
    }

    @Sendable func create(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: ReplyRequest.self, context: context)
        let valid = try Self.validated(body)
        let reply = Reply(id: UUID().uuidString.lowercased(), organisationId: actor.technician.organisationId, kind: body.kind,
                          name: valid.name, content: valid.content, createdBy: actor.id, createdAt: environment.now())
        try await turns.withLock("replies:\(actor.technician.organisationId)") {
            guard try await store.replies(organisationId: actor.technician.organisationId).count < ReplyRules.maximumCount else {
                throw GatewayError(.tooManyReplies, "An organisation keeps at most \(ReplyRules.maximumCount) replies and URLs.")
            }
            try await store.saveReply(reply)
        }
        return try JSONResponse.make(reply, status: .created)
    }

    @Sendable func update(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        var reply = try await owned(context, actor)
        let body = try await request.decodeJSON(as: ReplyRequest.self, context: context)
        let valid = try Self.validated(body)
        reply.kind = body.kind
        reply.name = valid.name
        reply.content = valid.content
        try await store.saveReply(reply)
        return try JSONResponse.make(reply)
    }

    @Sendable func delete(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let reply = try await owned(context, actor)
        try await store.deleteReply(id: reply.id)
        return Response(status: .noContent)
    }

    @Sendable func export(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let xml = RepliesXML.export(try await store.replies(organisationId: actor.technician.organisationId))
        return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: FileDownload.attachment("replies.xml")],
                        body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    /// Adds what the file holds that is not there yet; a file with any problem adds nothing.
    @Sendable func importFile(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: RepliesXML.maximumBytes)
        } catch {
            throw GatewayError(.fileTooLarge, "replies.xml is larger than 1 MiB.")
        }
        let entries: [RepliesXML.Entry]
        do throws(RepliesXML.Failure) {
            entries = try RepliesXML.parse(Data(body.readableBytesView))
        } catch {
            throw GatewayError(.badRepliesFile, error.message)
        }
        let organisation = actor.technician.organisationId
        let fresh = try await turns.withLock("replies:\(organisation)") {
            var existing = Set(try await store.replies(organisationId: organisation).map { "\($0.kind.rawValue)\u{0}\($0.name)\u{0}\($0.content)" })
            let fresh = entries.filter { existing.insert("\($0.kind.rawValue)\u{0}\($0.name)\u{0}\($0.content)").inserted }
            guard existing.count <= ReplyRules.maximumCount else {
                throw GatewayError(.tooManyReplies, "An organisation keeps at most \(ReplyRules.maximumCount) replies and URLs.")
            }
            try await store.saveReplies(fresh.map { entry in
                Reply(id: UUID().uuidString.lowercased(), organisationId: organisation, kind: entry.kind, name: entry.name,
                      content: entry.content, createdBy: actor.id, createdAt: environment.now())
            })
            return fresh
        }
        return try JSONResponse.make(ImportResult(added: fresh.count, unchanged: entries.count - fresh.count))
    }

    private func owned(_ context: GatewayRequestContext, _ actor: Actor) async throws -> Reply {
        let notFound = GatewayError(.replyNotFound, "There is no such reply.")
        guard let id = context.parameters.get("reply") else { throw notFound }
        // Two statements: `guard let … = try await` on an existential store crashes the 6.3 optimizer.
        let found = try await store.reply(id: id)
        guard let reply = found, reply.organisationId == actor.technician.organisationId else { throw notFound }
        return reply
    }

    static func validated(_ body: ReplyRequest) throws -> (name: String, content: String) {
        do throws(ReplyRules.Problem) {
            return try ReplyRules.validated(kind: body.kind, name: body.name, content: body.content)
        } catch {
            throw GatewayError.badRequest(ReplyRules.describe(error))
        }
    }
}
