/// How a session ended, for the technician's history (issue 15, item 8): not just "Closed" but
/// what made it leave the queue. Worked out once, from the transition that removed it.
public enum SessionEnd: String, Codable, Sendable, CaseIterable {
    /// The technician ended it while it was theirs to work (End on a waiting, active or held session).
    case technician
    /// The customer closed it during the session; the technician then cleared it.
    case customer
    /// The customer left before anyone picked the session up.
    case customerWhileWaiting = "customer_while_waiting"
    /// Nobody did anything for too long (idle, hold or waiting timeout).
    case timedOut = "timed_out"
    /// The customer's connection was lost and did not come back.
    case connectionLost = "connection_lost"
    /// The PIN or link was never used.
    case expired
    /// It left this queue because a colleague took it over (a transfer, or a collaboration that ended).
    case handedOver = "handed_over"

    /// The end that `from` →`to` by `event` means, when `to` takes the session out of the queue.
    public init?(from: SessionState, to: SessionState, event: SessionEvent) {
        guard to.isRemovedFromQueue else { return nil }
        if to == .closedByCustomerWaiting { self = .customerWhileWaiting; return }
        switch from {
        case .closedByCustomer: self = .customer
        case .closedByCustomerWaiting: self = .customerWhileWaiting
        case .timedOut: self = .timedOut
        case .offline: self = .connectionLost
        case .connecting: self = event == .end ? .technician : .expired
        case .waiting: self = event == .queueTimeoutPassed ? .timedOut : .technician
        case .outgoing, .incoming, .invitation, .collaboration, .rebooting:
            self = event == .end ? .technician : event == .idleTimeoutPassed ? .timedOut : .handedOver
        case .active, .onHold, .reconnecting, .closed: self = .technician
        }
    }
}
