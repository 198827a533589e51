import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore

/// A restart asked of the applet and not answered yet.
struct PendingReboot: Sendable {
    let kind: RebootKind
    let autoLogin: Bool
    let technicianId: String
    let technicianName: String
}

/// Restarting the customer's machine and reconnecting (M1–M3): the owner of an active session, or
/// a colleague collaborating in it with the restart allowed (the appendix's Collaboration →
/// Rebooting), asks (`reboot`); the gateway gives the applet a single-use resume ticket (keeping its hash) and the
/// applet asks the customer, writes its one-shot resume entry, restarts the machine and says so;
/// the session is Rebooting until the applet, started again after the boot, rejoins with the ticket.
extension LiveSession {
    /// How long a ticket lets the machine come back: long enough for a restart that installs
    /// updates; the session is Offline after five minutes but still returns with it.
    static let resumeTicketLifetime: TimeInterval = 60 * 60

    /// Where the lead may restart the customer's computer from: the appendix's rows into Rebooting.
    static let rebootStates: Set<SessionState> = [.waiting, .active, .collaboration, .outgoing]

    func rebootRequest(_ message: RebootRequestMessage, by actor: Actor) async throws {
        try await serialised {
            // The appendix lets the technician restart from Waiting, and after transferring (Outgoing) too.
            let record = try await hub.workedSession(id, by: actor, permission: .reboot, activeOnly: "The customer's computer can be restarted",
                                                    leadStates: nil)
            guard Self.rebootStates.contains(record.machine.state) else {
                throw GatewayError(.sessionNotActive, "The customer's computer can be restarted in a waiting, active or outgoing session only.")
            }
            if message.kind.needsElevatedApplet, record.customer?.privileged != true {
                throw GatewayError.badRequest("A safe-mode or emergency restart needs the applet with administrator rights: restart it elevated first.")
            }
            if message.autoLogin == true, message.kind == .safeMode {
                throw GatewayError.badRequest("A safe-mode boot has no desktop to sign the customer in to.")
            }
            if message.autoLogin == true, record.customer?.privileged != true {
                throw GatewayError.badRequest("Signing the customer in by itself after the restart needs the applet with administrator rights: restart it elevated first.")
            }
            if let requestId = message.requestId { try Self.checkRequestId(requestId) }
            _ = try hub.connectedApplet(of: id)
            guard pendingReboot == nil else { throw GatewayError.badRequest("A restart is already waiting for the customer's answer.") }
            let ticket = Secrets.token()
            pendingReboot = PendingReboot(kind: message.kind, autoLogin: message.autoLogin == true, technicianId: actor.id,
                                          technicianName: actor.technician.name)
            do {
                try await store.saveResumeTicket(hash: Secrets.hash(ticket), sessionId: id,
                                                 expiresAt: environment.now().addingTimeInterval(Self.resumeTicketLifetime))
            } catch {
                pendingReboot = nil
                throw error
            }
            sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.reboot(.init(
                kind: message.kind, ticket: ticket, technician: actor.technician.name, autoLogin: message.autoLogin == true ? true : nil))))
            try await hub.logEvent(.rebootRequested(technician: actor.technician.name, kind: message.kind.rawValue), in: record)
        }
    }

    /// The applet's answer: restarting (the session goes Rebooting), refused or failed (the ticket
    /// dies). Told to the technician who asked, logged and audited.
    func appletRebootResult(_ message: RebootResultMessage, outletId: UUID) async {
        do {
            try await serialised {
                guard sockets.isApplet(outletId, of: id), isLive, let pending = pendingReboot, pending.kind == message.kind else { return }
                pendingReboot = nil
                var current = record
                switch message.outcome {
                case .restarting:
                    current = try await apply(.rebootStarted)
                    try await hub.logEvent(.machineRestarting(kind: message.kind.rawValue), in: current)
                case .refused:
                    try await store.dropResumeTickets(sessionId: id)
                    try await hub.logEvent(.rebootRefused, in: current)
                case .failed:
                    try await store.dropResumeTickets(sessionId: id)
                    try await hub.logEvent(.rebootFailed(reason: String((message.message ?? "unknown").prefix(200))), in: current)
                }
                await auditCustomerChange(.customerSystemChanged, objectType: "computer", technicianId: pending.technicianId,
                                          technicianName: pending.technicianName, after: "reboot_\(message.kind.rawValue)\(pending.autoLogin ? "_autologin" : ""): \(message.outcome.rawValue)",
                                          in: current, what: "reboot")
                // The one who asked, while they still work on the session (the lead, or a colleague).
                if current.technicianId == pending.technicianId || current.collaborations[pending.technicianId] != nil {
                    let inhibitors = message.inhibitors.map { Array($0.prefix(32)) }
                    sockets.sendToConsoles(of: pending.technicianId, WireCodec.encode(GatewayToConsole.rebootResult(.init(
                        sessionId: id, kind: message.kind, outcome: message.outcome, message: message.message.map { String($0.prefix(500)) },
                        inhibitors: inhibitors))))
                }
            }
        } catch {
            logger.error("Could not record the applet's answer to a restart", metadata: ["session.id": "\(id)", "error": "\(error)"])
        }
    }

    /// The states from which the customer's own restart comes back by itself: the appendix's On hold
    /// row, Active (the technician asked them to) and Incoming (the machine restarts after a transfer).
    static let customerRestartStates: Set<SessionState> = [.onHold, .active, .incoming]

    /// The customer restarts the machine themselves (the applet saw logind announce it): the session
    /// goes Rebooting and the applet gets a ticket for its one-shot return, as for the technician's
    /// restart. Called off before the machine went down: the session is back at once.
    func customerRestart(_ phase: CustomerRestartMessage.Phase, outletId: UUID) async {
        do {
            try await serialised {
                guard sockets.isApplet(outletId, of: id), isLive else { return }
                switch phase {
                case .starting:
                    let state = record.machine.state
                    guard pendingReboot == nil, Self.customerRestartStates.contains(state) else {
                        // Waiting, a restart the technician asked, a session going elsewhere: the usual
                        // Reconnecting → Offline when the machine goes down, and the customer's PIN or link.
                        return sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.resumeTicket(.init(
                            ticket: nil, reason: "A \(state.rawValue) session does not come back by itself after a restart."))))
                    }
                    let ticket = Secrets.token()
                    try await store.saveResumeTicket(hash: Secrets.hash(ticket), sessionId: id,
                                                     expiresAt: environment.now().addingTimeInterval(Self.resumeTicketLifetime))
                    let current = try await apply(.rebootStarted)
                    sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.resumeTicket(.init(ticket: ticket))))
                    try await hub.logEvent(.customerRestarting, in: current)
                case .cancelled:
                    guard record.machine.state == .rebooting else { return }
                    try await store.dropResumeTickets(sessionId: id)
                    let current = try await apply(.rebootFinished)
                    try await hub.logEvent(.customerRestartCancelled, in: current)
                }
            }
        } catch {
            logger.error("Could not record the customer's own restart", metadata: ["session.id": "\(id)", "phase": "\(phase.rawValue)", "error": "\(error)"])
            if phase == .starting {
                sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.resumeTicket(.init(ticket: nil, reason: "The gateway could not keep a ticket."))))
            }
        }
    }

    /// The applet of the restarted machine presented its ticket (already used up by the store): it
    /// gets a new applet token, and its hello brings the session back to where it was.
    func resumeAfterRestart() async throws -> (record: SessionRecord, appletToken: String) {
        try await serialised {
            // Reconnecting too: the machine may go down before the applet's "restarting" arrives.
            guard isLive, [.rebooting, .offline, .reconnecting].contains(record.machine.state) else { throw SessionHub.unknownResumeTicket }
            pendingReboot = nil
            let token = Secrets.token()
            let before = record.appletTokenHash
            changeRecord { $0.appletTokenHash = Secrets.hash(token) }
            do {
                try await persist(record, viewsChanged: false)
            } catch {
                changeRecord { $0.appletTokenHash = before }
                throw error
            }
            try await hub.logEvent(.machineRestarted, in: record)
            return (record, token)
        }
    }
}
