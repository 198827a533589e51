/// One customer's screen seen by several technicians (issue 21): the lead and every colleague who
/// collaborates with desktop view or remote control granted see it; in control mode one of them —
/// the lead, or the colleague the lead gave control to — has the mouse and keyboard, and the
/// gateway drops anyone else's input. Pure: the gateway asks, then acts.
public enum SharedScreen {
    /// Whether a colleague sees the screen: collaborating (not invited, not on hold for
    /// themselves), with either permission of the desktop granted for this session.
    public static func sees(viewState: SessionState, granted: Set<Permission>) -> Bool {
        viewState == .collaboration && (granted.contains(.desktopView) || granted.contains(.remoteControl))
    }

    /// Whose input reaches the customer: nil in view mode; the colleague holding control while
    /// they see the screen with remote control granted; otherwise the lead. `viewers`: the
    /// colleagues who see it, with what they are granted in this session.
    public static func controller(of remote: RemoteDesktopState, viewers: [String: Set<Permission>]) -> String? {
        guard remote.mode == .control else { return nil }
        if let colleague = remote.controlGivenTo, viewers[colleague]?.contains(.remoteControl) == true { return colleague }
        return remote.technicianId
    }

    public enum Refusal: Error, Equatable, Sendable {
        case notRunning
        case viewOnly
        /// The technician does not see this screen (not collaborating, or no desktop permission).
        case notViewing
        case notPermitted(Permission)
    }

    /// The lead gives the mouse and keyboard to `technicianId` (to themselves: takes them back).
    public static func giveControl(to technicianId: String, remote: inout RemoteDesktopState?,
                                   viewers: [String: Set<Permission>]) throws(Refusal) {
        guard var running = remote, running.phase == .active else { throw .notRunning }
        guard running.mode == .control else { throw .viewOnly }
        if technicianId == running.technicianId {
            running.controlGivenTo = nil
        } else {
            guard let granted = viewers[technicianId] else { throw .notViewing }
            guard granted.contains(.remoteControl) else { throw .notPermitted(.remoteControl) }
            running.controlGivenTo = technicianId
        }
        remote = running
    }
}
