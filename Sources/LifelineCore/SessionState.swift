/// Every state a support session can show in a technician's queue (the manual's appendix).
/// Raw values are the wire and API names.
public enum SessionState: String, CaseIterable, Codable, Sendable {
    case connecting
    case waiting
    case active
    case onHold = "on_hold"
    case incoming
    case outgoing
    case invitation
    case collaboration
    case rebooting
    case reconnecting
    case offline
    case timedOut = "timed_out"
    case closedByCustomer = "closed_by_customer"
    case closedByCustomerWaiting = "closed_by_customer_waiting"
    case closed

    /// Closed states: the session no longer has a live customer. Only `closed` leaves the queue.
    public var isClosed: Bool {
        switch self {
        case .closed, .closedByCustomer, .closedByCustomerWaiting: true
        case .connecting, .waiting, .active, .onHold, .incoming, .outgoing, .invitation,
             .collaboration, .rebooting, .reconnecting, .offline, .timedOut: false
        }
    }

    /// Removed from the technician's queue: only history shows it now.
    public var isRemovedFromQueue: Bool {
        switch self {
        case .closed, .closedByCustomerWaiting: true
        case .connecting, .waiting, .active, .onHold, .incoming, .outgoing, .invitation,
             .collaboration, .rebooting, .reconnecting, .offline, .timedOut, .closedByCustomer: false
        }
    }

    /// States that take one of the technician's ten active-session slots.
    /// Held sessions don't count (manual: "held sessions don't count toward the 10").
    public var countsTowardActiveLimit: Bool {
        switch self {
        case .active, .collaboration, .rebooting, .reconnecting, .offline: true
        case .connecting, .waiting, .onHold, .incoming, .outgoing, .invitation, .timedOut,
             .closedByCustomer, .closedByCustomerWaiting, .closed: false
        }
    }

    /// States in which the customer's applet is expected to be connected.
    public var expectsCustomerConnection: Bool {
        switch self {
        case .waiting, .active, .onHold, .incoming, .outgoing, .collaboration: true
        case .connecting, .invitation, .rebooting, .reconnecting, .offline, .timedOut,
             .closedByCustomer, .closedByCustomerWaiting, .closed: false
        }
    }
}
