#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What can happen to a session, from one technician's point of view. Each case is named after
/// the cause the manual gives; `SessionMachine.handle` maps it to the next state.
public enum SessionEvent: Equatable, Sendable {
    /// The customer ran the applet and it reached the gateway.
    case appletConnected
    /// A technician presses Start: activates a waiting, held or incoming session, cancels an
    /// outgoing transfer, or accepts an invitation.
    case start
    /// The technician puts the session on hold.
    case hold
    /// The technician ends (closes) the session or removes it from the queue.
    case end
    /// This technician transfers the session to someone else.
    case transferOut
    /// The session is transferred to this technician (or back to them).
    case transferIn
    /// The recipient of this technician's transfer started it: it leaves this queue.
    case transferTakenOver
    /// The sender of a transfer took it back, or the customer left after the transfer:
    /// the recipient's queue drops it.
    case droppedFromQueue
    /// The customer closed the applet. `stillWaitingForTechnician` is true when no technician
    /// had engaged with the customer yet (auto-started, or transferred and not yet started).
    case customerClosed(stillWaitingForTechnician: Bool)
    /// The applet's connection dropped. `since` is when it was last seen: when the drop is only
    /// noticed late (after a gateway restart), the session may go straight to Offline.
    case connectionLost(since: Date)
    /// The applet stayed away longer than the reconnect limit (five minutes).
    case reconnectLimitPassed
    /// The applet is back after a network loss.
    case connectionRestored
    /// The customer's machine is restarting.
    case rebootStarted
    /// The customer's machine is back after a restart.
    case rebootFinished
    /// The administrator's idle timeout, or the system timeout, passed.
    case idleTimeoutPassed
    /// The connecting or waiting timeout of the technician's group passed.
    case queueTimeoutPassed
    /// This technician hands the lead role to a collaborator.
    case leadHandedOver
    /// This collaborator accepts the lead role.
    case leadAccepted
    /// The lead technician removed this collaborator (or withdrew the invitation).
    case removedByLead
    /// The lead technician closed the session while this technician collaborated.
    case closedByLead
}
