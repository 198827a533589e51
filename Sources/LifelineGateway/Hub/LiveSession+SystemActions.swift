import Foundation
import LifelineCore
import LifelineProtocol

/// Changes on the customer's machine from the System info tab (L2: ending a process; L3: services; L4:
/// uninstalling, with `uninstall_applications`; L7: startup): the owner of an active session with the
/// `system_actions` permission, or a colleague collaborating in it with it allowed, asks, the applet
/// acts, and what it did
/// goes to the session log and the audit log whoever owns the session by then — the machine
/// changed either way.
extension LiveSession {
    struct PendingSystemAction {
        let action: SystemAction
        let technicianId: String
        let technicianName: String
    }

    /// Actions asked for and not answered yet, at most this many at a time.
    static let maximumPendingSystemActions = 8

    func systemActionRequest(_ message: SystemActionRequestMessage, by actor: Actor) async throws {
        let record = try await hub.workedSession(id, by: actor, permission: message.action.permission,
                                                 activeOnly: "The customer's computer can be changed")
        try Self.checkRequestId(message.requestId)
        guard message.action.isValid else {
            throw GatewayError.badRequest("This action names no process, service, startup entry or application the applet could act on.")
        }
        if case .uninstall(let source, _) = message.action, PackageRemoval.needsRoot(source), record.customer?.privileged != true {
            throw GatewayError.badRequest("Uninstalling a \(source == .snap ? "snap" : "system package") needs the applet with administrator rights: restart it elevated first.")
        }
        _ = try hub.connectedApplet(of: id)
        // Checked and written with no await between: two requests cannot both pass the limit.
        guard !systemActions.isWaiting(message.requestId, of: actor.id) else {
            throw GatewayError.badRequest("This requestId is already waiting for its answer.")
        }
        guard systemActions.count < Self.maximumPendingSystemActions else {
            throw GatewayError.badRequest("Too many changes are waiting for the customer's computer; wait for their answers.")
        }
        let appletId = systemActions.add(message.requestId, of: actor.id, PendingSystemAction(
            action: message.action, technicianId: actor.id, technicianName: actor.technician.name))
        sockets.sendToApplet(of: id, WireCodec.encode(GatewayToApplet.systemActionRequest(
            .init(sessionId: nil, requestId: appletId, action: message.action))))
    }

    /// What the applet did: logged and audited, then told to the technician who asked while they
    /// still work on the session.
    func appletSystemActionReply(_ message: SystemActionReplyMessage, outletId: UUID) async {
        guard sockets.isApplet(outletId, of: id), let asked = systemActions.remove(message.requestId) else { return }
        let pending = asked.pending
        // Told last: what the console sees answered is already in the log and the audit.
        defer {
            if worksOn(pending.technicianId) {
                sockets.sendToConsoles(of: pending.technicianId, WireCodec.encode(GatewayToConsole.systemActionReply(
                    .init(sessionId: id, requestId: asked.requestId, result: message.result))))
            }
        }
        let event: SessionLogEvent
        let detail: [String: String]
        switch (message.result, pending.action) {
        case (.processEnded(let pid, let name, let children, let forced), .endProcess(let asked, _)) where pid == asked:
            let shownName = String(name.prefix(64))
            event = forced
                ? .processKilled(technician: pending.technicianName, name: shownName, pid: "\(pid)", children: "\(children)")
                : .processEnded(technician: pending.technicianName, name: shownName, pid: "\(pid)", children: "\(children)")
            detail = ["operation": forced ? "kill_process" : "end_process", "pid": "\(pid)", "name": shownName, "children": "\(children)"]
        case (.serviceChanged(let unit, let operation, let job), .service(let name, let scope, let asked)) where unit.name == name && operation == asked:
            // The name is the one the gateway checked and sent, not the applet's word for it.
            let result = String((job ?? unit.enablement ?? unit.activeState).prefix(32))
            event = .serviceChanged(technician: pending.technicianName, operation: operation.rawValue, name: name, result: result)
            detail = ["operation": "service_\(operation.rawValue)", "name": name, "scope": scope.rawValue, "result": result,
                      "activeState": String(unit.activeState.prefix(32))]
        case (.startupChanged(let entry), .startup(let kind, let name, let scope, let enabled)) where entry.name == name && entry.kind == kind:
            // What was asked and what the applet says it is now, under the name the gateway checked.
            event = entry.enabled ? .startupOn(technician: pending.technicianName, name: name) : .startupOff(technician: pending.technicianName, name: name)
            detail = ["operation": enabled ? "startup_on" : "startup_off", "kind": kind.rawValue, "name": name, "scope": scope.rawValue,
                      "enabled": "\(entry.enabled)"]
        case (.uninstalled(let source, let name, _), .uninstall(let askedSource, let asked)) where source == askedSource && name == asked:
            event = .applicationRemoved(technician: pending.technicianName, name: asked, source: source.rawValue)
            detail = ["operation": "uninstall", "source": source.rawValue, "name": asked]
        default:
            return
        }
        await hub.note(event, in: record)
        await auditCustomerChange(.customerSystemChanged, objectType: "customer_system", technicianId: pending.technicianId,
                                  technicianName: pending.technicianName, after: AuditTrail.json(detail), in: record,
                                  what: "A change to the customer's system")
    }
}
