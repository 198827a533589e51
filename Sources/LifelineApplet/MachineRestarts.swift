#if canImport(Glibc)
import Glibc
#endif
import LifelineCore
import LifelineProtocol
import Logging

/// Restarting this computer for the technician (M1–M3): the customer says yes first (the window's
/// dialog, `/allow restart`, or `--remote-consent`); the one-shot resume entry is written before
/// the system is asked, and removed again when the restart does not happen.
actor MachineRestarts {
    private let consent: RemoteConsent
    private let transcript: Transcript
    private let outgoing: OutgoingMessages
    private let gateway: String
    private let proxy: ProxySettings?
    /// The restart the customer has not answered yet.
    private var waiting: RebootOrder?
    /// The system took the technician's restart: logind's announcement that follows is not the customer's.
    private var restartUnderway = false
    /// The customer's own restart, waiting for the gateway's ticket.
    private var ticketWaiter: CheckedContinuation<ResumeTicketMessage?, Never>?
    /// The return for the customer's own restart once the gateway gave its ticket, undone if it is called off.
    private var customerReturn: RestartResume?
    /// How long the gateway's ticket is waited for while logind holds the shutdown.
    static let ticketWait: Duration = .seconds(2)

    init(consent: RemoteConsent, transcript: Transcript, outgoing: OutgoingMessages, gateway: String, proxy: ProxySettings?) {
        self.consent = consent
        self.transcript = transcript
        self.outgoing = outgoing
        self.gateway = gateway
        self.proxy = proxy
    }

    var isPending: Bool { waiting != nil }

    func requested(_ order: RebootOrder) async {
        if order.kind.needsElevatedApplet || order.autoLogin == true, geteuid() != 0 {
            return await answer(order.kind, .failed, "This restart needs the applet with administrator rights.")
        }
        // One question at a time: an older unanswered one is refused.
        if let older = waiting {
            waiting = nil
            await answer(older.kind, .refused, "Another restart was asked before the customer answered this one.")
        }
        switch consent {
        case .accept: await restart(order)
        case .deny: await refuse(order)
        case .ask:
            waiting = order
            transcript.restartRequested(kind: order.kind, autoLogin: order.autoLogin == true, technician: order.technician)
        }
    }

    /// The customer's Allow or Deny (or the big X, a Deny).
    func customerAnswered(allow: Bool) async {
        guard let order = waiting else { return }
        waiting = nil
        if allow { await restart(order) } else { await refuse(order) }
    }

    private func refuse(_ order: RebootOrder) async {
        transcript.restartRefused()
        await answer(order.kind, .refused, "The customer did not allow the restart.")
    }

    private func restart(_ order: RebootOrder) async {
        // Safe mode has no desktop: the applet returns as a system service, and the customer's yes
        // covers the technician's work until the next usual restart (the dialog says so).
        let saved = RestartResume.Saved(gateway: gateway, ticket: order.ticket, proxy: proxy,
                                        remoteConsent: order.kind == .safeMode ? RemoteConsent.accept.rawValue : consent.rawValue,
                                        caFile: AppletTrust.caFile)
        let resume = RestartResume.forThisCustomer()
        let safeMode = SafeModeBoot()
        do {
            if order.kind == .safeMode {
                try safeMode.arm(saved, runningBinary: LocalPaths.runningBinary())
            } else {
                try resume.write(saved, runningBinary: LocalPaths.runningBinary())
            }
        } catch {
            transcript.restartFailed("\(error)")
            return await answer(order.kind, .failed, "The applet could not prepare its return after the restart: \(error)")
        }
        let undo = { if order.kind == .safeMode { safeMode.disarm() } else { resume.remove() } }
        let autoLogin = OneBootAutoLogin()
        if order.autoLogin == true {
            do throws(OneBootAutoLogin.Failure) {
                // The sign-in screen first: on a machine without a known one, nothing else matters.
                guard autoLogin.displayManager() != nil else { throw .unknownDisplayManager }
                guard let account = LocalPaths.sudoCustomer() else { throw .notPossible("The customer's account is not known (the applet was not started with sudo).") }
                _ = try autoLogin.enable(user: account.name, uid: account.uid, runningBinary: LocalPaths.runningBinary())
            } catch {
                undo()
                transcript.restartFailed(error.description)
                return await answer(order.kind, .failed, error.description)
            }
        }
        let kind = order.kind
        switch await PosixThread.offThread({ MachinePower.restart(kind) }) {
        case .success:
            restartUnderway = true
            transcript.restarting(kind: kind)
            await answer(kind, .restarting, nil)
        case .failure(let refusal):
            if order.autoLogin == true { autoLogin.restore() }
            undo()
            transcript.restartFailed(refusal.message)
            await answer(kind, .failed, refusal.message, inhibitors: refusal.inhibitors)
        }
    }

    /// logind announced that the machine goes down and the technician did not ask for it: the
    /// customer restarts it (C7). With the gateway's ticket the one-shot return is written as for
    /// the technician's restart, so the session comes back by itself after the boot.
    func customerRestarting() async {
        guard !restartUnderway, ticketWaiter == nil, customerReturn == nil else { return }
        let answer: ResumeTicketMessage? = await withCheckedContinuation { continuation in
            ticketWaiter = continuation
            Task {
                await outgoing.send(.customerRestart(.init(phase: .starting)))
                do { try await Task.sleep(for: Self.ticketWait) } catch {}
                self.ticketArrived(nil)
            }
        }
        guard let ticket = answer?.ticket else {
            return logger.info("The customer restarts the machine; the session does not come back by itself",
                               metadata: ["reason": "\(answer?.reason ?? "the gateway did not answer in time")"])
        }
        let saved = RestartResume.Saved(gateway: gateway, ticket: ticket, proxy: proxy, remoteConsent: consent.rawValue, caFile: AppletTrust.caFile)
        let resume = RestartResume.forThisCustomer()
        // Kept even when writing fails: the session is Rebooting at the gateway, and a called-off restart brings it back.
        customerReturn = resume
        do {
            try resume.write(saved, runningBinary: LocalPaths.runningBinary())
        } catch {
            logger.error("The applet could not prepare its return after the customer's restart", metadata: ["error": "\(error)"])
        }
    }

    /// The gateway's answer to `customer_restart` (nil: none came in time).
    func ticketArrived(_ message: ResumeTicketMessage?) {
        guard let waiter = ticketWaiter else { return }
        ticketWaiter = nil
        waiter.resume(returning: message)
    }

    /// logind says the machine is not going down after all: the return is undone and the session goes on.
    func customerRestartCalledOff() async {
        guard let resume = customerReturn else { return }
        customerReturn = nil
        resume.remove()
        await outgoing.send(.customerRestart(.init(phase: .cancelled)))
    }

    private var logger: Logger { Logger(label: "lifeline-applet") }

    private func answer(_ kind: RebootKind, _ outcome: RebootResultMessage.Outcome, _ message: String?, inhibitors: [RebootInhibitor]? = nil) async {
        await outgoing.send(.rebootResult(.init(sessionId: nil, kind: kind, outcome: outcome, message: message, inhibitors: inhibitors)))
    }
}
