import LifelineCore

/// The English wording of a state change in the session log. Consoles and the applet word it
/// again in their own language from the `state` field; this text is the fallback and the record.
enum StatusText {
    static func entering(_ state: SessionState) -> String {
        switch state {
        case .connecting: "Waiting for the customer to run the applet."
        case .waiting: "The customer is connected and waiting."
        case .active: "The session is active."
        case .onHold: "The session is on hold."
        case .incoming: "The session was transferred to you."
        case .outgoing: "The session is being transferred."
        case .invitation: "You were invited to collaborate."
        case .collaboration: "You are collaborating in this session."
        case .rebooting: "The customer's computer is restarting."
        case .reconnecting: "The connection to the customer was lost; reconnecting."
        case .offline: "The customer has been offline for more than five minutes."
        case .timedOut: "The session timed out."
        case .closedByCustomer: "The customer ended the session."
        case .closedByCustomerWaiting: "The customer left before the session started."
        case .closed: "The session was closed."
        }
    }
}
