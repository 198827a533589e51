import Foundation
import Hummingbird
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The technician's sessions: create, list, toolbar actions, chat and log (C1–C4, D1, F1).
struct SessionsController {
    let hub: SessionHub

    struct CreateRequest: Decodable {
        let name: String?
        let method: ConnectionMethod
        /// Standard when absent.
        let type: SessionType?
        let platform: CustomerPlatform?
    }

    struct CreateResponse: Encodable {
        let id: String
        let name: String
        let state: SessionState
        let method: ConnectionMethod
        let pin: String?
        let link: String?
        let session: SessionSummary
    }

    struct MessageRequest: Decodable {
        let text: String
    }

    struct TransferRequest: Decodable {
        /// A technician id, or `{"group": id}` / `{"channel": id}` for a queue.
        let to: TransferTarget
        let comment: String?
    }

    struct FieldsRequest: Decodable {
        /// Custom field values by name; an empty value clears the field.
        let fields: [String: String]
    }

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("sessions", use: create)
        group.get("sessions", use: list)
        group.get("sessions/{id}", use: show)
        group.patch("sessions/{id}", use: editFields)
        for command in SessionCommand.allCases {
            group.post("sessions/{id}/\(command.rawValue)") { request, context in
                try await perform(command, request: request, context: context)
            }
        }
        group.post("sessions/{id}/transfer", use: transfer)
        group.get("transfer-queues", use: transferQueues)
        group.post("sessions/{id}/screenshots", use: screenshot)
        group.post("sessions/{id}/urls", use: sendURL)
        group.post("sessions/{id}/applet-invitation", use: inviteToApplet)
        group.put("sessions/{id}/chat", use: switchChat)
        group.get("sessions/{id}/device-history", use: deviceHistory)
        group.get("sessions/{id}/device-history/{earlier}/log", use: deviceHistoryLog)
        group.get("sessions/{id}/notes", use: notes)
        group.put("sessions/{id}/notes", use: saveNotes)
        group.post("sessions/{id}/messages", use: message)
        group.get("sessions/{id}/log", use: log)
        group.get("history", use: history)
    }

    @Sendable func create(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let created = try await hub.createSession(by: actor, name: body.name, method: body.method, type: body.type ?? .standard, platform: body.platform)
        let s = created.summary
        return try JSONResponse.make(CreateResponse(id: s.id, name: s.name, state: s.state, method: s.method,
                                                    pin: created.pin, link: created.link, session: s), status: .created)
    }

    @Sendable func list(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let name = request.uri.queryParameters.get("queue") ?? "all"
        guard let tab = QueueTab(rawValue: name) else {
            throw GatewayError.badRequest("Unknown queue \"\(name)\". Use all, private, channel, active or monitored.")
        }
        if tab == .monitored { return try JSONResponse.make(try await hub.monitoredSessions(by: actor)) }
        return try JSONResponse.make(await hub.sessions(of: actor, tab: tab))
    }

    @Sendable func show(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.summary(of: try Self.id(context), for: actor))
    }

    func perform(_ command: SessionCommand, request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.perform(command, on: try Self.id(context), by: actor))
    }

    /// Inline edit of custom fields in the queue (C3, permission edit_custom_fields).
    @Sendable func editFields(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: FieldsRequest.self, context: context)
        return try JSONResponse.make(try await hub.editFields(of: try Self.id(context), to: body.fields, by: actor))
    }

    @Sendable func transfer(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: TransferRequest.self, context: context)
        return try JSONResponse.make(try await hub.transfer(try Self.id(context), to: body.to, comment: body.comment ?? "", by: actor))
    }

    struct QueueView: Encodable {
        /// "group" or "channel".
        let kind: String
        let id: String
        let name: String
    }

    /// The group and channel queues of the organisation a session can be transferred into (C6).
    @Sendable func transferQueues(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try actor.require(.transferSessions)
        let (groups, channels) = try await hub.transferQueues(of: actor.technician.organisationId)
        return try JSONResponse.make(groups.map { QueueView(kind: "group", id: $0.id, name: $0.name) }
            + channels.map { QueueView(kind: "channel", id: $0.id, name: $0.name) })
    }

    /// J15: the gateway checks take_screenshots and logs it; the console saves the PNG.
    @Sendable func screenshot(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        try await hub.recordScreenshot(on: try Self.id(context), by: actor)
        return Response(status: .noContent)
    }

    struct URLRequestBody: Decodable { let url: String }
    struct NotesBody: Decodable { let text: String }

    /// D6: earlier sessions with the same device, with their notes.
    @Sendable func deviceHistory(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.deviceHistory(of: try Self.id(context), for: actor))
    }

    @Sendable func deviceHistoryLog(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        guard let earlier = context.parameters.get("earlier") else { throw GatewayError.sessionNotFound }
        return try JSONResponse.make(try await hub.deviceHistoryLog(of: earlier, through: try Self.id(context), for: actor))
    }

    @Sendable func notes(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let id = try Self.id(context)
        let notes = try await hub.notes(of: id, for: actor)
        return try JSONResponse.make(notes ?? SessionNotes(sessionId: id, text: "", updatedBy: "", updatedAt: Date(timeIntervalSince1970: 0)))
    }

    @Sendable func saveNotes(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: NotesBody.self, context: context)
        return try JSONResponse.make(try await hub.saveNotes(body.text, on: try Self.id(context), by: actor))
    }

    /// D3: the applet shows the link and opens it in the customer's browser.
    @Sendable func sendURL(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: URLRequestBody.self, context: context)
        try await hub.sendURL(body.url, on: try Self.id(context), by: actor)
        return Response(status: .noContent)
    }

    /// Instant Chat (G2): "invite to download" the applet.
    @Sendable func inviteToApplet(request: Request, context: GatewayRequestContext) async throws -> Response {
        try await hub.inviteToApplet(on: try Self.id(context), by: try context.requireActor())
        return Response(status: .noContent)
    }

    struct ChatSwitch: Decodable {
        let enabled: Bool
    }

    /// The per-session chat switch (D1, toggle_chat).
    @Sendable func switchChat(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: ChatSwitch.self, context: context)
        return try JSONResponse.make(try await hub.switchChat(on: try Self.id(context), enabled: body.enabled, by: actor))
    }

    @Sendable func message(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decodeJSON(as: MessageRequest.self, context: context)
        return try JSONResponse.make(try await hub.sendChat(body.text, to: try Self.id(context), by: actor), status: .created)
    }

    @Sendable func log(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        return try JSONResponse.make(try await hub.log(of: try Self.id(context), for: actor))
    }

    @Sendable func history(request: Request, context: GatewayRequestContext) async throws -> Response {
        let actor = try context.requireActor()
        // Out of range is refused, not quietly clamped: the caller learns the documented bounds.
        var limit = 100
        if let raw = request.uri.queryParameters.get("limit") {
            guard let value = Int(raw), (1...500).contains(value) else {
                throw GatewayError.badRequest("limit is a whole number from 1 to 500.")
            }
            limit = value
        }
        return try JSONResponse.make(try await hub.history(of: actor, limit: limit))
    }

    static func id(_ context: GatewayRequestContext) throws -> String {
        guard let id = context.parameters.get("id") else { throw GatewayError.sessionNotFound }
        return id
    }
}

extension TransferTarget: Decodable {
    private struct Queue: Decodable {
        let group: String?
        let channel: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let technicianId = try? container.decode(String.self) {
            self = .technician(technicianId)
            return
        }
        let queue = try container.decode(Queue.self)
        switch (queue.group, queue.channel) {
        case (let group?, nil): self = .group(group)
        case (nil, let channel?): self = .channel(channel)
        default:
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"to\" is a technician id, {\"group\": id} or {\"channel\": id}.")
        }
    }
}
