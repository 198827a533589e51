#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LifelineCore
import LifelineProtocol
import Logging

/// A technician connecting to this unattended computer (F5): the agent checks the rules the
/// customer approved against its own clock and the system's time-zone data — whatever the gateway
/// says — and only then starts the applet with the session's link. With a desktop to show it on,
/// the applet opens its window, so a logged-in user sees who is connected and can end it; without
/// one, the users signed in on terminals are told there.
enum AgentConnections {
    static func start(_ order: GatewayToAgent.AgentConnect, state: AgentState, now: Date = Date(), logger: Logger) async -> AgentToGateway.AgentConnectAnswer {
        guard let zone = SystemZones.named(state.rules.timeZone, logger: logger) else {
            return .init(sessionId: order.sessionId, started: false, reason: "this computer has no time-zone data for \(state.rules.timeZone)")
        }
        let verdict = state.rules.verdict(at: now, approvedAt: state.approvedAt, zone: zone)
        guard verdict == .allowed else {
            logger.notice("A connection outside the approved rules was refused", metadata: ["technician": "\(order.technician)", "verdict": "\(verdict.rawValue)"])
            return .init(sessionId: order.sessionId, started: false, verdict: verdict)
        }
        if state.rules.credentials == .atEachConnection {
            // The customer asked that whoever connects proves they know an account of this computer.
            guard let username = order.username, let password = order.password else {
                return .init(sessionId: order.sessionId, started: false, reason: "no credentials came with the connection", credentialsRefused: true)
            }
            switch await PosixThread.offThread({ PamCheck.verify(username: username, password: password) }) {
            case .accepted:
                break
            case .refused(let why):
                logger.notice("A connection with wrong credentials was refused", metadata: ["technician": "\(order.technician)", "pam": "\(why)"])
                return .init(sessionId: order.sessionId, started: false, reason: why, credentialsRefused: true)
            case .unavailable(let why):
                return .init(sessionId: order.sessionId, started: false, reason: "the credentials cannot be checked here: \(why)")
            }
        }
        let onDesktop = ProcessInfo.processInfo.environment["DISPLAY"].map { !$0.isEmpty } ?? false
        let arguments = ["--gateway", state.gateway, "--link", order.link, "--remote-consent", "accept", "--accept-terms", "--unattended"]
            + (onDesktop ? [] : ["--non-interactive"])
        do {
            // Its output joins the agent's own (the agent's log, or the service's journal).
            _ = try ChildProcess.start(LocalPaths.runningBinary(), arguments, sharedOutput: true)
        } catch {
            return .init(sessionId: order.sessionId, started: false, reason: "\(error)")
        }
        logger.notice("A technician connected with unattended access", metadata: ["technician": "\(order.technician)", "session.id": "\(order.sessionId)"])
        if !onDesktop {
            // No window can say who is connected: the people signed in on terminals are told, as `wall` would.
            let told = TerminalNotice.announce(AppletText.fromEnvironment()("agent.connected_notice", ["technician": Transcript.clean(order.technician)]))
            if !told.isEmpty { logger.notice("Signed-in users were told on their terminals", metadata: ["terminals": "\(told.joined(separator: " "))"]) }
        }
        return .init(sessionId: order.sessionId, started: true)
    }
}

/// Time zones from the system's TZif files (tzdata), read with `ZoneRules`: the applet carries no
/// ICU data.
enum SystemZones {
    static let folder = "/usr/share/zoneinfo/"

    static func named(_ name: String, logger: Logger) -> ZoneRules? {
        // Never a way out of the folder.
        guard ZoneRules.isZoneName(name) else { return nil }
        guard let bytes = FileManager.default.contents(atPath: folder + name) else {
            logger.warning("No time-zone data", metadata: ["zone": "\(name)"])
            return nil
        }
        do {
            return try ZoneRules(tzif: Array(bytes))
        } catch {
            logger.warning("Unreadable time-zone data", metadata: ["zone": "\(name)", "error": "\(error.reason)"])
            return nil
        }
    }
}
