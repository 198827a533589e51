/// The technician's own screen shown to the customer (H1; the manual's "Partager votre écran avec
/// les clients"): one click during an active session, view only, one technician at a time — the
/// lead, or a collaborating colleague granted it for the session. It stops when they click again,
/// when the customer closes its window (the session goes on), and as soon as the sharer no longer
/// works in the session (hold, transfer, leaving, the end). Pure: the gateway asks, then acts.
public enum TechnicianScreenShare {
    public enum Refusal: Error, Equatable, Sendable {
        case notPermitted
        /// Not working in the session now: the lead outside Active, a colleague outside Collaboration.
        case notWorking
        /// The customer has no applet (a browser customer cannot be shown a screen).
        case noApplet
        /// Another technician of the session shows theirs.
        case sharedByOther(technicianId: String)
        case notSharing
    }

    /// Whether the technician works in the session now: the lead while it is Active, a colleague
    /// while they collaborate (not invited, not on hold for themselves) and the lead has not held it.
    public static func isWorking(isLead: Bool, sessionState: SessionState, viewState: SessionState?) -> Bool {
        sessionState == .active && (isLead || viewState == .collaboration)
    }

    /// Starting: returns false when the technician already shares (nothing to do).
    public static func checkStart(by technicianId: String, working: Bool, permissions: Set<Permission>, role: SessionMachine.Role,
                                  appletConnected: Bool, sharer: String?) throws(Refusal) -> Bool {
        guard InternalCollaboration.may(.shareScreen, as: role, permissions: permissions) else { throw .notPermitted }
        guard working else { throw .notWorking }
        guard appletConnected else { throw .noApplet }
        if let sharer {
            guard sharer == technicianId else { throw .sharedByOther(technicianId: sharer) }
            return false
        }
        return true
    }

    /// Stopping: only the technician who shares (the customer closes the window on their side).
    public static func checkStop(by technicianId: String, sharer: String?) throws(Refusal) {
        guard sharer == technicianId else { throw .notSharing }
    }
}
