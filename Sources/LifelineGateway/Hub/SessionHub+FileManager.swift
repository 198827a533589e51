import Foundation
import LifelineCore
import LifelineProtocol

/// The file manager's messages, each passed to its session (`LiveSession+FileManager`).
extension SessionHub {
    func openFileManager(on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).openFileManager(by: actor)
    }

    func closeFileManager(on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).closeFileManager(by: actor)
    }

    func fileManagerRequest(_ message: FileManagerRequestMessage, by actor: Actor) async throws {
        guard let id = message.sessionId else { throw GatewayError.badRequest("file_manager_request needs its sessionId.") }
        try await liveSession(id, for: actor).fileManagerRequest(message, by: actor)
    }

    func appletAnsweredFileManager(accepted: Bool, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletAnsweredFileManager(accepted: accepted, outletId: outletId)
    }

    func appletClosedFileManager(reason: String, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletClosedFileManager(reason: reason, outletId: outletId)
    }

    func appletFileManagerReply(_ message: FileManagerReplyMessage, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletFileManagerReply(message, outletId: outletId)
    }

    func systemInfoRequest(_ message: SystemInfoRequestMessage, by actor: Actor) async throws {
        guard let id = message.sessionId else { throw GatewayError.badRequest("system_info_request needs its sessionId.") }
        try await liveSession(id, for: actor).systemInfoRequest(message, by: actor)
    }

    func appletSystemInfoReply(_ message: SystemInfoReplyMessage, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletSystemInfoReply(message, outletId: outletId)
    }

    func systemActionRequest(_ message: SystemActionRequestMessage, by actor: Actor) async throws {
        guard let id = message.sessionId else { throw GatewayError.badRequest("system_action_request needs its sessionId.") }
        try await liveSession(id, for: actor).systemActionRequest(message, by: actor)
    }

    func appletSystemActionReply(_ message: SystemActionReplyMessage, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletSystemActionReply(message, outletId: outletId)
    }

    func fileManagerAppletPipe(_ transferId: String, toCustomer: Bool, contentLength: Int64? = nil, appletToken: String) async throws -> (BytePipe, Int64?) {
        try await sessionOfApplet(token: appletToken).fileManagerAppletPipe(transferId, toCustomer: toCustomer, contentLength: contentLength)
    }

    func fileManagerTechnicianPipe(_ transferId: String, toCustomer: Bool, of sessionId: String, by actor: Actor) async throws -> (BytePipe, Int64?) {
        try await liveSession(sessionId, for: actor).fileManagerTechnicianPipe(transferId, toCustomer: toCustomer, by: actor)
    }

    static func gatewayError(_ refusal: FileManagerAccess.Refusal) -> GatewayError {
        switch refusal {
        case .notPermitted(let permission): .forbidden(permission)
        case .sessionNotActive(let state):
            GatewayError(.sessionNotActive, "The file manager needs an active session (this one is \(state.rawValue)).")
        case .inUseByOther: GatewayError(.fileManagerInUse, "Another technician has the file manager of this session open.")
        case .notOpen: GatewayError(.fileManagerNotOpen, "Open the file manager first: the customer is asked.")
        case .waitingForCustomer: GatewayError(.fileManagerNotOpen, "The customer has not agreed to the file manager yet.")
        }
    }
}
