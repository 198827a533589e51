import LifelineProtocol

/// The System info tab's requests on the customer's side (L1–L8): a view read and sent back in
/// frames, or a change made and told to the customer. Each runs in its own task.
extension Applet {
    static func answer(_ request: SystemInfoRequestMessage, transcript: Transcript, outgoing: OutgoingMessages) async {
        let reply: SystemInfoReply
        if request.view == .dashboard {
            // Drawn at once without its busiest processes; whole once their CPU sample is done.
            reply = .dashboard(await SystemInfoReader().dashboard { first in
                await outgoing.send(.systemInfoReply(.init(sessionId: nil, requestId: request.requestId, reply: .dashboard(first), more: true)))
            })
        } else {
            reply = await SystemInfoReader().read(request.view, events: request.events)
        }
        transcript.systemInfoRead(request.view)
        // A long list in parts, each within one frame.
        let parts = EncodedAnswers.shared.parts(of: reply, view: request.view)
        for (index, part) in parts.enumerated() {
            await outgoing.send(text: SystemInfoReplyMessage.text(requestId: request.requestId, encodedPart: part, more: index < parts.count - 1))
        }
    }

    static func act(_ request: SystemActionRequestMessage, technician: String, transcript: Transcript, restart: Restart) async {
        let result: SystemActionResult
        switch request.action {
        case .uninstall(let source, let name):
            // The customer is asked first; the answer goes when the removal is done or refused.
            return await restart.removals.requested(request, source: source, name: name, technician: technician)
        case .endProcess(let pid, let started): result = await ProcessEnder().end(pid: pid, started: started)
        case .service(let name, let scope, let operation): result = await SystemdServices().perform(operation, on: name, scope: scope)
        case .startup(.autostart, let name, _, let enabled): result = StartupReader.forThisSession().setAutostart(name, enabled: enabled)
        case .startup(.service, let name, let scope, let enabled): result = await SystemdServices().setStartup(name, scope: scope, enabled: enabled)
        }
        switch result {
        case .processEnded(let pid, let name, let children, let forced):
            transcript.processEnded(name: name, pid: pid, children: children, forced: forced)
        case .serviceChanged(let unit, let operation, let job):
            transcript.serviceChanged(unit.name, operation: operation, job: job)
        case .startupChanged(let entry):
            transcript.startupChanged(entry)
        case .failed, .uninstalled: break
        }
        await restart.outgoing.send(.systemActionReply(.init(sessionId: nil, requestId: request.requestId, result: result)))
    }
}
