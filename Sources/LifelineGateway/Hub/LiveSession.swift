import Foundation
import LifelineCore
import LifelineProtocol
import LifelineStore
import Logging

/// One live session, from its creation until it leaves every queue: its record and what lives only
/// as long as it runs — the remote desktop, the recording, the file on its way. Only this actor
/// changes them; a change that awaits (the store, the audit log) holds the session's turn
/// (`serialised`), and memory changes before the first suspension point, so a check made on memory
/// and the change it allows are never split by another request. Sessions never wait for each other.
actor LiveSession {
    nonisolated let id: String
    /// The gateway's hub lives as long as the gateway; the session leaves its registry when it closes.
    let hub: SessionHub

    /// Changed only through `remember`, which writes the registry's copy in the same step.
    private(set) var record: SessionRecord {
        // A colleague joining, holding or leaving changes who sees the screen.
        didSet {
            if remote != nil || screenRoute != nil { screenRouteChanged() }
            technicianScreenFollowsRecord()
            fileManagerFollowsRecord()
        }
    }
    /// The technician showing their screen to the customer (H1), if any.
    var technicianScreen: TechnicianScreenSharer?
    /// False once the session left every queue: what was running finishes, nothing new starts.
    private(set) var isLive = true
    /// False once another gateway node serves the session (issue 20): this actor no longer speaks for it.
    private(set) var isServedHere = true
    /// Started automatically (B4) and no technician has acted on it yet: a customer who leaves now
    /// left "while waiting".
    var awaitingTechnician = false
    /// The remote desktop requested or running (J1, J2); frames pass while the relay has its route.
    var remote: RemoteDesktopState? {
        didSet { screenRouteChanged() }
    }
    /// Who sees the remote desktop and whose input passes, as the relay was last told.
    var screenRoute: ScreenRelay.Route?
    /// The file manager asked for or open (K1–K5), and the requests the applet has not answered.
    var fileManager: FileManagerAccess?
    var fileRequests: [String: PendingFileRequest] = [:]
    /// Files read from the customer's side on their way to the technician, by transfer id.
    var fileManagerTransfers: [String: FileManagerTransfer] = [:]
    /// System information views asked for (L1–L8), by the lead or a colleague.
    var systemInfoRequests = AppletRequests<Void>()
    /// Changes asked of the customer's computer (L2), by request id.
    var systemActions = AppletRequests<PendingSystemAction>()
    /// Scripts sent to the applet and not finished (N2), by run id; one at a time.
    var scriptRuns: [String: ScriptRunState] = [:]
    /// A restart sent to the applet and not answered yet (M1–M3): one at a time.
    var pendingReboot: PendingReboot?
    /// "Run at applet start" scripts (N1) still to run, in order; looked up once a session.
    var startScripts = StartScripts()
    /// The recording running (J14), by id.
    var recordingId: String?
    /// The file transfer running (one at a time, D4, G1), by id.
    var runningFileId: String?
    /// Pipes from the technician's upload to the applet's download, by file id.
    var fileRelays: [String: FileRelay] = [:]
    /// Each side's MD5 of a file on its way to the customer, until both are known: the upload and
    /// the applet's result race, and the verdict waits for the second.
    var fileChecks: [String: (sent: String?, received: String?)] = [:]
    /// When a customer's "no" was last logged (one line a minute at most).
    var declineNotedAt: Date?

    init(_ record: SessionRecord, hub: SessionHub) {
        id = record.id
        self.record = record
        self.hub = hub
    }

    /// The record while the session is live.
    var liveRecord: SessionRecord? { isLive ? record : nil }

    /// Whether the technician still works on the live session: its lead, or a colleague in it.
    func worksOn(_ technicianId: String) -> Bool {
        guard let record = liveRecord else { return false }
        return record.technicianId == technicianId || record.collaborations[technicianId] != nil
    }

    var store: any Store { hub.store }
    var environment: GatewayEnvironment { hub.environment }
    var logger: Logger { hub.logger }
    var sockets: SocketDirectory { hub.sockets }

    /// Memory's record, and the registry's copy with it; a session that left every queue leaves the registry.
    func remember(_ new: SessionRecord) {
        guard isServedHere else {
            record = new
            return
        }
        if new.machine.state.isRemovedFromQueue {
            // Nobody joined with its PIN: a customer typing it now is told it expired.
            if let pin = new.pin ?? record.pin { hub.registry.retire(pin: pin, .expired, at: environment.now()) }
            hub.registry.remove(id)
            isLive = false
        } else {
            hub.registry.update(self, new)
            isLive = true
        }
        record = new
    }

    /// The same, refused when `technicianId` would pass ten active sessions (checked in the same step).
    func remember(_ new: SessionRecord, claimingActiveSlotOf technicianId: String) throws(GatewayError) {
        guard !new.machine.state.isRemovedFromQueue, isServedHere else { return remember(new) }
        try hub.registry.update(self, new, claimingActiveSlotOf: technicianId,
                                elsewhere: hub.remoteSessions.activeTypes(of: technicianId, excluding: id))
        isLive = true
        record = new
    }

    /// Another gateway node serves the session now (issue 20): it leaves this node as it is, with
    /// no write (the database would refuse it), and what ran here for it stops.
    func letGo() {
        isServedHere = false
        isLive = false
        remote = nil
        fileManager = nil
        fileRequests = [:]
    }

    /// A change to the record that allows no refusal (a field, the time of the last activity).
    func changeRecord(_ body: (inout SessionRecord) -> Void) {
        var changed = record
        body(&changed)
        if isLive { hub.registry.update(self, changed) }
        record = changed
    }

    func recordActivity(at date: Date) {
        guard isLive else { return }
        changeRecord { $0.machine.recordActivity(at: date) }
    }

    /// Runs `body` as the only change in progress on this session: two requests on one session (a
    /// timer and End, two consoles, a customer's quit and a transfer) take turns instead of
    /// overwriting each other. Re-entrant within one task.
    func serialised<T>(_ body: () async throws -> T) async rethrows -> T {
        try await hub.serialised(id, body)
    }

    // MARK: Applying events

    /// Applies `event` to the session (the owner's view, and what it means for other views): store
    /// first, then the log, then the sockets.
    @discardableResult
    func apply(_ event: SessionEvent, claimingActiveSlotOf technicianId: String? = nil) async throws -> SessionRecord {
        try await serialised {
            guard isLive else { throw GatewayError.sessionNotFound }
            let change: SessionChange
            do throws(TransitionRefused) {
                change = try SessionChange.applying(event, to: record, before: record, at: environment.now(), timers: hub.timers)
            } catch {
                throw GatewayError.refused(error)
            }
            return try await run(change, claimingActiveSlotOf: technicianId)
        }
    }

    /// Stores a changed session and tells everyone concerned. `leavingViews` are other views that
    /// left their technician's queue with this change; they are dropped from the record.
    @discardableResult
    func commit(_ changed: SessionRecord, ownerTransition transition: Transition?, leavingViews: [String: SessionMachine] = [:],
                previousOwner: (id: String, machine: SessionMachine)? = nil,
                claimingActiveSlotOf technicianId: String? = nil) async throws -> SessionRecord {
        try await serialised {
            let change = SessionChange.committing(changed, before: isLive ? record : nil, transition: transition,
                                                  leavingViews: leavingViews, previousOwner: previousOwner, at: environment.now())
            return try await run(change, claimingActiveSlotOf: technicianId)
        }
    }

    /// The timer that ran out, checked again in the session's turn: another change may have come first.
    func runDueTimer(at now: Date, timers: SessionTimers) async throws {
        try await serialised {
            await hub.collectRelayedActivity()
            guard isLive, let event = record.machine.dueTimerEvent(at: now, timers: timers) else { return }
            try await apply(event)
        }
    }

    /// Writes the session as it is and keeps memory's version in step with the store's: the next
    /// write names the version this one made, and a write from a stale copy is refused (`.conflict`).
    /// `viewsChanged` false when only its own row changed (not other technicians' views), which
    /// saves the database a transaction.
    @discardableResult
    func persist(_ written: SessionRecord, viewsChanged: Bool) async throws -> SessionRecord {
        var stored = written
        stored.version = try await store.updateSession(written, viewsChanged: viewsChanged, fence: hub.leases.fence(for: id))
        let version = stored.version
        if isLive { changeRecord { $0.version = version } }
        return stored
    }
}
