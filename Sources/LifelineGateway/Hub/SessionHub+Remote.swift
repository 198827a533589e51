import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// The remote desktop's requests, each passed to its session (`LiveSession+Remote`).
extension SessionHub {
    /// The live session `id`, for work whose checks (ownership, permissions, state) run in its
    /// turn; a session no longer live is refused as those checks refuse it.
    func liveSession(_ id: String, for actor: Actor) async throws -> LiveSession {
        if let session = registry.session(id) { return session }
        _ = try await visibleSession(id, by: actor)
        throw GatewayError.sessionNotFound
    }

    func requestRemote(_ mode: RemoteMode, on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).requestRemote(mode, by: actor)
    }

    func stopRemote(on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).stopRemote(by: actor)
    }

    func remoteInput(_ events: [InputEvent], on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).remoteInput(events, by: actor)
    }

    func remoteFrameDrawn(_ sequence: UInt32, on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).remoteFrameDrawn(sequence, by: actor)
    }

    func remoteSettings(_ quality: RemoteQuality, on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).remoteSettings(quality, by: actor)
    }

    func remoteTool(_ tool: RemoteTool, on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).remoteTool(tool, by: actor)
    }

    func recordScreenshot(on id: String, by actor: Actor) async throws {
        try await liveSession(id, for: actor).recordScreenshot(by: actor)
    }

    func consoleSignal(_ signal: WebRTCSignal, on id: String, by actor: Actor, console: UUID) async throws {
        try await liveSession(id, for: actor).consoleSignal(signal, by: actor, console: console)
    }

    func customerSignal(_ signal: WebRTCSignal, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.customerSignal(signal, outletId: outletId)
    }

    func customerScreenTransport(_ transport: RemoteDesktopState.Transport, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.customerScreenTransport(transport, outletId: outletId)
    }

    func appletAnsweredRemote(accepted: Bool, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletAnsweredRemote(accepted: accepted, outletId: outletId)
    }

    func appletEndedRemote(reason: String, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletEndedRemote(reason: reason, outletId: outletId)
    }

    func appletRemoteNotice(_ notice: RemoteNotice, sessionId: String, outletId: UUID) async {
        await registry.session(sessionId)?.appletRemoteNotice(notice, outletId: outletId)
    }

    static func gatewayError(_ refusal: RemoteDesktopState.Refusal) -> GatewayError {
        switch refusal {
        case .notPermitted(let permission): .forbidden(permission)
        case .sessionNotActive(let state):
            GatewayError(.sessionNotActive, "The remote desktop needs an active session (this one is \(state.rawValue)).")
        case .alreadyRunning: GatewayError(.remoteAlreadyRunning, "A remote desktop is already requested or running.")
        case .notRunning: GatewayError(.remoteNotRunning, "No remote desktop is running in this session.")
        case .viewOnly: GatewayError(.viewOnly, "This is a view-only desktop: ask for remote control to use mouse and keyboard.")
        case .chatOnly: GatewayError.chatOnly
        case .browserViewOnly:
            GatewayError(.browserViewOnly, "The customer shows their screen from a browser: desktop view only. Invite them to download the app for remote control.")
        case .notInBrowser:
            GatewayError(.notInBrowser, "Not available while the customer shows their screen from a browser: this tool needs the Lifeline app on their side.")
        case .noDirectPath:
            GatewayError(.noDirectPath, "No direct connection from this console: the customer's screen is not shared from a browser, "
                + "or another of your consoles answered it (the screen still comes through the gateway).")
        }
    }
}
